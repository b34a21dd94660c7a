// doctor --db's fold of one pass over a recording: per-container peaks,
// kills and restarts with times, the stack's peak of the summed working set.
#include "stackfit/analyze/recorded_history.hpp"

#include <gtest/gtest.h>

#include "stackfit/analyze/usage_tee.hpp"

namespace stackfit {
namespace {

const WorkloadKey k_web{"", "service", "web", ""};
const WorkloadKey k_db{"", "service", "db", ""};
constexpr std::int64_t k_s = 1'000'000'000;

TEST(RecordedHistory, FoldsPeaksKillsRestartsAndTheStackSum) {
  TimelineBuilder timelines(10, k_s);
  InstancePeaks peaks;
  UsageTee tee(timelines, peaks);
  tee.memory_limit(k_web, "c1", 0, Bytes{100});
  tee.start(k_web, "c1", 0);
  tee.memory(k_web, "c1", 0, Bytes{40});
  tee.memory(k_web, "c1", 1 * k_s, Bytes{60});
  tee.memory(k_web, "c2", 1 * k_s, Bytes{30});  // a replica: 90 in bucket 1, but each container peaked at 60
  tee.oom_kill(k_web, "c1", 1 * k_s, 1);
  tee.start(k_web, "c1", 2 * k_s);  // c1 again: a restart
  tee.memory(k_db, "d1", 0, Bytes{20});
  tee.memory(k_db, "d1", 2 * k_s, Bytes{45});
  RecordedHistory h = fold_recorded_history(timelines.finish(), peaks.peaks(), {{"web", "shop"}, {"db", "shop"}});
  ASSERT_EQ(h.services.size(), 2u);
  const RecordedService& db = h.services[0];  // by project, then service
  const RecordedService& web = h.services[1];
  EXPECT_EQ(db.service, "db");
  EXPECT_EQ(db.project, "shop");
  EXPECT_EQ(db.peak_working_set, Bytes{45});
  EXPECT_EQ(db.memory_limit, std::nullopt);
  EXPECT_EQ(web.peak_working_set, Bytes{60});
  EXPECT_EQ(web.memory_limit, Bytes{100});
  EXPECT_EQ(web.oom_kills, 1);
  EXPECT_EQ(web.oom_kill_ns, (std::vector<std::int64_t>{1 * k_s}));
  EXPECT_EQ(web.restarts, 1);
  EXPECT_EQ(web.restart_ns, (std::vector<std::int64_t>{2 * k_s}));
  // Buckets: 0 -> 40 + 20, 1 -> 90 (db none), 2 -> 45 (web none): the peak of the sum is 90 at 1 s.
  EXPECT_EQ(h.stack_peak, Bytes{90});
  EXPECT_EQ(h.stack_peak_ns, 1 * k_s);
  EXPECT_EQ(h.bucket_ns, k_s);
  EXPECT_EQ(h.sum_of_peaks, Bytes{105});
}

TEST(RecordedHistory, NothingRecordedHasNoStackPeak) {
  TimelineBuilder timelines(10, k_s);
  RecordedHistory h = fold_recorded_history(timelines.finish(), {}, {});
  EXPECT_TRUE(h.services.empty());
  EXPECT_EQ(h.stack_peak, std::nullopt);
  EXPECT_EQ(h.sum_of_peaks, Bytes{0});
}

}  // namespace
}  // namespace stackfit
