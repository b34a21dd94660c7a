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
  // Sleeps until `deadline_ns` (wall clock) or until `stop` becomes true.
  // Returns false when stopped.
  virtual bool sleep_until(std::int64_t deadline_ns, const std::atomic<bool>& stop) = 0;
};

class SystemClock final : public Clock {
 public:
  // `wake_fd`: a descriptor that becomes readable when `stop` is set by a
  // signal handler (cli/signal_stop): sleep_until then sleeps on it, waking
  // once per deadline (and at least every second) instead of every 100 ms.
  // -1: steps of 100 ms, for stop flags set by other threads.
  explicit SystemClock(int wake_fd = -1) : m_wake_fd(wake_fd) {}
  [[nodiscard]] std::int64_t now_ns() override;
  bool sleep_until(std::int64_t deadline_ns, const std::atomic<bool>& stop) override;

 private:
  int m_wake_fd = -1;
};

}  // namespace stackfit
