#include "stackfit/model/cpu_throttling.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace stackfit {
namespace {

Sample reading(std::int64_t periods, std::int64_t throttled, std::int64_t throttled_ns) {
  Sample s;
  s.cpu_periods = periods;
  s.cpu_throttled_periods = throttled;
  s.cpu_throttled_ns = throttled_ns;
  return s;
}

TEST(CpuThrottling, IncreaseBetweenTwoReadings) {
  auto t = throttling_increase(reading(4121, 37, 1'850'412'379), reading(4171, 47, 2'350'412'379));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->periods, 50);
  EXPECT_EQ(t->throttled_periods, 10);
  EXPECT_EQ(t->throttled_ns, 500'000'000);
  EXPECT_DOUBLE_EQ(throttled_percent(*t).value(), 20.0);
}

TEST(CpuThrottling, NoPeriodOrACounterResetGivesNothing) {
  EXPECT_FALSE(throttling_increase(reading(10, 1, 5), reading(10, 1, 5)));  // idle, or no quota
  EXPECT_FALSE(throttling_increase(reading(10, 1, 5), reading(3, 0, 0)));   // recreated cgroup
  EXPECT_FALSE(throttling_increase(reading(10, 5, 5), reading(20, 2, 9)));  // throttled went back
  EXPECT_EQ(throttled_percent(CpuThrottling{}), std::nullopt);
}

// A corrupt file that says more throttled periods than periods is cut to 100 %.
TEST(CpuThrottling, ThrottledAbovePeriodsIsCut) {
  auto t = throttling_increase(reading(0, 0, 0), reading(4, 9, 1));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->throttled_periods, 4);
  EXPECT_DOUBLE_EQ(throttled_percent(*t).value(), 100.0);
}

TEST(CpuThrottling, SumsSaturate) {
  CpuThrottling a{std::numeric_limits<std::int64_t>::max() - 1, 1, 1};
  a += CpuThrottling{5, 2, 3};
  EXPECT_EQ(a.periods, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(a.throttled_periods, 3);
  EXPECT_EQ(a.throttled_ns, 4);
}

// 250 ms of CPU over 500 ms is half a core: 500 millicores.
TEST(CpuRate, MillicoresBetweenTwoReadings) {
  EXPECT_EQ(cpu_rate_between(1'000'000'000, 4'000'000'000, 1'500'000'000, 4'250'000'000), Millicores{500});
  EXPECT_EQ(cpu_rate_between(0, 0, 1'000'000'000, 3'000'000'000), Millicores{3000});  // three cores busy
}

TEST(CpuRate, NoTimeOrACounterDropGivesNothing) {
  EXPECT_FALSE(cpu_rate_between(5, 100, 5, 200));  // same time
  EXPECT_FALSE(cpu_rate_between(6, 100, 5, 200));  // time went back
  EXPECT_FALSE(cpu_rate_between(5, 200, 6, 100));  // the cgroup was recreated
}

TEST(CpuRate, HostileCountersNeverOverflow) {
  constexpr auto k_max = std::numeric_limits<std::int64_t>::max();
  constexpr auto k_min = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(cpu_rate_between(0, 0, 1, k_max), Millicores{k_max});  // saturates
  EXPECT_EQ(cpu_rate_between(0, 0, 1'000'000'000'000, k_max), Millicores{k_max / 1'000'000'000});
  EXPECT_FALSE(cpu_rate_between(k_min, 0, k_max, 1));      // the time difference overflows
  EXPECT_FALSE(cpu_rate_between(0, k_min, 1, k_max));      // the counter difference overflows
}

}  // namespace
}  // namespace stackfit
