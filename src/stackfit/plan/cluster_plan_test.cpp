// Cluster plans re-packed for options A (tighten), B (drop) and A+B. Node
// "lab": 2800 MiB and 2 vCPU; the GKE formula keeps 25% of 2800 MiB + 100 MiB
// eviction = 800 MiB and 60m + 10m CPU, so with no headroom a node offers
// 2000 MiB and 1930m to the pods. Every expected count below is worked out
// by hand in the comments.
#include "stackfit/plan/cluster_plan.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

Machine lab_node() {
  Machine m;
  m.name = "lab";
  m.memory = Bytes{2800 * k_mib};
  m.cpus = Millicores{2000};
  m.price_per_hour_usd = 0.01;
  return m;
}

Service workload(const std::string& name, std::int64_t replicas, std::int64_t request_mib, std::int64_t millicores,
                 Priority priority = Priority::normal) {
  Service s;
  s.name = name;
  s.kind = "Deployment";
  s.replicas = replicas;
  s.priority = priority;
  s.resources.memory_request = Bytes{request_mib * k_mib};
  s.resources.memory_limit = Bytes{request_mib * k_mib};
  s.resources.cpu_request = Millicores{millicores};
  Container c;
  c.name = name;
  c.resources = s.resources;
  s.containers.push_back(c);
  return s;
}

Stack kube(std::vector<Service> services) {
  Stack st;
  st.kind = StackKind::kubernetes;
  st.services = std::move(services);
  return st;
}

ClusterSettings no_headroom() {
  ClusterSettings s;
  s.headroom = 0;
  return s;
}

const ClusterOption* find(const ClusterPlan& p, const std::string& id) {
  for (const ClusterOption& o : p.options) {
    if (o.option.id == id) return &o;
  }
  return nullptr;
}

TEST(ClusterPlanOptions, TightenFitsOnFewerNodes) {
  // Six JVM pods requesting 1000 MiB: two per 2000 MiB node -> 3 nodes.
  // Heuristic: -Xmx 400 MiB + max(100, 160) = 560 MiB; three per node
  // (1680 MiB) -> 2 nodes. Requests 6000 -> 3360 MiB, 2640 MiB saved.
  std::vector<Service> services;
  for (int i = 0; i < 6; ++i) {
    Service s = workload("jvm" + std::to_string(i), 1, 1000, 100);
    s.hints.kind = RuntimeKind::jvm;
    s.hints.jvm_max_heap = Bytes{400 * k_mib};
    services.push_back(s);
  }
  ClusterPlan p = plan_cluster(kube(services), lab_node(), MachineCatalog::builtin(), no_headroom());
  EXPECT_EQ(p.per_node.memory, Bytes{2000 * k_mib});
  EXPECT_EQ(p.nodes_needed, 3);
  EXPECT_EQ(p.goal_nodes, 2);
  const ClusterOption* a = find(p, "A");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->option.fits);
  EXPECT_EQ(a->nodes, 2);
  EXPECT_EQ(a->option.committed, Bytes{3360 * k_mib});
  EXPECT_EQ(a->option.saved, Bytes{2640 * k_mib});
  ASSERT_TRUE(a->price_per_month.has_value());
  EXPECT_DOUBLE_EQ(*a->price_per_month, 14.6);  // 2 x 0.01 x 730
  ASSERT_EQ(a->option.targets.size(), 6U);
  EXPECT_EQ(a->option.targets[0].resources.memory_request, Bytes{560 * k_mib});
  EXPECT_EQ(find(p, "B"), nullptr);  // nothing optional, one replica each
}

TEST(ClusterPlanOptions, DropTheLeastImportantToSaveANode) {
  // web 3 x 600 (normal), batch 2 x 700 (optional), cache 1 x 300 (optional):
  // 3500 MiB; FFD 700+700+600 | 600+600+300 -> 2 nodes; goal 1 node.
  // Need 3500 - 2000 = 1500 MiB: batch off (1400, cost 11) + cache off (300,
  // cost 10) = cost 21; anything with a web replica costs over 1000.
  // Left: web 1800 MiB -> 1 node.
  Stack st = kube({workload("web", 3, 600, 10), workload("batch", 2, 700, 10, Priority::optional),
                   workload("cache", 1, 300, 10, Priority::optional)});
  ClusterPlan p = plan_cluster(st, lab_node(), MachineCatalog::builtin(), no_headroom());
  EXPECT_EQ(p.nodes_needed, 2);
  EXPECT_EQ(p.goal_nodes, 1);
  const ClusterOption* b = find(p, "B");
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->option.fits);
  EXPECT_EQ(b->nodes, 1);
  EXPECT_EQ(b->option.dropped, (std::vector<std::string>{"batch", "cache"}));
  EXPECT_EQ(b->option.committed, Bytes{1800 * k_mib});
  EXPECT_EQ(b->option.saved, Bytes{1700 * k_mib});
  for (const ResourceTarget& t : b->option.targets) EXPECT_EQ(t.replicas, 0) << t.service;
}

TEST(ClusterPlanOptions, CpuBoundDropFreesOnlyWhatTheCpuNeeds) {
  // Memory is no constraint (500 MiB); CPU 2 x 900m + 500m = 2300m > 1930m:
  // 2 nodes. Switching the optional 500m pod off leaves 1800m: 1 node; the
  // web replica (cost 1000) stays.
  Stack st = kube({workload("web", 2, 200, 900), workload("extra", 1, 100, 500, Priority::optional)});
  ClusterPlan p = plan_cluster(st, lab_node(), MachineCatalog::builtin(), no_headroom());
  EXPECT_EQ(p.nodes_needed, 2);
  const ClusterOption* b = find(p, "B");
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->option.fits);
  EXPECT_EQ(b->nodes, 1);
  EXPECT_EQ(b->option.dropped, (std::vector<std::string>{"extra"}));
  EXPECT_EQ(b->option.changes.size(), 1U);
}

TEST(ClusterPlanOptions, DropStopsWhereTheIlpMeetsTheGoalThoughFfdDoesNot) {
  // Normal pods 1000, 750, 750, 500, 500, 400 MiB; optional o 300 MiB and
  // p 2 x 50 MiB: 4300 MiB, 3 nodes, goal 2. Need 300 MiB: o off (cost 10;
  // p's 100 MiB is not enough). Left 4000 MiB: FFD 1000+750+50+50 |
  // 750+500+500 | 400 = 3 nodes, but 1000+500+500 | 750+750+400+50+50 = 2:
  // the ILP meets the goal, so p keeps both replicas.
  Stack st = kube({workload("a", 1, 1000, 10), workload("b", 1, 750, 10), workload("c", 1, 750, 10),
                   workload("d", 1, 500, 10), workload("e", 1, 500, 10), workload("f", 1, 400, 10),
                   workload("o", 1, 300, 10, Priority::optional), workload("p", 2, 50, 10, Priority::optional)});
  ClusterPlan p = plan_cluster(st, lab_node(), MachineCatalog::builtin(), no_headroom());
  EXPECT_EQ(p.nodes_needed, 3);
  EXPECT_EQ(p.goal_nodes, 2);
  const ClusterOption* b = find(p, "B");
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->option.fits);
  EXPECT_EQ(b->nodes, 2);
  EXPECT_EQ(b->ffd_nodes, 3);
  EXPECT_EQ(b->proof, "ilp");
  EXPECT_EQ(b->option.dropped, (std::vector<std::string>{"o"}));
  EXPECT_EQ(b->option.changes.size(), 1U);
  EXPECT_EQ(b->option.committed, Bytes{4000 * k_mib});
}

TEST(ClusterPlanOptions, TightenThenDropWhenNeitherIsEnough) {
  // --nodes 1. Four JVM pods of 1000 MiB (-Xmx 400 MiB -> 560 MiB) and an
  // optional 900 MiB pod: 4900 MiB, 3 nodes. A: 4 x 560 + 900 = 3140 MiB: 2
  // nodes. B: only the optional pod can go (each JVM is a normal workload of
  // one replica): 4000 MiB, 2 nodes. A+B: 2240 MiB > 2000: still 2 nodes.
  std::vector<Service> services;
  for (int i = 0; i < 4; ++i) {
    Service s = workload("jvm" + std::to_string(i), 1, 1000, 100);
    s.hints.kind = RuntimeKind::jvm;
    s.hints.jvm_max_heap = Bytes{400 * k_mib};
    services.push_back(s);
  }
  services.push_back(workload("opt", 1, 900, 100, Priority::optional));
  ClusterSettings settings = no_headroom();
  settings.nodes = 1;
  ClusterPlan p = plan_cluster(kube(services), lab_node(), MachineCatalog::builtin(), settings);
  EXPECT_FALSE(p.fits);
  EXPECT_EQ(p.goal_nodes, 1);
  const ClusterOption* ab = find(p, "A+B");
  ASSERT_NE(ab, nullptr);
  EXPECT_FALSE(ab->option.fits);
  EXPECT_EQ(ab->nodes, 2);
  EXPECT_EQ(ab->option.committed, Bytes{2240 * k_mib});
  EXPECT_EQ(ab->option.dropped, (std::vector<std::string>{"opt"}));
}

TEST(ClusterPlanOptions, TightenThenDropFits) {
  // --nodes 1. Three JVM pods 1000 -> 560 MiB and an optional 600 MiB pod:
  // A: 1680 + 600 = 2280 > 2000 (2 nodes). B: 3000 without it (2 nodes).
  // A+B: 1680 MiB on one node. Requests 3600 -> 1680 MiB: 1920 MiB saved.
  std::vector<Service> services;
  for (int i = 0; i < 3; ++i) {
    Service s = workload("jvm" + std::to_string(i), 1, 1000, 100);
    s.hints.kind = RuntimeKind::jvm;
    s.hints.jvm_max_heap = Bytes{400 * k_mib};
    services.push_back(s);
  }
  services.push_back(workload("opt", 1, 600, 100, Priority::optional));
  ClusterSettings settings = no_headroom();
  settings.nodes = 1;
  ClusterPlan p = plan_cluster(kube(services), lab_node(), MachineCatalog::builtin(), settings);
  const ClusterOption* a = find(p, "A");
  const ClusterOption* b = find(p, "B");
  const ClusterOption* ab = find(p, "A+B");
  ASSERT_TRUE(a && b && ab);
  EXPECT_FALSE(a->option.fits);
  EXPECT_EQ(a->nodes, 2);
  EXPECT_FALSE(b->option.fits);
  EXPECT_EQ(b->nodes, 2);
  EXPECT_TRUE(ab->option.fits);
  EXPECT_EQ(ab->nodes, 1);
  EXPECT_EQ(ab->option.committed, Bytes{1680 * k_mib});
  EXPECT_EQ(ab->option.saved, Bytes{1920 * k_mib});
  // Ranked: fits first, then risk: C (another node type, low), A+B (high:
  // heuristic limits); then the misses: B (medium), A (high).
  std::vector<std::string> order;
  for (const ClusterOption& o : p.options) order.push_back(o.option.id);
  EXPECT_EQ(order, (std::vector<std::string>{"C", "A+B", "B", "A"}));
}

TEST(ClusterPlanOptions, FittingTheRequestedNodesNeedsNoStackOption) {
  Stack st = kube({workload("web", 3, 600, 10), workload("batch", 2, 700, 10, Priority::optional)});
  ClusterSettings settings = no_headroom();
  settings.nodes = 2;
  ClusterPlan p = plan_cluster(st, lab_node(), MachineCatalog::builtin(), settings);
  EXPECT_TRUE(p.fits);
  EXPECT_EQ(p.goal_nodes, 0);
  for (const ClusterOption& o : p.options) EXPECT_EQ(o.option.id, "C");
}

}  // namespace
}  // namespace stackfit
