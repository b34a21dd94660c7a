#include "stackfit/analyze/usage_summary.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

Sample at(std::int64_t t_s, std::int64_t ws_mib, std::int64_t cpu_ms) {
  Sample s;
  s.time_ns = t_s * 1'000'000'000;
  s.working_set = Bytes{ws_mib * k_mib};
  s.cpu_usage_ns = cpu_ms * 1'000'000;
  return s;
}

TEST(UsageSummary, NearestRankPercentile) {
  EXPECT_EQ(nearest_rank_percentile({}, 95), 0);
  EXPECT_EQ(nearest_rank_percentile({7}, 95), 7);
  std::vector<std::int64_t> v;
  for (int i = 1; i <= 100; ++i) v.push_back(101 - i);
  EXPECT_EQ(nearest_rank_percentile(v, 95), 95);
  EXPECT_EQ(nearest_rank_percentile(v, 100), 100);
  EXPECT_EQ(nearest_rank_percentile(v, 50), 50);
}

TEST(UsageSummary, PeakP95AverageOfWorkingSet) {
  std::vector<Sample> samples;
  std::vector<std::int64_t> keys;
  for (int i = 0; i < 20; ++i) {
    samples.push_back(at(i, i == 10 ? 200 : 100, i * 500));
    keys.push_back(1);
  }
  UsageSummary u = summarize_usage(WorkloadKey{"p", "service", "api", ""}, samples, keys);
  EXPECT_EQ(u.samples, 20);
  EXPECT_EQ(u.peak_working_set.count, 200 * k_mib);
  EXPECT_EQ(u.p95_working_set.count, 100 * k_mib);  // rank 19 of 20: one outlier is above p95
  EXPECT_EQ(u.average_working_set.count, 105 * k_mib);
  ASSERT_TRUE(u.cpu_p95.has_value());
  EXPECT_EQ(u.cpu_p95->count, 500);  // 0.5 s of CPU per second
  EXPECT_EQ(u.first_ns, 0);
  EXPECT_EQ(u.last_ns, 19'000'000'000);
}

TEST(UsageSummary, CpuRatesArePerContainerAndSkipCounterResets) {
  // Two replicas interleaved; the second restarts (counter drops) at t=3.
  std::vector<Sample> samples = {at(0, 10, 0), at(0, 10, 5000), at(1, 10, 250), at(1, 10, 6000),
                                 at(2, 10, 500), at(2, 10, 7000), at(3, 10, 750), at(3, 10, 10)};
  std::vector<std::int64_t> keys = {1, 2, 1, 2, 1, 2, 1, 2};
  UsageSummary u = summarize_usage(WorkloadKey{"p", "service", "worker", ""}, samples, keys);
  ASSERT_TRUE(u.cpu_peak.has_value());
  EXPECT_EQ(u.cpu_peak->count, 1000);  // replica 2: 1 s of CPU per second
  EXPECT_EQ(u.cpu_p95->count, 1000);
}

// Throttling is the counters' increase per container, summed over replicas;
// a restart (counters drop) is skipped, as for CPU time. Replica 1: 10 + 10
// periods, 2 + 8 throttled; replica 2: 10 periods, 0 throttled, then a
// reset. Total 30 periods, 10 throttled: 33.3 %.
TEST(UsageSummary, ThrottlingIsSummedPerContainerAndSkipsResets) {
  auto with = [](Sample s, std::int64_t periods, std::int64_t throttled) {
    s.cpu_periods = periods;
    s.cpu_throttled_periods = throttled;
    s.cpu_throttled_ns = throttled * 50'000'000;
    return s;
  };
  std::vector<Sample> samples = {with(at(0, 10, 0), 100, 7),   with(at(0, 10, 0), 50, 0),
                                 with(at(1, 10, 90), 110, 9),  with(at(1, 10, 90), 60, 0),
                                 with(at(2, 10, 190), 120, 17), with(at(2, 10, 5), 3, 1)};
  std::vector<std::int64_t> keys = {1, 2, 1, 2, 1, 2};
  UsageSummary u = summarize_usage(WorkloadKey{"p", "service", "api", ""}, samples, keys);
  EXPECT_EQ(u.throttling.periods, 30);
  EXPECT_EQ(u.throttling.throttled_periods, 10);
  EXPECT_EQ(u.throttling.throttled_ns, 500'000'000);
  EXPECT_NEAR(throttled_percent(u.throttling).value(), 33.33, 0.01);
}

TEST(UsageSummary, EmptySeries) {
  UsageSummary u = summarize_usage(WorkloadKey{"p", "service", "idle", ""}, {}, {});
  EXPECT_EQ(u.samples, 0);
  EXPECT_FALSE(u.cpu_p95.has_value());
}

}  // namespace
}  // namespace stackfit
