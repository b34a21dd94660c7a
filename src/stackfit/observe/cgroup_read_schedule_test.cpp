#include "stackfit/observe/cgroup_read_schedule.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

using Need = CgroupReadSchedule::Need;

bool same(Need a, Need b) { return a.stat == b.stat && a.oom == b.oom && a.peak == b.peak; }

TEST(CgroupReadSchedule, FirstReadingReadsEverything) {
  CgroupReadSchedule schedule;
  EXPECT_TRUE(same(schedule.next(0, 0), Need{true, true, true}));
}

TEST(CgroupReadSchedule, IdleCgroupReusesTheSlowFilesUntilTheRefresh) {
  CgroupReadSchedule schedule;
  (void)schedule.next(4096, 100);
  // Readings 2..10 see the same usage and CPU time: nothing but the two cheap files.
  for (int reading = 2; reading <= CgroupReadSchedule::k_refresh_readings; ++reading) {
    EXPECT_TRUE(same(schedule.next(4096, 100), Need{false, false, false})) << "reading " << reading;
  }
  // Reading 11 is the k_refresh_readings-th since the last full one: it
  // re-reads memory.stat; nothing ran since the counters were read, so not
  // the OOM counter or the peak.
  EXPECT_TRUE(same(schedule.next(4096, 100), Need{true, false, false}));
  EXPECT_TRUE(same(schedule.next(4096, 100), Need{false, false, false}));
}

// After a task ran (CPU time moved) the next refresh reads the counters
// again, even if the cgroup is idle by then.
TEST(CgroupReadSchedule, TheRefreshRereadsTheCountersAfterATaskRan) {
  CgroupReadSchedule schedule;
  (void)schedule.next(4096, 100);
  EXPECT_TRUE(same(schedule.next(4096, 150), Need{true, true, false}));  // ran: stat and counter
  for (int reading = 3; reading <= CgroupReadSchedule::k_refresh_readings; ++reading) {
    ASSERT_TRUE(same(schedule.next(4096, 150), Need{false, false, false})) << "reading " << reading;
  }
  EXPECT_TRUE(same(schedule.next(4096, 150), Need{true, true, true}));  // reading 11: the refresh
  for (int reading = 12; reading <= 2 * CgroupReadSchedule::k_refresh_readings; ++reading) {
    ASSERT_TRUE(same(schedule.next(4096, 150), Need{false, false, false})) << "reading " << reading;
  }
  EXPECT_TRUE(same(schedule.next(4096, 150), Need{true, false, false}));  // reading 21: idle since 11
}

// Without a CPU time to go by (0: no cpuacct counter), every refresh reads everything.
TEST(CgroupReadSchedule, WithoutCpuTimeEveryRefreshReadsTheCounters) {
  CgroupReadSchedule schedule;
  int peaks = 0;
  for (int reading = 0; reading < 1 + 2 * CgroupReadSchedule::k_refresh_readings; ++reading) {
    if (schedule.next(4096, 0).peak) ++peaks;
  }
  EXPECT_EQ(peaks, 3);
}

TEST(CgroupReadSchedule, MovedUsageOrCpuReadsStatAndOomCounter) {
  CgroupReadSchedule schedule;
  (void)schedule.next(4096, 100);
  EXPECT_TRUE(same(schedule.next(8192, 100), Need{true, true, false}));   // usage up
  EXPECT_TRUE(same(schedule.next(8192, 100), Need{false, false, false}));
  EXPECT_TRUE(same(schedule.next(8192, 150), Need{true, true, false}));   // CPU only
  EXPECT_TRUE(same(schedule.next(1024, 150), Need{true, true, false}));   // usage down (a kill frees memory)
}

TEST(CgroupReadSchedule, RefreshComesEveryKReadingsWhateverMoves) {
  CgroupReadSchedule schedule;
  int peaks = 0;
  constexpr int k_readings = 1 + 3 * CgroupReadSchedule::k_refresh_readings;
  for (int reading = 0; reading < k_readings; ++reading) {
    if (schedule.next(reading * 4096, reading).peak) ++peaks;
  }
  EXPECT_EQ(peaks, 4);  // readings 0, 10, 20, 30
}

// With an engine announcing OOM kills, a busy cgroup reads memory.stat but
// not the counter, until an event, a usage drop or the refresh.
TEST(CgroupReadSchedule, WithOomEventsTheCounterWaitsForAnEventOrADrop) {
  CgroupReadSchedule schedule;
  schedule.rely_on_oom_events();
  EXPECT_TRUE(same(schedule.next(4096, 100), Need{true, true, true}));
  EXPECT_TRUE(same(schedule.next(8192, 200), Need{true, false, false}));  // busy, growing
  EXPECT_TRUE(same(schedule.next(8192, 300), Need{true, false, false}));  // busy, flat
  schedule.oom_event();
  EXPECT_TRUE(same(schedule.next(12288, 400), Need{true, true, false}));  // after the event
  EXPECT_TRUE(same(schedule.next(16384, 500), Need{true, false, false}));  // the event is used up
  EXPECT_TRUE(same(schedule.next(4096, 600), Need{true, true, false}));   // a drop: the host's OOM killer?
  EXPECT_TRUE(same(schedule.next(4096, 600), Need{false, false, false}));  // idle
}

TEST(CgroupReadSchedule, WithOomEventsTheRefreshStillReadsTheCounter) {
  CgroupReadSchedule schedule;
  schedule.rely_on_oom_events();
  int oom_reads = 0;
  constexpr int k_readings = 1 + 2 * CgroupReadSchedule::k_refresh_readings;
  for (int reading = 0; reading < k_readings; ++reading) {
    if (schedule.next(4096 + reading * 4096, reading).oom) ++oom_reads;  // growing and busy throughout
  }
  EXPECT_EQ(oom_reads, 3);  // readings 0, 10, 20
}

TEST(CgroupReadSchedule, UsageIsNeededWhenCpuTimeMoved) {
  CgroupReadSchedule schedule;
  EXPECT_TRUE(schedule.usage_needed(100));  // the first reading
  (void)schedule.next(4096, 100);
  EXPECT_FALSE(schedule.usage_needed(100));
  EXPECT_TRUE(schedule.usage_needed(101));
  EXPECT_TRUE(schedule.usage_needed(std::nullopt));  // no CPU time to go by
  EXPECT_EQ(schedule.last_usage(), 4096);
}

TEST(CgroupReadSchedule, UsageIsNeededAtTheRefreshAndAfterAnOomEvent) {
  CgroupReadSchedule schedule;
  schedule.rely_on_oom_events();
  (void)schedule.next(4096, 100);
  for (int reading = 2; reading <= CgroupReadSchedule::k_refresh_readings; ++reading) {
    ASSERT_FALSE(schedule.usage_needed(100)) << "reading " << reading;
    (void)schedule.next(schedule.last_usage(), 100);
  }
  EXPECT_TRUE(schedule.usage_needed(100));  // reading 11: the refresh
  EXPECT_TRUE(same(schedule.next(4096, 100), Need{true, false, false}));  // idle: counters kept
  EXPECT_FALSE(schedule.usage_needed(100));
  schedule.oom_event();
  EXPECT_TRUE(schedule.usage_needed(100));
}

TEST(CgroupReadSchedule, ZeroCpuTimeGivesNothingToGoBy) {
  CgroupReadSchedule schedule;
  (void)schedule.next(4096, 0);
  EXPECT_TRUE(schedule.usage_needed(0));
}

// Usage found risen while the CPU time stood still: the CPU time is not the
// cgroup's own, and usage is read every time from then on.
TEST(CgroupReadSchedule, UsageRisenWithoutCpuTimeStopsTheWait) {
  CgroupReadSchedule schedule;
  (void)schedule.next(4096, 100);
  (void)schedule.next(2048, 100);  // a fall without CPU time is fine (reclaim)
  EXPECT_FALSE(schedule.usage_needed(100));
  (void)schedule.next(8192, 100);
  EXPECT_TRUE(schedule.usage_needed(100));
  (void)schedule.next(8192, 200);
  EXPECT_TRUE(schedule.usage_needed(200));
}

}  // namespace
}  // namespace stackfit
