#include "stackfit/util/clock.hpp"

#include <gtest/gtest.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

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

// The fake moves to each deadline at once (never back), tells on_sleep the
// new time, and honours the stop flag before and after it.
TEST(FakeClock, SleepMovesTimeToTheDeadlineAtOnce) {
  FakeClock clock(1'000 * k_ms);
  std::atomic<bool> stop{false};
  std::vector<std::int64_t> woke;
  clock.on_sleep = [&](std::int64_t now_ns) {
    woke.push_back(now_ns);
    if (woke.size() == 2) stop = true;
  };
  EXPECT_TRUE(clock.sleep_until(1'050 * k_ms, stop));
  EXPECT_EQ(clock.now_ns(), 1'050 * k_ms);
  EXPECT_FALSE(clock.sleep_until(1'020 * k_ms, stop));  // a past deadline: time stays; on_sleep stops
  EXPECT_EQ(clock.now_ns(), 1'050 * k_ms);
  EXPECT_FALSE(clock.sleep_until(2'000 * k_ms, stop));  // already stopped: no move
  EXPECT_EQ(clock.now_ns(), 1'050 * k_ms);
  EXPECT_EQ(woke, (std::vector<std::int64_t>{1'050 * k_ms, 1'050 * k_ms}));
  clock.advance(5 * k_ms);
  EXPECT_EQ(clock.now_ns(), 1'055 * k_ms);
}

TEST(MonotonicClock, NeverGoesBack) {
  std::int64_t a = monotonic_now_ns();
  std::int64_t b = monotonic_now_ns();
  EXPECT_LE(a, b);
  EXPECT_LE(monotonic_now_ms(), monotonic_now_ns() / 1'000'000);
}

}  // namespace
}  // namespace stackfit
