// UsageRuleChecker on hand-made readings, 10 s apart; the figures are
// worked out in each test.
#include "stackfit/analyze/usage_rules.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

constexpr std::int64_t k_s = 1'000'000'000;

Sample at(std::int64_t t_s, std::int64_t cpu_ms, std::int64_t ws_mib) {
  Sample s;
  s.time_ns = t_s * k_s;
  s.cpu_usage_ns = cpu_ms * 1'000'000;
  s.working_set = Bytes{ws_mib * k_mib};
  return s;
}

Resources limits(std::optional<std::int64_t> cpu_m, std::optional<std::int64_t> mem_mib) {
  Resources r;
  if (cpu_m) r.cpu_limit = Millicores{*cpu_m};
  if (mem_mib) r.memory_limit = Bytes{*mem_mib * k_mib};
  return r;
}

// Limit 500m, 80 % = 400m. Readings every 10 s; from t=100 on it uses 4.5 s
// of CPU per 10 s (450m) until t=420, then 1 s per 10 s. The run starts at
// the reading before the first busy interval (t=100) and ends at t=420: 320 s
// = 5m20s >= the 5 min window.
TEST(UsageRules, CpuAboveEightyPercentForTheWindow) {
  UsageRuleChecker checker{UsageRuleOptions{}};
  checker.container(1, "api", limits(500, std::nullopt));
  std::int64_t cpu_ms = 0;
  for (std::int64_t t = 0; t <= 600; t += 10) {
    if (t > 0) cpu_ms += t > 100 && t <= 420 ? 4500 : 1000;
    checker.sample(1, at(t, cpu_ms, 10));
  }
  auto f = checker.findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule_id, "cpu-near-limit");
  EXPECT_EQ(f[0].severity, Severity::warning);
  EXPECT_EQ(f[0].service, "api");
  EXPECT_EQ(f[0].message,
            "CPU at or above 80% of its 0.5 limit for 5m20s in a row (sustained window 5m): it is throttled when "
            "busy; raise the limit (stackfit recommend)");
}

// The same load with a 6 min window: 5m20s is not enough. And an interval
// just under 400m (3.99 s per 10 s) breaks the run.
TEST(UsageRules, ShorterRunsOrDipsAreNotSustained) {
  UsageRuleOptions six_minutes;
  six_minutes.sustained_ns = 360 * k_s;
  UsageRuleChecker checker{six_minutes};
  checker.container(1, "api", limits(500, std::nullopt));
  std::int64_t cpu_ms = 0;
  for (std::int64_t t = 0; t <= 600; t += 10) {
    if (t > 0) cpu_ms += t > 100 && t <= 420 ? 4500 : 1000;
    checker.sample(1, at(t, cpu_ms, 10));
  }
  EXPECT_TRUE(checker.findings().empty());
  UsageRuleChecker dips{UsageRuleOptions{}};
  dips.container(1, "api", limits(500, std::nullopt));
  cpu_ms = 0;
  for (std::int64_t t = 0; t <= 600; t += 10) {
    if (t > 0) cpu_ms += t == 200 || t == 400 ? 3990 : 4500;  // runs of 190 s, 190 s and 200 s
    dips.sample(1, at(t, cpu_ms, 10));
  }
  EXPECT_TRUE(dips.findings().empty());
}

// Limit 128 MiB: a peak of 116 MiB is 90.6 % (within 10 %); 115 MiB (89.8 %) is not.
TEST(UsageRules, MemoryWithinTenPercentOfTheLimit) {
  UsageRuleChecker checker{UsageRuleOptions{}};
  checker.container(1, "db", limits(std::nullopt, 128));
  checker.container(2, "cache", limits(std::nullopt, 128));
  checker.sample(1, at(0, 0, 100));
  checker.sample(1, at(10, 0, 116));
  checker.sample(2, at(0, 0, 115));
  auto f = checker.findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule_id, "memory-near-limit");
  EXPECT_EQ(f[0].message,
            "peak working set 116 MiB is 91% of its 128 MiB limit (within 10%): the next spike is an OOM kill");
}

// Requests 256 MiB and 500m over 10 minutes: peak 70 MiB (27 %) and average
// CPU 1 s per 10 s = 100m (20 %) are both under 30 %. A replica says the same
// once. Over less than the window (4 minutes) nothing is said.
TEST(UsageRules, UsageUnderThirtyPercentOfTheReservation) {
  Resources requests;
  requests.memory_request = Bytes{256 * k_mib};
  requests.cpu_request = Millicores{500};
  UsageRuleChecker checker{UsageRuleOptions{}};
  checker.container(1, "worker", requests);
  checker.container(2, "worker", requests);
  checker.container(3, "short", requests);
  for (std::int64_t t = 0; t <= 600; t += 10) {
    checker.sample(1, at(t, t * 100, t == 300 ? 70 : 40));
    checker.sample(2, at(t, t * 100, 40));
    if (t <= 240) checker.sample(3, at(t, t * 10, 1));
  }
  auto f = checker.findings();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].rule_id, "usage-below-reservation");
  EXPECT_EQ(f[0].severity, Severity::info);
  EXPECT_EQ(f[0].message, "average CPU 0.1 is under 30% of its 0.5 CPU request: scale the request down");
  EXPECT_EQ(f[1].message, "peak working set 70 MiB is under 30% of its 256 MiB memory request: scale the request down");
}

}  // namespace
}  // namespace stackfit
