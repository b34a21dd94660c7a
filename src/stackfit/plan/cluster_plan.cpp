#include "stackfit/plan/cluster_plan.hpp"

#include <algorithm>
#include <cmath>

#include "stackfit/plan/plan_options.hpp"
#include "stackfit/plan/tighten.hpp"

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

namespace {

// The knapsack's resolution in the search rounds of option B.
constexpr std::int64_t k_search_states = 1024;

// One stack packed on one node type.
struct Packed {
  DaemonSets ds;
  NodeCapacity per_node;
  std::int64_t pods = 0;
  Bytes pod_memory;
  Millicores pod_cpu;
  std::int64_t ffd_nodes = 0;
  std::int64_t lower_bound = 0;
  std::int64_t nodes_needed = 0;
  IlpResult ilp;
  bool proven_optimal = false;
  std::string proof;
  Fragmentation fragmentation;
  std::vector<std::string> unplaceable;
  std::vector<PodSize> pod_sizes;
};

// FFD and the lower bound; with `exact`, the ILP where FFD is above the bound.
Packed pack_stack(const Stack& stack, const Machine& node_type, const NodeAllocatable& a,
                  const ClusterSettings& settings, bool exact) {
  Packed p;
  std::vector<PodSize>& pods = p.pod_sizes;
  std::vector<std::string> names;
  stack_pods(stack, pods, p.ds.memory, p.ds.cpu, names);
  for (const Service& s : stack.services) p.ds.count += s.replica_mode == ReplicaMode::per_node ? 1 : 0;
  p.per_node = capacity_for(node_type, a, p.ds, settings.headroom);
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
  if (p.proven_optimal) {
    p.proof = "lower_bound";
  } else if (exact) {
    std::vector<PodSize> placeable;
    for (std::size_t i = 0; i < pods.size(); ++i) {
      if (ffd.node_of[i] >= 0) placeable.push_back(pods[i]);
    }
    p.ilp = solve_packing_ilp(placeable, p.per_node, ffd.nodes, settings.ilp);
    bool solved = p.ilp.status == IlpStatus::optimal || p.ilp.status == IlpStatus::time_limit;
    if (solved && p.ilp.nodes < p.nodes_needed && !p.ilp.node_of.empty()) {
      p.nodes_needed = p.ilp.nodes;
      p.fragmentation = fragmentation(placeable, packing_from(placeable, p.ilp.node_of, p.per_node));
    }
    p.proven_optimal = p.ilp.status == IlpStatus::optimal;
    p.proof = p.proven_optimal ? "ilp" : "none";
  } else {
    p.proof = "none";
  }
  if (p.nodes_needed == 0 && !pods.empty()) p.nodes_needed = 1;
  return p;
}

std::optional<double> monthly(const Machine& m, std::int64_t nodes) {
  if (!m.price_per_hour_usd) return std::nullopt;
  return std::round(*m.price_per_hour_usd * k_hours_per_month * static_cast<double>(nodes) * 100) / 100;
}

// Everything the options of one plan share.
struct OptionContext {
  const Machine& node_type;
  const NodeAllocatable& allocatable;
  const ClusterSettings& settings;
  Bytes pod_memory_before;
  std::int64_t goal = 0;
};

// `option` (changes decided) with the totals of `after` packed again.
ClusterOption evaluate(PlanOption option, const Stack& after, const OptionContext& ctx) {
  Packed pk = pack_stack(after, ctx.node_type, ctx.allocatable, ctx.settings, true);
  ClusterOption c;
  option.committed = pk.pod_memory;
  option.saved = ctx.pod_memory_before > pk.pod_memory ? ctx.pod_memory_before - pk.pod_memory : Bytes{0};
  option.usable = saturating_mul(pk.per_node.memory, ctx.goal);
  option.fits = pk.unplaceable.empty() && pk.nodes_needed <= ctx.goal;
  PlanMachine m = plan_machine(ctx.node_type, ctx.allocatable.reserved_memory, 0);
  m.usable = pk.per_node.memory;
  option.machine = m;
  c.option = std::move(option);
  c.nodes = pk.nodes_needed;
  c.ffd_nodes = pk.ffd_nodes;
  c.lower_bound = pk.lower_bound;
  c.proof = pk.proof;
  c.price_per_month = monthly(ctx.node_type, pk.nodes_needed);
  return c;
}

// Option B on a cluster: the knapsack frees the requests above goal x
// per-node memory; while FFD still needs more nodes than the goal (CPU, pod
// counts, fragmentation), it must free more than it did: 1 MiB more, then
// 2, 4, 8 ... (at most 40 rounds), each time the least important set again
// by a coarser knapsack (1,024 states: these rounds are a search); the
// answer is the exact knapsack at the need found when it meets the goal too.
// Where FFD misses the goal but the lower bound allows it, the ILP has the
// last word (at most three times: each may take its time limit).
ClusterOption drop_for_goal(const Stack& stack, const std::string& id, const OptionContext& ctx) {
  Packed base = pack_stack(stack, ctx.node_type, ctx.allocatable, ctx.settings, false);
  Bytes room = saturating_mul(base.per_node.memory, ctx.goal);
  Bytes need = base.pod_memory > room ? base.pod_memory - room : Bytes{0};
  Bytes step{k_mib};
  int exact_tries = 3;  // the ILP, when FFD misses the goal but the bound allows it
  auto meets_goal = [&](const DropPick& pick) {
    Packed pk = pack_stack(pick.after, ctx.node_type, ctx.allocatable, ctx.settings, false);
    if (pk.unplaceable.empty() && pk.ffd_nodes <= ctx.goal) return std::make_pair(true, pk.pod_memory);
    if (pk.unplaceable.empty() && pk.lower_bound <= ctx.goal && exact_tries-- > 0) {
      Packed exact = pack_stack(pick.after, ctx.node_type, ctx.allocatable, ctx.settings, true);
      if (exact.nodes_needed <= ctx.goal) return std::make_pair(true, pk.pod_memory);
    }
    return std::make_pair(false, pk.pod_memory);
  };
  // The first round is exact; search rounds use a coarser knapsack.
  DropPick pick = pick_drops(stack, need, MemoryMeasure::requested, id);
  bool searched = false;
  for (int round = 0; round < 40 && pick.feasible; ++round) {
    auto [ok, left] = meets_goal(pick);
    if (ok) break;
    Bytes freed = base.pod_memory > left ? base.pod_memory - left : Bytes{0};
    need = saturating_add(freed, step);
    step = saturating_add(step, step);
    pick = pick_drops(stack, need, MemoryMeasure::requested, id, k_search_states);
    searched = true;
  }
  if (searched && pick.feasible) {
    // The exact knapsack at the need found, when it meets the goal too.
    DropPick exact = pick_drops(stack, need, MemoryMeasure::requested, id);
    if (exact.feasible && meets_goal(exact).first) pick = std::move(exact);
  } else if (searched) {
    pick = pick_drops(stack, need, MemoryMeasure::requested, id);  // everything droppable, exactly listed
  }
  return evaluate(std::move(pick.option), pick.after, ctx);
}

void add_stack_options(ClusterPlan& p, const Stack& stack, const std::vector<RecommendedTarget>& recs,
                       const OptionContext& ctx) {
  TightenResult t = tighten(stack, recs);
  std::optional<ClusterOption> a;
  if (!t.changed.empty()) a = evaluate(tighten_changes(stack, t, MemoryMeasure::requested), t.stack, ctx);
  ClusterOption b = drop_for_goal(stack, "B", ctx);
  if (a) p.options.push_back(*a);
  if (!b.option.changes.empty()) p.options.push_back(b);
  if (a && !a->option.fits && !b.option.fits) {
    ClusterOption second = drop_for_goal(t.stack, "B", ctx);
    if (!second.option.changes.empty()) {
      second.option = combine_options("A+B", a->option, second.option);
      second.option.saved = p.pod_memory > second.option.committed ? p.pod_memory - second.option.committed : Bytes{0};
      p.options.push_back(std::move(second));
    }
  }
}

// Option C: the cheapest node type for the whole set (the node types table).
ClusterOption cheapest_type(const ClusterPlan& p) {
  const NodeTypeFit& best = p.node_types.front();
  ClusterOption c;
  c.option.id = "C";
  c.option.title = "cheapest node type for the whole set";
  c.option.fits = true;
  c.option.committed = p.pod_memory;
  c.option.machine = best.machine;
  c.option.usable = saturating_mul(best.machine.usable, best.nodes);
  for (const NodeTypeFit& f : p.node_types) c.option.candidates.push_back(f.machine);
  bool arm = !best.machine.arch.empty();
  c.option.risk = arm ? Risk::medium : Risk::low;
  c.option.risk_reason = arm ? "arm64 (Graviton): every image must have an arm64 variant"
                             : "same pods on another node type; costs what the table says";
  c.nodes = best.nodes;
  c.ffd_nodes = best.nodes;
  c.proof = "none";
  c.price_per_month = best.price_per_month;
  return c;
}

// Fits first, then risk, then the monthly price (fewer nodes when unpriced).
void rank(std::vector<ClusterOption>& options) {
  std::stable_sort(options.begin(), options.end(), [](const ClusterOption& a, const ClusterOption& b) {
    if (a.option.fits != b.option.fits) return a.option.fits;
    if (a.option.risk != b.option.risk) return a.option.risk < b.option.risk;
    double pa = a.price_per_month.value_or(0);
    double pb = b.price_per_month.value_or(0);
    if (pa != pb) return pa < pb;
    return a.nodes < b.nodes;
  });
}

}  // namespace

ClusterPlan plan_cluster(const Stack& stack, const Machine& node_type, const MachineCatalog& catalog,
                         const ClusterSettings& settings, const std::vector<RecommendedTarget>& recommendations) {
  ClusterPlan p;
  p.node_type = node_type.name;
  p.requested_nodes = settings.nodes;
  p.allocatable = node_allocatable(node_type);
  Packed pk = pack_stack(stack, node_type, p.allocatable, settings, true);
  p.daemonset_memory = pk.ds.memory;
  p.daemonset_cpu = pk.ds.cpu;
  p.per_node = pk.per_node;
  p.pods = pk.pods;
  p.pod_memory = pk.pod_memory;
  p.pod_cpu = pk.pod_cpu;
  p.ffd_nodes = pk.ffd_nodes;
  p.lower_bound = pk.lower_bound;
  p.nodes_needed = pk.nodes_needed;
  p.ilp = pk.ilp;
  p.proven_optimal = pk.proven_optimal;
  p.proof = pk.proof;
  p.fragmentation = pk.fragmentation;
  p.unplaceable = pk.unplaceable;
  p.fits = p.unplaceable.empty() && (!settings.nodes || p.nodes_needed <= *settings.nodes);
  p.node_types = price_node_types(pk.pod_sizes, pk.ds, catalog, settings);
  if (settings.nodes) {
    p.goal_nodes = p.fits ? 0 : *settings.nodes;
  } else {
    p.goal_nodes = p.nodes_needed > 1 ? p.nodes_needed - 1 : 0;
  }
  if (p.goal_nodes > 0) {
    OptionContext ctx{node_type, p.allocatable, settings, p.pod_memory, p.goal_nodes};
    add_stack_options(p, stack, recommendations, ctx);
  }
  if (!p.node_types.empty()) p.options.push_back(cheapest_type(p));
  rank(p.options);
  return p;
}

}  // namespace stackfit
