// What a recording knows of a container's lives besides its samples: when
// it started and when its health check said healthy or unhealthy. The store
// returns them (store/container_starts.cpp) and analyze/startup_profile
// measures start-up peaks and times to healthy from them.
#pragma once

#include <cstdint>

namespace stackfit {

// One observed start (`start` event) of one container.
struct ContainerStart {
  std::int64_t container = 0;  // the store's container key (ServiceSeries::container_keys)
  std::int64_t time_ns = 0;
};

// A health event of one container (`healthy` / `unhealthy`).
struct HealthEvent {
  std::int64_t container = 0;  // the store's container key
  std::int64_t time_ns = 0;
  bool healthy = false;
};

}  // namespace stackfit
