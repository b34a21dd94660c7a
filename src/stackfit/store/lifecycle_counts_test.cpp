#include "stackfit/store/lifecycle_counts.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

using K = EventKind;

TEST(SampleStoreCounting, CounterIncreasesAreSummed) {
  EXPECT_EQ(counter_increase(std::nullopt, {0, 0, 1, 1, 3}), 3);
  EXPECT_EQ(counter_increase(std::nullopt, {}), 0);
}

TEST(SampleStoreCounting, FirstReadingWithoutBaselineIsOnlyTheStartingPoint) {
  EXPECT_EQ(counter_increase(std::nullopt, {2, 2, 2}), 0);
  EXPECT_EQ(counter_increase(1, {2, 2, 2}), 1);
}

TEST(SampleStoreCounting, DropIsAResetAndCountsTheNewValue) {
  // 0 -> 2 (two kills), cgroup recreated, 0 -> 1 (one more).
  EXPECT_EQ(counter_increase(std::nullopt, {0, 2, 0, 1}), 3);
  EXPECT_EQ(counter_increase(std::nullopt, {0, 2, 1}), 3);
}

TEST(SampleStoreCounting, OomKillsAreTheLargerSourceNotTheSum) {
  LifecycleCounts counts = count_lifecycle({K::oom, K::start});
  EXPECT_EQ(counts.oom_events, 1);
  EXPECT_EQ(container_oom_kills(counts, 1), 1);  // the same kill seen twice
  EXPECT_EQ(container_oom_kills(counts, 3), 3);  // events missed while the engine was down
  EXPECT_EQ(container_oom_kills(count_lifecycle({K::oom, K::oom}), 0), 2);  // cgroup gone before a reading
}

TEST(SampleStoreCounting, DockerRestartCountsOnceNotTwice) {
  // `docker restart` emits die, start and restart for one restart.
  EXPECT_EQ(container_restarts(count_lifecycle({K::die, K::start, K::restart})), 1);
}

TEST(SampleStoreCounting, RestartPolicyCountsDieThenStart) {
  EXPECT_EQ(container_restarts(count_lifecycle({K::start, K::die, K::start, K::die, K::start})), 2);
  // A die without a later start is a stop, not a restart.
  EXPECT_EQ(container_restarts(count_lifecycle({K::start, K::die})), 0);
  // Two dies before one start are one restart; destroy ends the container.
  EXPECT_EQ(container_restarts(count_lifecycle({K::die, K::die, K::start})), 1);
  EXPECT_EQ(container_restarts(count_lifecycle({K::die, K::destroy, K::start})), 0);
}

TEST(SampleStoreCounting, RestartEventsAloneCount) {
  // The recorder may log `restart` from a RestartCount rise it saw after
  // missing the die/start events.
  EXPECT_EQ(container_restarts(count_lifecycle({K::restart, K::restart})), 2);
}

}  // namespace
}  // namespace stackfit
