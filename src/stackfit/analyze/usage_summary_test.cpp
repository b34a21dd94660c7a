#include "stackfit/analyze/usage_summary.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>

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

// The history path: points pushed through the UsageSink interface twice
// (as `history` reads Prometheus twice), three workloads with interleaved
// instances. Every figure equals the full computation over all points.
TEST(UsageSummaryBuilder, SinkFedTwiceIsExactAgainstTheFullSort) {
  std::mt19937_64 random(1616);
  const std::vector<WorkloadKey> keys = {{"shop", "Deployment", "api", "api"},
                                         {"shop", "StatefulSet", "db", "postgres"},
                                         {"batch", "Pod", "debug", "sh"}};
  struct Point {
    std::size_t workload;
    std::string instance;
    std::int64_t t_ns;
    std::int64_t memory;
    std::int64_t cpu;
  };
  std::vector<Point> points;
  std::map<std::size_t, std::vector<std::int64_t>> memory, cpu;
  for (int t = 0; t < 5000; ++t) {
    std::size_t w = random() % keys.size();
    std::string instance = "pod-" + std::to_string(random() % (w + 1));
    std::int64_t m = (w + 1) * 100 * k_mib + static_cast<std::int64_t>(random() % 8192) * 4096;
    std::int64_t c = static_cast<std::int64_t>(random() % (w == 2 ? 3 : 4000));
    points.push_back({w, instance, t * std::int64_t{60'000'000'000}, m, c});
    memory[w].push_back(m);
    cpu[w].push_back(c);
  }
  UsageSummaryBuilder builder;
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) builder.start_second_pass();
    for (const Point& p : points) {
      builder.memory(keys[p.workload], p.instance, p.t_ns, Bytes{p.memory});
      builder.cpu(keys[p.workload], p.instance, p.t_ns, Millicores{p.cpu});
      if (p.memory > 299 * k_mib) builder.oom_kill(keys[p.workload], p.instance, p.t_ns);  // counted once
    }
  }
  builder.memory_limit(keys[1], "pod-0", 0, Bytes{k_gib});  // pass 2: ignored
  std::vector<UsageSummary> got = builder.summaries();
  ASSERT_EQ(got.size(), 3u);
  for (const UsageSummary& u : got) {
    std::size_t w = static_cast<std::size_t>(std::find(keys.begin(), keys.end(), u.key) - keys.begin());
    ASSERT_LT(w, keys.size());
    SCOPED_TRACE(u.key.name);
    const auto& m = memory[w];
    EXPECT_EQ(u.instances, static_cast<std::int64_t>(w + 1));
    EXPECT_EQ(u.samples, static_cast<std::int64_t>(m.size()));
    EXPECT_EQ(u.p95_working_set.count, nearest_rank_percentile(m, 95));
    EXPECT_EQ(u.peak_working_set.count, *std::max_element(m.begin(), m.end()));
    EXPECT_EQ(u.cpu_samples, static_cast<std::int64_t>(cpu[w].size()));
    EXPECT_EQ(u.cpu_p95->count, nearest_rank_percentile(cpu[w], 95));
    EXPECT_EQ(u.cpu_peak->count, *std::max_element(cpu[w].begin(), cpu[w].end()));
    EXPECT_EQ(u.oom_kills, std::count_if(m.begin(), m.end(), [](std::int64_t v) { return v > 299 * k_mib; }));
    EXPECT_FALSE(u.memory_limit.has_value());
  }
  EXPECT_EQ(got[0].key.namespace_, "batch");  // ordered by key
}

// The record path: cumulative counters through SampleUsageFeed, exact
// against rates computed by hand over every sample.
TEST(UsageSummaryBuilder, RecordedSamplesAreExactAgainstTheFullSort) {
  std::mt19937_64 random(2026);
  std::vector<Sample> samples;
  std::vector<std::int64_t> containers;
  std::map<std::int64_t, Sample> previous;
  std::vector<std::int64_t> memory, rates;
  std::map<std::int64_t, std::int64_t> cpu_ns;
  for (int t = 0; t < 3000; ++t) {
    std::int64_t c = static_cast<std::int64_t>(random() % 3);
    cpu_ns[c] = random() % 200 == 0 ? 0 : cpu_ns[c] + static_cast<std::int64_t>(random() % 900'000'000);
    Sample s = at(t, 0, 0);
    s.working_set = Bytes{40 * k_mib + static_cast<std::int64_t>(random() % 4096) * 4096};
    s.cpu_usage_ns = cpu_ns[c];
    auto [it, first] = previous.try_emplace(c, s);
    if (!first) {
      if (s.cpu_usage_ns >= it->second.cpu_usage_ns) {
        rates.push_back((s.cpu_usage_ns - it->second.cpu_usage_ns) * 1000 / (s.time_ns - it->second.time_ns));
      }
      it->second = s;
    }
    samples.push_back(s);
    containers.push_back(c);
    memory.push_back(s.working_set.count);
  }
  UsageSummary u = summarize_usage(WorkloadKey{"p", "service", "worker", ""}, samples, containers);
  EXPECT_EQ(u.instances, 3);
  EXPECT_EQ(u.samples, 3000);
  EXPECT_EQ(u.p95_working_set.count, nearest_rank_percentile(memory, 95));
  EXPECT_EQ(u.cpu_samples, static_cast<std::int64_t>(rates.size()));
  EXPECT_EQ(u.cpu_p95->count, nearest_rank_percentile(rates, 95));
  EXPECT_EQ(u.cpu_peak->count, *std::max_element(rates.begin(), rates.end()));
}

// A point that arrived between the two reads (pass 2 only) and a workload
// first seen in pass 2: no crash, no made-up figure. Counts stay pass 1's;
// the p95 is a value that was read, within the band pass 1 chose or exact
// for pass 2.
TEST(UsageSummaryBuilder, ALatePointInThePassTwoReadGivesARealValue) {
  const WorkloadKey key{"shop", "Deployment", "web", "web"};
  UsageSummaryBuilder builder;
  for (std::int64_t i = 1; i <= 100; ++i) builder.memory(key, "web-1", i, Bytes{i * 10 * k_mib});
  builder.start_second_pass();
  builder.start_second_pass();  // a second call changes nothing
  for (std::int64_t i = 1; i <= 100; ++i) builder.memory(key, "web-1", i, Bytes{i * 10 * k_mib});
  builder.memory(key, "web-1", 101, Bytes{5000 * k_mib});  // late: pass 2 has 101 points, rank 96
  builder.memory(WorkloadKey{"shop", "Deployment", "new", "new"}, "new-1", 101, Bytes{k_mib});
  builder.cpu(key, "web-1", 101, Millicores{250});  // no CPU in pass 1: stays absent
  std::vector<UsageSummary> got = builder.summaries();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].samples, 100);
  EXPECT_EQ(got[0].peak_working_set.count, 1000 * k_mib);
  EXPECT_EQ(got[0].p95_working_set.count, 950 * k_mib);  // pass 1's value: rank 96 of pass 2 is outside its band
  EXPECT_FALSE(got[0].cpu_p95.has_value());

  UsageSummaryBuilder lost;  // a point gone in pass 2: rank 95 of 99 is 960 MiB, outside the band
  for (std::int64_t i = 1; i <= 100; ++i) lost.memory(key, "web-1", i, Bytes{i * 10 * k_mib});
  lost.start_second_pass();
  for (std::int64_t i = 2; i <= 100; ++i) lost.memory(key, "web-1", i, Bytes{i * 10 * k_mib});
  EXPECT_EQ(lost.summary(key).p95_working_set.count, 950 * k_mib);
  EXPECT_EQ(lost.summary(WorkloadKey{}).samples, 0);  // never fed: its key only
}

}  // namespace
}  // namespace stackfit
