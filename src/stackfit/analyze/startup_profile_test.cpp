#include "stackfit/analyze/startup_profile.hpp"

#include <gtest/gtest.h>

#include "stackfit/analyze/usage_summary.hpp"

namespace stackfit {
namespace {

constexpr std::int64_t k_ms = 1'000'000;  // ns
constexpr std::int64_t k_mi = 1024 * 1024;

Sample at(std::int64_t t_ms, std::int64_t ws_mib) {
  Sample s;
  s.time_ns = t_ms * k_ms;
  s.working_set = Bytes{ws_mib * k_mi};
  return s;
}

TEST(StartupProfile, PeakSteadyAndSettleOfOneStart) {
  // Start at 1000 ms; ramps to 300 MiB, drops to 50 at 4000 ms; window 5 s.
  std::vector<Sample> samples = {at(1000, 10), at(2000, 300), at(3000, 280), at(4000, 50), at(5000, 50),
                                 at(7000, 40), at(8000, 60), at(9000, 50)};
  std::vector<std::int64_t> container(samples.size(), 7);
  auto m = measure_startup(samples, container, {{7, 1000 * k_ms}}, 5000);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->startup_peak.count, 300 * k_mi);
  // Outside the window (> 6000 ms): 40, 60, 50 -> p95 = 60.
  EXPECT_EQ(m->steady.count, 60 * k_mi);
  // Threshold 60 + 24 = 84 MiB, first reached at 4000 ms: 3000 ms after the start.
  EXPECT_EQ(m->settle_ms, 3000);
  EXPECT_EQ(m->starts, 1);
}

TEST(StartupProfile, NoObservedStartMeansNoMeasurement) {
  std::vector<Sample> samples = {at(1000, 10), at(2000, 300)};
  EXPECT_FALSE(measure_startup(samples, {1, 1}, {}, 5000));
  // A start of another container, or one after every sample, does not count.
  EXPECT_FALSE(measure_startup(samples, {1, 1}, {{2, 0}}, 5000));
  EXPECT_FALSE(measure_startup(samples, {1, 1}, {{1, 3000 * k_ms}}, 5000));
}

TEST(StartupProfile, ShortRecordingFallsBackToLastReadingAndWindowBoundsSettle) {
  // Everything is inside the window: steady = the last reading (100); back
  // under 100 + 40 at 2000 ms.
  std::vector<Sample> samples = {at(0, 200), at(1000, 500), at(2000, 100)};
  auto m = measure_startup(samples, {1, 1, 1}, {{1, 0}}, 60000);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->steady.count, 100 * k_mi);
  EXPECT_EQ(m->settle_ms, 2000);
  // Readings outside a 2 s window set steady at 100; the start-up never
  // comes back under 100 + 40 within the window: settle = the window.
  std::vector<Sample> stuck = {at(0, 200), at(1000, 500), at(2000, 450), at(5000, 100), at(6000, 100)};
  auto s = measure_startup(stuck, {1, 1, 1, 1, 1}, {{1, 0}}, 2000);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->steady.count, 100 * k_mi);
  EXPECT_EQ(s->startup_peak.count, 500 * k_mi);
  EXPECT_EQ(s->settle_ms, 2000);
}

TEST(StartupProfile, ReplicasAndRestartsTakeTheLargest) {
  // Containers 1 and 2 interleaved; container 1 restarts at 10 s with a higher peak.
  std::vector<Sample> samples = {at(0, 100), at(0, 150), at(1000, 20), at(1000, 30),
                                 at(10000, 400), at(11000, 20), at(12000, 25)};
  std::vector<std::int64_t> container = {1, 2, 1, 2, 1, 1, 2};
  auto m = measure_startup(samples, container, {{1, 0}, {2, 0}, {1, 10000 * k_ms}}, 2000);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->startup_peak.count, 400 * k_mi);
  EXPECT_EQ(m->starts, 3);
  // Outside windows: container 2 at 12000 ms only (25 MiB).
  EXPECT_EQ(m->steady.count, 25 * k_mi);
  // Settle: run (1,0): peak 100 at 0, 20 <= 25+7 at 1000 -> 1000; (2,0): 30 <= 25+12 -> 1000;
  // (1,10 s): 20 at 11000 -> 1000.
  EXPECT_EQ(m->settle_ms, 1000);
}

TEST(StartupProfile, MismatchedInputsAreBounded) {
  // container_of shorter than samples: extra samples are ignored, not read past the end.
  std::vector<Sample> samples = {at(0, 100), at(1000, 50)};
  auto m = measure_startup(samples, {1}, {{1, 0}}, 5000);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->startup_peak.count, 100 * k_mi);
}

// A long history: the steady p95 over ~20,000 readings outside the windows
// is exact (nearest rank over every such reading), though the builder keeps
// only the start-up windows' readings and a percentile's buckets.
TEST(StartupProfile, LongHistoryGivesTheExactSteadyP95) {
  std::vector<Sample> samples;
  std::vector<std::int64_t> container;
  std::vector<std::int64_t> outside;
  std::uint64_t noise = 12345;
  for (std::int64_t t = 0; t < 10'000; ++t) {
    for (std::int64_t c : {1, 2}) {
      noise = noise * 6364136223846793005ULL + 1442695040888963407ULL;
      Sample s;
      s.time_ns = t * 1000 * k_ms;
      s.working_set = Bytes{(200 * k_mi) + static_cast<std::int64_t>((noise >> 33) % 25600) * 4096};
      samples.push_back(s);
      container.push_back(c);
      bool in_window = (c == 1 && t >= 100 && t <= 160) || (c == 2 && t >= 5000 && t <= 5060);
      if (!in_window) outside.push_back(s.working_set.count);
    }
  }
  auto m = measure_startup(samples, container, {{1, 100'000 * k_ms}, {2, 5'000'000 * k_ms}}, 60'000);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->starts, 2);
  EXPECT_EQ(m->steady.count, nearest_rank_percentile(outside, 95.0));
}

TEST(TimeToHealthy, FirstHealthyEventAfterEachStart) {
  constexpr std::int64_t ms = 1'000'000;
  // Container 1: started at 0, unhealthy at 2 s, healthy at 5 s, healthy again
  // at 6 s (ignored); restarted at 10 s, healthy at 11.5 s. Container 2:
  // started at 1 s, healthy at 3 s. Container 3 is another service's.
  std::vector<ContainerStart> starts = {{1, 0}, {2, 1000 * ms}, {1, 10000 * ms}, {3, 0}};
  std::vector<HealthEvent> health = {{1, 2000 * ms, false}, {1, 5000 * ms, true},  {1, 6000 * ms, true},
                                     {2, 3000 * ms, true},  {1, 11500 * ms, true}, {3, 60000 * ms, true}};
  auto m = measure_time_to_healthy({1, 2}, starts, health);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->starts, 3);
  EXPECT_EQ(m->max_ms, 5000);
  EXPECT_EQ(m->median_ms, 2000);  // of 1500, 2000, 5000
  EXPECT_EQ(m->never_healthy, 0);
}

TEST(TimeToHealthy, StartsThatNeverTurnedHealthyAreCountedNotMeasured) {
  constexpr std::int64_t ms = 1'000'000;
  // Started at 0, restarted at 4 s before any healthy event; healthy at 7 s.
  auto m = measure_time_to_healthy({1}, {{1, 4000 * ms}, {1, 0}}, {{1, 7000 * ms, true}});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->starts, 1);
  EXPECT_EQ(m->never_healthy, 1);
  EXPECT_EQ(m->max_ms, 3000);
  // A healthy event from before the start (an earlier life) does not count.
  EXPECT_FALSE(measure_time_to_healthy({1}, {{1, 5000 * ms}}, {{1, 4000 * ms, true}}));
  EXPECT_FALSE(measure_time_to_healthy({1}, {{1, 0}}, {{1, 4000 * ms, false}}));
  EXPECT_FALSE(measure_time_to_healthy({}, {{1, 0}}, {{1, 4000 * ms, true}}));
  EXPECT_FALSE(measure_time_to_healthy({1}, {}, {{1, 4000 * ms, true}}));
}

}  // namespace
}  // namespace stackfit
