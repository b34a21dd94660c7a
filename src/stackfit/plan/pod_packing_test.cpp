#include "stackfit/plan/pod_packing.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "stackfit/plan/pack_ilp.hpp"

namespace stackfit {
namespace {

PodSize pod(std::int64_t memory_mib, std::int64_t millicores) { return PodSize{Bytes{memory_mib * k_mib}, Millicores{millicores}, 0}; }
NodeCapacity node(std::int64_t memory_mib, std::int64_t millicores) { return NodeCapacity{Bytes{memory_mib * k_mib}, Millicores{millicores}}; }

TEST(PodPacking, FirstFitDecreasingPlacesLargestFirst) {
  // 1D by memory: 4,3,3,2,2,2 GiB-ish into 8: FFD uses 3 nodes, optimum 2.
  std::vector<PodSize> pods{pod(2, 1), pod(4, 1), pod(3, 1), pod(2, 1), pod(3, 1), pod(2, 1)};
  Packing p = first_fit_decreasing(pods, node(8, 1000));
  EXPECT_EQ(p.nodes, 3);
  EXPECT_EQ(p.node_of, (std::vector<std::int32_t>{1, 0, 0, 1, 1, 2}));
  EXPECT_EQ(packing_lower_bound(pods, node(8, 1000)), 2);
}

TEST(PodPacking, CpuIsTheSecondDimension) {
  // Memory alone fits one node; CPU needs three.
  std::vector<PodSize> pods{pod(100, 900), pod(100, 900), pod(100, 900)};
  Packing p = first_fit_decreasing(pods, node(1024, 1000));
  EXPECT_EQ(p.nodes, 3);
  EXPECT_EQ(packing_lower_bound(pods, node(1024, 1000)), 3);
  Fragmentation f = fragmentation(pods, p);
  EXPECT_EQ(f.free_memory, Bytes{3 * 924 * k_mib});
  EXPECT_EQ(f.stranded_memory, Bytes{3 * 924 * k_mib});  // CPU is full on every node
  EXPECT_EQ(f.stranded_cpu, Millicores{0});
}

TEST(PodPacking, PodsLargerThanANodeAreReportedNotPlaced) {
  std::vector<PodSize> pods{pod(100, 100), pod(5000, 100), pod(100, 3000)};
  Packing p = first_fit_decreasing(pods, node(1024, 2000));
  EXPECT_EQ(p.unplaceable, (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(p.nodes, 1);
  EXPECT_EQ(p.node_of[1], -1);
  EXPECT_EQ(packing_lower_bound(pods, node(1024, 2000)), 1);
}

TEST(PodPacking, FfdNeverBeatsTheLowerBoundAndEveryNodeRespectsCapacity) {
  std::mt19937 rng(7);
  for (int round = 0; round < 100; ++round) {
    std::vector<PodSize> pods;
    for (int i = 0; i < 200; ++i) pods.push_back(pod(1 + rng() % 2000, 1 + rng() % 1500));
    NodeCapacity cap = node(4096, 2000);
    Packing p = first_fit_decreasing(pods, cap);
    EXPECT_GE(p.nodes, packing_lower_bound(pods, cap));
    std::vector<NodeCapacity> used(p.nodes);
    for (std::size_t i = 0; i < pods.size(); ++i) {
      ASSERT_GE(p.node_of[i], 0);
      used[p.node_of[i]].memory = used[p.node_of[i]].memory + pods[i].memory;
      used[p.node_of[i]].cpu = used[p.node_of[i]].cpu + pods[i].cpu;
    }
    for (const NodeCapacity& u : used) {
      EXPECT_LE(u.memory, cap.memory);
      EXPECT_LE(u.cpu, cap.cpu);
    }
  }
}

TEST(PodPacking, PodCountLimitIsTheThirdDimension) {
  // Memory and CPU fit one node; at most 2 pods per node (EKS max pods).
  std::vector<PodSize> pods(5, pod(10, 10));
  NodeCapacity cap{Bytes{1024 * k_mib}, Millicores{4000}, 2};
  Packing p = first_fit_decreasing(pods, cap);
  EXPECT_EQ(p.nodes, 3);
  EXPECT_EQ(packing_lower_bound(pods, cap), 3);
  IlpResult r = solve_packing_ilp(pods, cap, 5);
  EXPECT_EQ(r.status, IlpStatus::optimal);
  EXPECT_EQ(r.nodes, 3);
}

TEST(PackIlp, FindsTheOptimumFfdMisses) {
  std::vector<PodSize> pods{pod(2, 1), pod(4, 1), pod(3, 1), pod(2, 1), pod(3, 1), pod(2, 1)};
  IlpResult r = solve_packing_ilp(pods, node(8, 1000), 3);
  EXPECT_EQ(r.status, IlpStatus::optimal);
  EXPECT_EQ(r.nodes, 2);
  // The assignment it returns is a valid packing on two nodes.
  ASSERT_EQ(r.node_of.size(), pods.size());
  std::int64_t used[2] = {0, 0};
  for (std::size_t i = 0; i < pods.size(); ++i) {
    ASSERT_GE(r.node_of[i], 0);
    ASSERT_LT(r.node_of[i], 2);
    used[r.node_of[i]] += pods[i].memory.count;
  }
  EXPECT_EQ(used[0], 8 * k_mib);
  EXPECT_EQ(used[1], 8 * k_mib);
}

TEST(PackIlp, ProvesFfdOptimalWhenTheBoundIsLoose) {
  // Three pods of 600 MiB on 1 GiB nodes: the memory bound says 2, but no two
  // fit together, so 3 is optimal and only the ILP can prove it.
  std::vector<PodSize> pods{pod(600, 100), pod(600, 100), pod(600, 100)};
  EXPECT_EQ(packing_lower_bound(pods, node(1024, 4000)), 2);
  IlpResult r = solve_packing_ilp(pods, node(1024, 4000), 3);
  EXPECT_EQ(r.status, IlpStatus::optimal);
  EXPECT_EQ(r.nodes, 3);
}

TEST(PackIlp, TwoDimensionsAgainstBruteForce) {
  // Random small 2D cases: the ILP optimum equals an exhaustive search.
  std::mt19937 rng(11);
  for (int round = 0; round < 20; ++round) {
    std::vector<PodSize> pods;
    for (int i = 0; i < 7; ++i) pods.push_back(pod(100 + rng() % 900, 100 + rng() % 900));
    NodeCapacity cap = node(1024, 1000);
    // Exhaustive: assign each pod a node 0..6 (canonical labels), min nodes.
    std::int64_t best = 7;
    std::vector<int> a(pods.size(), 0);
    std::function<void(std::size_t, int)> go = [&](std::size_t i, int used) {
      if (used >= best) return;
      if (i == pods.size()) {
        best = used;
        return;
      }
      for (int n = 0; n <= used && n < 7; ++n) {
        std::int64_t m = pods[i].memory.count, c = pods[i].cpu.count;
        for (std::size_t k = 0; k < i; ++k) {
          if (a[k] == n) {
            m += pods[k].memory.count;
            c += pods[k].cpu.count;
          }
        }
        if (m > cap.memory.count || c > cap.cpu.count) continue;
        a[i] = n;
        go(i + 1, std::max(used, n + 1));
      }
    };
    go(0, 0);
    Packing ffd = first_fit_decreasing(pods, cap);
    IlpResult r = solve_packing_ilp(pods, cap, ffd.nodes);
    ASSERT_EQ(r.status, IlpStatus::optimal) << round;
    EXPECT_EQ(r.nodes, best) << round;
    EXPECT_LE(r.nodes, ffd.nodes);
  }
}

TEST(PackIlp, TooLargeIsSkippedNotGuessed) {
  std::vector<PodSize> pods(200, pod(300, 100));
  IlpResult r = solve_packing_ilp(pods, node(1024, 4000), 67, IlpLimits{1000, 4000});
  EXPECT_EQ(r.status, IlpStatus::skipped);
  EXPECT_EQ(r.nodes, 67);
}

}  // namespace
}  // namespace stackfit
