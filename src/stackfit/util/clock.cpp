#include "stackfit/util/clock.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

namespace stackfit {

std::int64_t SystemClock::now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool SystemClock::sleep_until(std::int64_t deadline_ns, const std::atomic<bool>& stop) {
  constexpr std::int64_t k_step_ns = 100'000'000;
  for (;;) {
    if (stop.load()) return false;
    std::int64_t left = deadline_ns - now_ns();
    if (left <= 0) return true;
    std::this_thread::sleep_for(std::chrono::nanoseconds(std::min(left, k_step_ns)));
  }
}

}  // namespace stackfit
