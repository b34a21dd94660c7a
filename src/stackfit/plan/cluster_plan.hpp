// `stackfit plan` for a Kubernetes cluster: packs the workloads' pod requests
// onto nodes of one type (DaemonSet pods on every node, the kubelet reserve
// per node), finds the node count, proves it with an ILP for small cases,
// packs the stack again as options A (tighten), B (drop) and A+B change it,
// and prices every node type of the catalog for the same pods (option C).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stackfit/model/stack.hpp"
#include "stackfit/plan/fit_plan.hpp"
#include "stackfit/plan/kube_reserve.hpp"
#include "stackfit/plan/pack_ilp.hpp"
#include "stackfit/plan/pod_packing.hpp"

namespace stackfit {

// Largest --nodes accepted: Kubernetes supports clusters of up to 5,000 nodes.
inline constexpr std::int64_t k_max_nodes = 5000;

struct ClusterSettings {
  std::optional<std::int64_t> nodes;  // --nodes N: does it fit N nodes? (1..k_max_nodes)
  double headroom = 0.10;             // of each node's memory left for the pods
  IlpLimits ilp;
  std::size_t node_type_candidates = 5;
};

// One stack-side option of a cluster plan (A, B, A+B): the changed stack
// packed again on the same node type by the same packer (FFD, lower bound,
// ILP for small cases). `option.committed` is the pods' memory requests
// after the change, `option.saved` what it frees; `option.fits` is true when
// every pod is placed on at most the plan's `goal_nodes`. Option C (another
// node type) has `nodes` and the price, no targets.
struct ClusterOption {
  PlanOption option;
  std::int64_t nodes = 0;                  // best known node count after the change
  std::int64_t ffd_nodes = 0;
  std::int64_t lower_bound = 0;
  std::string proof;                       // as ClusterPlan::proof
  std::optional<double> price_per_month;   // nodes x the node type's monthly price
};

// One node type priced for the whole set of pods (FFD node count).
struct NodeTypeFit {
  PlanMachine machine;   // reserve = the kubelet's, usable = per node for pods
  std::int64_t nodes = 0;
  std::optional<double> price_per_month;  // nodes x price
};

struct ClusterPlan {
  std::string node_type;
  NodeAllocatable allocatable;          // per node, from the kubelet formula
  Bytes daemonset_memory;               // per node
  Millicores daemonset_cpu;
  NodeCapacity per_node;                // left for the other pods (after DaemonSets and headroom)
  std::int64_t pods = 0;
  Bytes pod_memory;                     // sum of the packed pods' requests
  Millicores pod_cpu;
  std::int64_t nodes_needed = 0;        // best known
  std::int64_t ffd_nodes = 0;
  std::int64_t lower_bound = 0;
  IlpResult ilp;
  bool proven_optimal = false;          // lower bound reached or ILP optimal
  std::string proof;                    // "lower_bound" | "ilp" | "none" (heuristic)
  std::optional<std::int64_t> requested_nodes;
  bool fits = false;                    // every pod placed (on requested_nodes when given)
  Fragmentation fragmentation;          // of the FFD packing
  std::vector<std::string> unplaceable; // workloads with a pod larger than a node
  std::vector<NodeTypeFit> node_types;  // cheapest first
  // What options A and B aim at: requested_nodes when given (and the stack
  // does not fit them), else nodes_needed - 1 (one node fewer); 0 when there
  // is nothing to aim at (fits the requested nodes, or one node already).
  std::int64_t goal_nodes = 0;
  std::vector<ClusterOption> options;   // A, B, A+B and C, ranked best first
};

// The pods of a stack: replicas x effective pod requests (a memory limit
// without a request counts as the request, as Kubernetes defaults it);
// DaemonSets go to `daemonset` totals instead. `names` gets the workload names.
void stack_pods(const Stack& stack, std::vector<PodSize>& pods, Bytes& daemonset_memory, Millicores& daemonset_cpu,
                std::vector<std::string>& names);

// `recommendations` (may be empty: the runtime heuristic) feed option A.
[[nodiscard]] ClusterPlan plan_cluster(const Stack& stack, const Machine& node_type, const MachineCatalog& catalog,
                                       const ClusterSettings& settings,
                                       const std::vector<RecommendedTarget>& recommendations = {});

}  // namespace stackfit
