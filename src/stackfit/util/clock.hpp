// Time as a seam: the recorder and the commands ask a Clock, so tests can
// drive time (FakeClock). The two free functions are the only reads of the
// system's clocks in src/: wall time for what is recorded and shown, and a
// monotonic clock for the deadlines of real I/O (sockets, polls), which a
// fake time must not shorten.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace stackfit {

// Wall-clock time, Unix epoch, nanoseconds (std::chrono::system_clock).
[[nodiscard]] std::int64_t wall_now_ns();
// Monotonic time for I/O deadlines and for how long a computation took
// (std::chrono::steady_clock), nanoseconds and milliseconds.
[[nodiscard]] std::int64_t monotonic_now_ns();
[[nodiscard]] std::int64_t monotonic_now_ms();
// "2026-11-20T10:00:00Z": Unix epoch ns as UTC, whole seconds.
[[nodiscard]] std::string format_utc(std::int64_t t_ns);

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

// A clock a test drives: now_ns() is the time it was set to, and
// sleep_until() moves it to the deadline at once, then calls `on_sleep` (on
// the sleeping thread) with the new time, so a test acts between two ticks
// of a loop without waiting for real time. Thread-safe reads of the time.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t start_ns) : m_now_ns(start_ns) {}
  [[nodiscard]] std::int64_t now_ns() override { return m_now_ns.load(); }
  // Returns false when `stop` is set, before or after on_sleep.
  bool sleep_until(std::int64_t deadline_ns, const std::atomic<bool>& stop) override;
  void advance(std::int64_t ns) { m_now_ns += ns; }

  std::function<void(std::int64_t now_ns)> on_sleep;

 private:
  std::atomic<std::int64_t> m_now_ns;
};

}  // namespace stackfit
