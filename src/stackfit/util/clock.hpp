// Time as a seam: the recorder asks a Clock, so tests can drive time.
#pragma once

#include <atomic>
#include <cstdint>

namespace stackfit {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time, Unix epoch, nanoseconds.
  [[nodiscard]] virtual std::int64_t now_ns() = 0;
  // Sleeps until `deadline_ns` (wall clock) or until `stop` becomes true,
  // checking it at least every 100 ms. Returns false when stopped.
  virtual bool sleep_until(std::int64_t deadline_ns, const std::atomic<bool>& stop) = 0;
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] std::int64_t now_ns() override;
  bool sleep_until(std::int64_t deadline_ns, const std::atomic<bool>& stop) override;
};

}  // namespace stackfit
