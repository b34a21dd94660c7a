#include "stackfit/util/clock.hpp"

#include <gtest/gtest.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <thread>

namespace stackfit {
namespace {

constexpr std::int64_t k_ms = 1'000'000;

TEST(SystemClock, SleepsUntilTheDeadline) {
  SystemClock clock;
  std::atomic<bool> stop{false};
  std::int64_t deadline = clock.now_ns() + 30 * k_ms;
  EXPECT_TRUE(clock.sleep_until(deadline, stop));
  EXPECT_GE(clock.now_ns(), deadline);
}

TEST(SystemClock, AStopFlagAlreadySetReturnsAtOnce) {
  SystemClock clock;
  std::atomic<bool> stop{true};
  EXPECT_FALSE(clock.sleep_until(clock.now_ns() + 60'000 * k_ms, stop));
}

// With a wake descriptor (cli/signal_stop's eventfd), a stop during a long
// sleep ends it when the descriptor becomes readable, not at the next
// one-second step.
TEST(SystemClock, WakeDescriptorEndsTheSleepOnStop) {
  int wake = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  ASSERT_GE(wake, 0);
  SystemClock clock(wake);
  std::atomic<bool> stop{false};
  std::int64_t start = clock.now_ns();
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    stop.store(true);
    std::uint64_t one = 1;
    ASSERT_EQ(::write(wake, &one, sizeof one), static_cast<ssize_t>(sizeof one));
  });
  bool reached = clock.sleep_until(start + 60'000 * k_ms, stop);
  std::int64_t slept = clock.now_ns() - start;
  stopper.join();
  EXPECT_FALSE(reached);
  // Well below the 1 s step a missed wake-up would take (and far below the
  // 60 s deadline), however loaded the machine.
  EXPECT_LT(slept, 900 * k_ms);
  EXPECT_GE(slept, 50 * k_ms);
  ::close(wake);
}

TEST(SystemClock, WakeDescriptorStillReachesTheDeadline) {
  int wake = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  ASSERT_GE(wake, 0);
  SystemClock clock(wake);
  std::atomic<bool> stop{false};
  std::int64_t deadline = clock.now_ns() + 30 * k_ms;
  EXPECT_TRUE(clock.sleep_until(deadline, stop));
  EXPECT_GE(clock.now_ns(), deadline);
  ::close(wake);
}

}  // namespace
}  // namespace stackfit
