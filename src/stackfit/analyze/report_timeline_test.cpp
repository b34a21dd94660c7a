#include "stackfit/analyze/report_timeline.hpp"
#include "stackfit/analyze/usage_tee.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

const WorkloadKey k_web{"", "service", "web", ""};
const WorkloadKey k_db{"", "service", "db", ""};
constexpr std::int64_t k_s = 1'000'000'000;

TEST(TimelineBuilder, BucketsKeepTheLargestReadingAndSumReplicas) {
  TimelineBuilder b(10, k_s);
  b.memory(k_web, "c1", 0 * k_s, Bytes{10});
  b.memory(k_web, "c1", 0 * k_s + 500'000'000, Bytes{30});  // same 1 s bucket: the max stays
  b.memory(k_web, "c1", 1 * k_s, Bytes{20});
  b.memory(k_web, "c2", 1 * k_s, Bytes{5});  // a replica: summed
  b.memory(k_db, "d1", 3 * k_s, Bytes{7});
  ReportTimelines t = b.finish();
  EXPECT_EQ(t.bucket_ns, k_s);
  EXPECT_EQ(t.first_ns, 0);
  ASSERT_EQ(t.buckets, 4u);
  ASSERT_EQ(t.workloads.size(), 2u);
  EXPECT_EQ(t.workloads[0].key, k_db);  // key order
  EXPECT_EQ(t.workloads[1].memory_bytes, (std::vector<std::int64_t>{30, 25, -1, -1}));
  EXPECT_EQ(t.workloads[0].memory_bytes, (std::vector<std::int64_t>{-1, -1, -1, 7}));
  EXPECT_EQ(t.workloads[1].memory_points, 4);
  EXPECT_EQ(t.workloads[1].peak(), Bytes{30});
}

TEST(TimelineBuilder, CoarsensByDoublingAndNeverAveragesAPeakAway) {
  TimelineBuilder b(4, k_s);
  // 100 readings, one second apart, a single spike of 1000 at t = 37 s.
  for (std::int64_t i = 0; i < 100; ++i) b.memory(k_web, "c1", i * k_s, Bytes{i == 37 ? 1000 : 1});
  ReportTimelines t = b.finish();
  ASSERT_LE(t.buckets, 4u);
  EXPECT_EQ(t.bucket_ns, 32 * k_s);  // 1 s doubled until 100 s fit in 4 buckets
  EXPECT_EQ(t.workloads[0].memory_bytes, (std::vector<std::int64_t>{1, 1000, 1, 1}));
}

TEST(TimelineBuilder, ReadingsOutOfOrderStillLandOnOneGrid) {
  TimelineBuilder b(8, k_s);
  b.memory(k_web, "c1", 100 * k_s, Bytes{1});
  b.memory(k_db, "d1", 10 * k_s, Bytes{2});  // earlier than everything seen: the grid widens
  ReportTimelines t = b.finish();
  ASSERT_LE(t.buckets, 8u);
  EXPECT_LE(t.first_ns, 10 * k_s);
  EXPECT_GT(t.first_ns + static_cast<std::int64_t>(t.buckets) * t.bucket_ns, 100 * k_s);
  EXPECT_EQ(t.workloads[0].memory_bytes.front(), 2);
  EXPECT_EQ(t.workloads[1].memory_bytes.back(), 1);
}

TEST(TimelineBuilder, StartsRestartsKillsAndLimits) {
  TimelineBuilder b;
  b.start(k_web, "c1", 1 * k_s);
  b.memory_limit(k_web, "c1", 1 * k_s, Bytes{64});
  b.memory_limit(k_web, "c2", 1 * k_s, Bytes{32});
  b.cpu_limit(k_web, "c1", 1 * k_s, Millicores{500});
  b.oom_kill(k_web, "c1", 5 * k_s);
  b.start(k_web, "c1", 6 * k_s);  // the same container again: a restart
  b.start(k_web, "c2", 7 * k_s);  // another container's first start
  b.cpu(k_web, "c1", 6 * k_s, Millicores{250});
  ReportTimelines t = b.finish();
  ASSERT_EQ(t.workloads.size(), 1u);
  const WorkloadTimeline& w = t.workloads[0];
  EXPECT_EQ(w.start_ns, (std::vector<std::int64_t>{1 * k_s, 7 * k_s}));
  EXPECT_EQ(w.restart_ns, (std::vector<std::int64_t>{6 * k_s}));
  EXPECT_EQ(w.restarts, 1);
  EXPECT_EQ(w.oom_kill_ns, (std::vector<std::int64_t>{5 * k_s}));
  EXPECT_EQ(w.memory_limit, Bytes{64});
  EXPECT_EQ(w.cpu_limit, Millicores{500});
  EXPECT_EQ(w.cpu_millicores, (std::vector<std::int64_t>{250}));
  EXPECT_EQ(w.memory_bytes, (std::vector<std::int64_t>{-1}));
  EXPECT_FALSE(w.peak().has_value());
}

TEST(TimelineBuilder, MarkersAreBoundedButCounted) {
  TimelineBuilder b;
  for (std::size_t i = 0; i < k_max_timeline_markers + 10; ++i) b.oom_kill(k_web, "c1", static_cast<std::int64_t>(i));
  ReportTimelines t = b.finish();
  EXPECT_EQ(t.workloads[0].oom_kill_ns.size(), k_max_timeline_markers);
  EXPECT_EQ(t.workloads[0].oom_kills, static_cast<std::int64_t>(k_max_timeline_markers + 10));
  EXPECT_EQ(t.buckets, 0u);  // no reading: nothing to draw
}

TEST(UsageTee, BothSinksSeeEveryPoint) {
  TimelineBuilder a, b;
  UsageTee tee(a, b);
  tee.memory(k_web, "c1", 0, Bytes{3});
  tee.oom_kill(k_web, "c1", 0);
  EXPECT_EQ(a.finish().workloads[0].oom_kills, 1);
  EXPECT_EQ(b.finish().workloads[0].memory_bytes, (std::vector<std::int64_t>{3}));
}

}  // namespace
}  // namespace stackfit
