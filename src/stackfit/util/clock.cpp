#include "stackfit/util/clock.hpp"

#include <poll.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <thread>

namespace stackfit {

std::string format_utc(std::int64_t t_ns) {
  std::time_t t = static_cast<std::time_t>(t_ns / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::int64_t wall_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t monotonic_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::int64_t monotonic_now_ms() { return monotonic_now_ns() / 1'000'000; }

std::int64_t SystemClock::now_ns() { return wall_now_ns(); }

bool SystemClock::sleep_until(std::int64_t deadline_ns, const std::atomic<bool>& stop) {
  constexpr std::int64_t k_step_ns = 100'000'000;
  constexpr std::int64_t k_wake_fd_step_ns = 1'000'000'000;
  for (;;) {
    if (stop.load()) return false;
    std::int64_t left = deadline_ns - now_ns();
    if (left <= 0) return true;
    if (m_wake_fd < 0) {
      std::this_thread::sleep_for(std::chrono::nanoseconds(std::min(left, k_step_ns)));
      continue;
    }
    // Readable once a stop signal came (never drained: stop stays set), or
    // EINTR from the signal itself; either way the loop looks at `stop`.
    std::int64_t step = std::min(left, k_wake_fd_step_ns);
    timespec timeout{static_cast<time_t>(step / 1'000'000'000), static_cast<long>(step % 1'000'000'000)};
    pollfd wake{m_wake_fd, POLLIN, 0};
    ::ppoll(&wake, 1, &timeout, nullptr);
  }
}

bool FakeClock::sleep_until(std::int64_t deadline_ns, const std::atomic<bool>& stop) {
  if (stop.load()) return false;
  std::int64_t now = m_now_ns.load();
  while (now < deadline_ns && !m_now_ns.compare_exchange_weak(now, deadline_ns)) {
  }
  if (on_sleep) on_sleep(m_now_ns.load());
  return !stop.load();
}

}  // namespace stackfit
