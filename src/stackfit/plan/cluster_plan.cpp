#include "stackfit/plan/cluster_plan.hpp"

#include <algorithm>
#include <cmath>

namespace stackfit {
namespace {

struct DaemonSets {
  Bytes memory;
  Millicores cpu;
  std::int64_t count = 0;
};

Bytes request_memory(const Resources& r) {
  if (r.memory_request) return *r.memory_request;
  if (r.memory_limit && r.memory_limit->count > 0) return *r.memory_limit;
  return Bytes{0};
}

Millicores request_cpu(const Resources& r) {
  if (r.cpu_request) return *r.cpu_request;
  if (r.cpu_limit) return *r.cpu_limit;
  return Millicores{0};
}

// What one node of `m` leaves for the non-DaemonSet pods.
// With a pod limit (EKS max pods), the DaemonSet pods take their places
// first; a node they fill takes nothing else.
NodeCapacity capacity_for(const Machine& m, const NodeAllocatable& a, const DaemonSets& ds, double headroom) {
  NodeCapacity c;
  Bytes memory = a.memory > ds.memory ? a.memory - ds.memory : Bytes{0};
  c.memory = Bytes{static_cast<std::int64_t>(std::floor(static_cast<double>(memory.count) * (1.0 - headroom)))};
  c.cpu = a.cpu > ds.cpu ? a.cpu - ds.cpu : Millicores{0};
  if (m.max_pods) {
    c.pods = *m.max_pods - ds.count;
    if (c.pods <= 0) c = NodeCapacity{};
  }
  return c;
}

std::vector<NodeTypeFit> price_node_types(const std::vector<PodSize>& pods, const DaemonSets& ds,
                                          const MachineCatalog& catalog, const ClusterSettings& settings) {
  std::vector<NodeTypeFit> out;
  for (const Machine& m : catalog.machines()) {
    if (!m.price_per_hour_usd) continue;
    NodeAllocatable a = node_allocatable(m);
    NodeCapacity cap = capacity_for(m, a, ds, settings.headroom);
    if (cap.memory.count <= 0 || cap.cpu.count <= 0) continue;
    if (cap.memory.count <= 0) continue;
    bool all_fit = std::all_of(pods.begin(), pods.end(),
                               [&](const PodSize& p) { return p.memory <= cap.memory && p.cpu <= cap.cpu; });
    if (!all_fit) continue;
    NodeTypeFit fit{plan_machine(m, a.reserved_memory, 0), 0, std::nullopt};
    fit.machine.usable = cap.memory;
    fit.nodes = std::max<std::int64_t>(1, first_fit_decreasing(pods, cap).nodes);
    fit.price_per_month = std::round(*m.price_per_hour_usd * k_hours_per_month * static_cast<double>(fit.nodes) * 100) / 100;
    out.push_back(std::move(fit));
  }
  std::stable_sort(out.begin(), out.end(), [](const NodeTypeFit& a, const NodeTypeFit& b) {
    if (*a.price_per_month != *b.price_per_month) return *a.price_per_month < *b.price_per_month;
    return a.nodes < b.nodes;
  });
  if (out.size() > settings.node_type_candidates) out.resize(settings.node_type_candidates);
  return out;
}

// The free capacity per node of an assignment found by the ILP (node indices
// may skip unused nodes; those are left out).
Packing packing_from(const std::vector<PodSize>& pods, const std::vector<std::int32_t>& node_of, NodeCapacity node) {
  Packing out;
  out.node_of = node_of;
  std::int32_t highest = -1;
  for (std::int32_t n : node_of) highest = std::max(highest, n);
  std::vector<NodeCapacity> free(static_cast<std::size_t>(highest + 1), node);
  std::vector<bool> used(free.size(), false);
  for (std::size_t i = 0; i < pods.size(); ++i) {
    if (node_of[i] < 0) continue;
    auto& f = free[static_cast<std::size_t>(node_of[i])];
    f.memory = f.memory - pods[i].memory;
    f.cpu = f.cpu - pods[i].cpu;
    used[static_cast<std::size_t>(node_of[i])] = true;
  }
  for (std::size_t j = 0; j < free.size(); ++j) {
    if (used[j]) out.free.push_back(free[j]);
  }
  out.nodes = static_cast<std::int64_t>(out.free.size());
  return out;
}

}  // namespace

void stack_pods(const Stack& stack, std::vector<PodSize>& pods, Bytes& daemonset_memory, Millicores& daemonset_cpu,
                std::vector<std::string>& names) {
  for (const Service& s : stack.services) {
    Bytes memory = request_memory(s.resources);
    Millicores cpu = request_cpu(s.resources);
    if (s.replica_mode == ReplicaMode::per_node) {
      daemonset_memory = saturating_add(daemonset_memory, memory);
      daemonset_cpu = saturating_add(daemonset_cpu, cpu);
      continue;
    }
    auto workload = static_cast<std::uint32_t>(names.size());
    names.push_back(s.namespace_.empty() ? s.name : s.namespace_ + "/" + s.name);
    for (std::int64_t r = 0; r < s.replicas; ++r) pods.push_back(PodSize{memory, cpu, workload});
  }
}

ClusterPlan plan_cluster(const Stack& stack, const Machine& node_type, const MachineCatalog& catalog,
                         const ClusterSettings& settings) {
  ClusterPlan p;
  p.node_type = node_type.name;
  p.requested_nodes = settings.nodes;
  p.allocatable = node_allocatable(node_type);
  std::vector<PodSize> pods;
  std::vector<std::string> names;
  stack_pods(stack, pods, p.daemonset_memory, p.daemonset_cpu, names);
  DaemonSets ds{p.daemonset_memory, p.daemonset_cpu, 0};
  for (const Service& s : stack.services) ds.count += s.replica_mode == ReplicaMode::per_node ? 1 : 0;
  p.per_node = capacity_for(node_type, p.allocatable, ds, settings.headroom);
  p.pods = static_cast<std::int64_t>(pods.size());
  for (const PodSize& pod : pods) {
    p.pod_memory = saturating_add(p.pod_memory, pod.memory);
    p.pod_cpu = saturating_add(p.pod_cpu, pod.cpu);
  }
  Packing ffd = first_fit_decreasing(pods, p.per_node);
  for (std::size_t i : ffd.unplaceable) {
    const std::string& name = names[pods[i].workload];
    if (std::find(p.unplaceable.begin(), p.unplaceable.end(), name) == p.unplaceable.end()) p.unplaceable.push_back(name);
  }
  p.ffd_nodes = ffd.nodes;
  p.lower_bound = packing_lower_bound(pods, p.per_node);
  p.nodes_needed = ffd.nodes;
  p.fragmentation = fragmentation(pods, ffd);
  p.proven_optimal = p.lower_bound == ffd.nodes;
  if (!p.proven_optimal) {
    std::vector<PodSize> placeable;
    for (std::size_t i = 0; i < pods.size(); ++i) {
      if (ffd.node_of[i] >= 0) placeable.push_back(pods[i]);
    }
    p.ilp = solve_packing_ilp(placeable, p.per_node, ffd.nodes, settings.ilp);
    if ((p.ilp.status == IlpStatus::optimal || p.ilp.status == IlpStatus::time_limit) && p.ilp.nodes < p.nodes_needed && !p.ilp.node_of.empty()) {
      p.nodes_needed = p.ilp.nodes;
      p.fragmentation = fragmentation(placeable, packing_from(placeable, p.ilp.node_of, p.per_node));
    }
    p.proven_optimal = p.ilp.status == IlpStatus::optimal;
    p.proof = p.proven_optimal ? "ilp" : "none";
  } else {
    p.proof = "lower_bound";
  }
  if (p.nodes_needed == 0 && !pods.empty()) p.nodes_needed = 1;
  p.fits = p.unplaceable.empty() && (!settings.nodes || p.nodes_needed <= *settings.nodes);
  p.node_types = price_node_types(pods, ds, catalog, settings);
  return p;
}

}  // namespace stackfit
