#include "stackfit/plan/drop_knapsack.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <random>

namespace stackfit {
namespace {

struct Best {
  bool feasible = false;
  std::int64_t cost = std::numeric_limits<std::int64_t>::max();
  std::int64_t saved = 0;
};

// Every combination of choices.
Best brute_force(const std::vector<DropGroup>& groups, Bytes need) {
  Best best;
  std::vector<std::size_t> pick(groups.size(), 0);
  while (true) {
    std::int64_t cost = 0;
    std::int64_t saved = 0;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      cost += groups[g].choices[pick[g]].cost;
      saved += groups[g].choices[pick[g]].saved.count;
    }
    if (saved >= need.count && (cost < best.cost || (cost == best.cost && saved < best.saved))) {
      best = Best{true, cost, saved};
    }
    std::size_t g = 0;
    for (; g < groups.size(); ++g) {
      if (++pick[g] < groups[g].choices.size()) break;
      pick[g] = 0;
    }
    if (g == groups.size()) break;
  }
  return best;
}

TEST(DropKnapsack, MatchesBruteForceOnRandomSmallCases) {
  std::mt19937 rng(20261130);
  for (int round = 0; round < 400; ++round) {
    std::vector<DropGroup> groups(1 + rng() % 6);
    for (DropGroup& g : groups) {
      g.choices.push_back(DropChoice{3, Bytes{0}, 0});
      std::size_t extra = 1 + rng() % 3;
      std::int64_t each = static_cast<std::int64_t>(1 + rng() % 300) * k_mib;
      for (std::size_t c = 1; c <= extra; ++c) {
        g.choices.push_back(DropChoice{static_cast<std::int64_t>(3 - c), Bytes{each * static_cast<std::int64_t>(c)},
                                       static_cast<std::int64_t>(rng() % 20)});
      }
    }
    Bytes need{static_cast<std::int64_t>(rng() % 1500) * k_mib};
    Best want = brute_force(groups, need);
    DropSolution got = solve_drop_knapsack(groups, need);
    ASSERT_EQ(got.feasible, want.feasible) << "round " << round;
    if (!want.feasible) continue;
    EXPECT_EQ(got.cost, want.cost) << "round " << round;
    EXPECT_EQ(got.saved.count, want.saved) << "round " << round;
    // The chosen indices add up to what it reports.
    std::int64_t cost = 0;
    std::int64_t saved = 0;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      cost += groups[g].choices[got.chosen[g]].cost;
      saved += groups[g].choices[got.chosen[g]].saved.count;
    }
    EXPECT_EQ(cost, got.cost);
    EXPECT_EQ(saved, got.saved.count);
    EXPECT_GE(saved, need.count);
  }
}

TEST(DropKnapsack, PrefersTheCheapestSetNotTheLargestItem) {
  // Need 300 MiB: a greedy "largest first" takes the 1 GiB service (cost 10);
  // two small ones (cost 2 + 2) are cheaper.
  std::vector<DropGroup> groups{
      DropGroup{{DropChoice{1, Bytes{0}, 0}, DropChoice{0, Bytes{1024 * k_mib}, 10}}},
      DropGroup{{DropChoice{1, Bytes{0}, 0}, DropChoice{0, Bytes{200 * k_mib}, 2}}},
      DropGroup{{DropChoice{1, Bytes{0}, 0}, DropChoice{0, Bytes{150 * k_mib}, 2}}},
  };
  DropSolution s = solve_drop_knapsack(groups, Bytes{300 * k_mib});
  ASSERT_TRUE(s.feasible);
  EXPECT_EQ(s.chosen, (std::vector<std::size_t>{0, 1, 1}));
  EXPECT_EQ(s.cost, 4);
}

TEST(DropKnapsack, InfeasibleAndNothingNeeded) {
  std::vector<DropGroup> groups{DropGroup{{DropChoice{1, Bytes{0}, 0}, DropChoice{0, Bytes{100 * k_mib}, 1}}}};
  EXPECT_FALSE(solve_drop_knapsack(groups, Bytes{101 * k_mib}).feasible);
  DropSolution none = solve_drop_knapsack(groups, Bytes{0});
  EXPECT_TRUE(none.feasible);
  EXPECT_EQ(none.chosen, (std::vector<std::size_t>{0}));
  EXPECT_TRUE(solve_drop_knapsack({}, Bytes{0}).feasible);
  EXPECT_FALSE(solve_drop_knapsack({}, Bytes{1}).feasible);
}

TEST(DropKnapsack, LargeNeedUsesCoarserUnitsAndStillFreesEnough) {
  std::vector<DropGroup> groups;
  for (int i = 0; i < 50; ++i) {
    groups.push_back(DropGroup{{DropChoice{1, Bytes{0}, 0}, DropChoice{0, Bytes{(3 * k_gib) + i * 7 * k_mib + 12345}, 1}}});
  }
  Bytes need{100 * k_gib};
  DropSolution s = solve_drop_knapsack(groups, need);
  ASSERT_TRUE(s.feasible);
  EXPECT_GT(s.unit.count, k_mib);
  EXPECT_GE(s.saved, need);
  // The 31 largest (3 GiB + 7 MiB x i, i = 19..49) free 100.2 GiB; 30 free 97.1 GiB.
  EXPECT_EQ(s.unit, Bytes{7 * k_mib});
  EXPECT_EQ(s.cost, 31);
}

}  // namespace
}  // namespace stackfit
