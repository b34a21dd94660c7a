// Container starts and health events of a recording, as analyze/startup_profile
// takes them: read from the store (which may not depend on analyze/) for
// `record`'s summary and `plan --startup --db`.
#pragma once

#include <cstdint>
#include <vector>

#include "stackfit/analyze/startup_profile.hpp"
#include "stackfit/store/sample_store.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

struct RecordedLifecycle {
  std::vector<ContainerStart> starts;  // time order
  std::vector<HealthEvent> health;     // time order
};

// Starts and health events with from_ns <= time_ns <= to_ns.
[[nodiscard]] Expected<RecordedLifecycle> load_recorded_lifecycle(SampleStore& store, std::int64_t from_ns,
                                                                  std::int64_t to_ns);

}  // namespace stackfit
