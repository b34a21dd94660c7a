// advise_cpu_limit with numbers worked out by hand in each test.
#include "stackfit/analyze/cpu_throttle_advice.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

CpuThrottleHistory history(std::int64_t periods, std::int64_t throttled) {
  CpuThrottleHistory h;
  h.add(CpuThrottling{periods, throttled, throttled * 20'000'000});
  return h;
}

CpuLimitInputs inputs(std::int64_t limit, double p99, std::int64_t peak, std::int64_t request) {
  return CpuLimitInputs{Millicores{limit}, p99, Millicores{peak}, Millicores{request}};
}

// Limit 100m, throttled in 1200 of 6000 periods = 20 % > 5 %.
// max(100 x 1.2 = 120, p99 98 x 1.15 = 112.7, request 90) = 120 -> 120m.
TEST(CpuThrottleAdvice, ThrottledAboveTheTargetRaisesTheLimit) {
  CpuLimitAdvice a = advise_cpu_limit(history(6000, 1200), inputs(100, 98, 100, 90), CpuLimitRules{});
  EXPECT_EQ(a.change, CpuLimitChange::raised);
  ASSERT_TRUE(a.limit);
  EXPECT_EQ(a.limit->count, 120);
  EXPECT_DOUBLE_EQ(*a.throttled_ratio, 0.2);
  EXPECT_EQ(a.reason,
            "CPU limit: throttled in 20.0% of 6000 CFS periods (target under 5.0%): raised from 0.1 to 0.12 = "
            "max(limit x (1 + 20.0%), p99 0.098 + 15.0%); record again to see whether the throttling is gone");
}

// Limit 500m, throttled in 600 of 1000 periods = 60 %: 500 x 1.6 = 800;
// p99 750 x 1.15 = 862.5 is larger -> 862.5 rounded up to 10m = 870m.
TEST(CpuThrottleAdvice, RaiseTakesTheP99WhenItIsAboveTheScaledLimit) {
  CpuLimitAdvice a = advise_cpu_limit(history(1000, 600), inputs(500, 750, 800, 700), CpuLimitRules{});
  EXPECT_EQ(a.change, CpuLimitChange::raised);
  EXPECT_EQ(a.limit->count, 870);
}

// Rounded up to the step: limit 1000m throttled in 6 of 100 periods
// (6 % > 5 %): 1000 x 1.06 = 1060 -> 1060m with a 10m step, 1100m with 100m.
TEST(CpuThrottleAdvice, RaiseIsRoundedUpToTheStep) {
  EXPECT_EQ(advise_cpu_limit(history(100, 6), inputs(1000, 200, 300, 200), CpuLimitRules{}).limit->count, 1060);
  CpuLimitRules coarse{0.05, 0.15, Millicores{100}};
  EXPECT_EQ(advise_cpu_limit(history(100, 6), inputs(1000, 200, 300, 200), coarse).limit->count, 1100);
}

// The target is the user's: 2 % throttled passes the default 5 % but not 1 %.
// At 1 %: max(500 x 1.02 = 510, 300 x 1.15 = 345) = 510m.
TEST(CpuThrottleAdvice, TargetIsConfigurable) {
  CpuThrottleHistory h = history(5000, 100);
  EXPECT_EQ(advise_cpu_limit(h, inputs(500, 300, 450, 300), CpuLimitRules{}).change, CpuLimitChange::kept);
  CpuLimitAdvice strict = advise_cpu_limit(h, inputs(500, 300, 450, 300), CpuLimitRules{0.01, 0.15, Millicores{10}});
  EXPECT_EQ(strict.change, CpuLimitChange::raised);
  EXPECT_EQ(strict.limit->count, 510);
}

// Never throttled (0 of 5000) and far below the limit: limit 2000m, p99
// 150m, peak 380m: max(2 x 150, 380, request 160) = 380m < 2000m.
TEST(CpuThrottleAdvice, UnthrottledAndFarBelowLowersTheLimit) {
  CpuLimitAdvice a = advise_cpu_limit(history(5000, 0), inputs(2000, 150, 380, 160), CpuLimitRules{});
  EXPECT_EQ(a.change, CpuLimitChange::lowered);
  EXPECT_EQ(a.limit->count, 380);
  EXPECT_EQ(a.reason,
            "CPU limit: throttled in 0.0% of 5000 CFS periods and p99 use 0.15 (peak 0.38) far below the limit 2: "
            "lowered to 0.38 = max(2 x p99, peak); a limit frees CPU for the others only when it is close to use");
}

// Lowering needs the share at most a tenth of the target (0.5 %): 0.6 % keeps.
// And twice the p99 at or above the limit keeps: max(2 x 300, 450) = 600 >= 500.
TEST(CpuThrottleAdvice, ModestThrottlingOrUseNearTheLimitKeeps) {
  CpuLimitAdvice a = advise_cpu_limit(history(5000, 30), inputs(2000, 150, 380, 160), CpuLimitRules{});
  EXPECT_EQ(a.change, CpuLimitChange::kept);
  EXPECT_EQ(a.limit, std::nullopt);
  EXPECT_EQ(a.reason, "CPU limit 2 kept: throttled in 0.6% of 5000 CFS periods (target under 5.0%)");
  EXPECT_EQ(advise_cpu_limit(history(5000, 0), inputs(500, 300, 450, 300), CpuLimitRules{}).change,
            CpuLimitChange::kept);
}

// Without a CPU limit nothing is advised, whatever the history says.
TEST(CpuThrottleAdvice, NoLimitNoAdvice) {
  CpuLimitInputs in = inputs(0, 900, 1000, 900);
  in.declared_limit.reset();
  CpuLimitAdvice a = advise_cpu_limit(history(5000, 0), in, CpuLimitRules{});
  EXPECT_EQ(a.change, CpuLimitChange::none);
  EXPECT_EQ(a.limit, std::nullopt);
  EXPECT_EQ(a.reason, "");
  EXPECT_DOUBLE_EQ(a.throttled_ratio.value(), 0.0);
}

// The recorded limit stands in for a declared one (a store without a stack).
TEST(CpuThrottleAdvice, RecordedLimitWhenNoneDeclared) {
  CpuThrottleHistory h = history(6000, 1200);
  h.limit(Millicores{50});
  h.limit(Millicores{100});
  CpuLimitInputs in = inputs(0, 98, 100, 90);
  in.declared_limit.reset();
  CpuLimitAdvice a = advise_cpu_limit(h, in, CpuLimitRules{});
  EXPECT_EQ(a.limit_in_force, Millicores{100});
  EXPECT_EQ(a.limit->count, 120);
}

// Too few periods, or none recorded (a store before schema version 3): kept.
TEST(CpuThrottleAdvice, TooFewPeriodsKeep) {
  EXPECT_EQ(advise_cpu_limit(history(99, 99), inputs(100, 100, 100, 100), CpuLimitRules{}).reason,
            "CPU limit 0.1 kept: only 99 CFS periods (need 100)");
  EXPECT_EQ(advise_cpu_limit(CpuThrottleHistory{}, inputs(100, 100, 100, 100), CpuLimitRules{}).reason,
            "CPU limit 0.1 kept: no CFS period counted (it never ran under the limit, or the history has no "
            "throttling figures)");
}

}  // namespace
}  // namespace stackfit
