// Packing pod requests onto identical nodes, two dimensions (memory, CPU):
// first-fit decreasing for speed, the simple lower bounds to judge it, and
// (plan/pack_ilp.hpp) an exact ILP for small cases.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stackfit/model/quantity.hpp"

namespace stackfit {

struct PodSize {
  Bytes memory;
  Millicores cpu;
  std::uint32_t workload = 0;  // index of the workload it belongs to (for reports)
};

// What one node offers to the pods being packed (allocatable, less DaemonSet
// pods and headroom).
struct NodeCapacity {
  Bytes memory;
  Millicores cpu;
  std::int64_t pods = 0;  // pods the node may still run (EKS max pods less DaemonSets); 0: no limit
};

struct Packing {
  std::int64_t nodes = 0;
  std::vector<std::int32_t> node_of;   // per pod (input order): its node, -1 if it fits no empty node
  std::vector<NodeCapacity> free;      // per node: what is left
  std::vector<std::size_t> unplaceable;  // pods larger than an empty node
};

// First-fit decreasing: pods sorted by their dominant share of a node
// (max(memory/node memory, cpu/node cpu)), largest first, each placed on the
// first open node where both its memory and CPU fit, else on a new node.
// O(pods x nodes) time.
[[nodiscard]] Packing first_fit_decreasing(const std::vector<PodSize>& pods, NodeCapacity node);

// max(ceil(sum memory / node memory), ceil(sum cpu / node cpu),
// ceil(pods / node pods) when pods are limited) over placeable pods: no
// packing uses fewer nodes.
[[nodiscard]] std::int64_t packing_lower_bound(const std::vector<PodSize>& pods, NodeCapacity node);

// What the packing leaves unusable: on nodes where no pod of the set fits
// memory-wise, the free CPU is stranded (and the other way round).
struct Fragmentation {
  Bytes free_memory;
  Millicores free_cpu;
  Bytes stranded_memory;   // free memory on nodes whose CPU is exhausted
  Millicores stranded_cpu;  // free CPU on nodes whose memory is exhausted
};
[[nodiscard]] Fragmentation fragmentation(const std::vector<PodSize>& pods, const Packing& packing);

}  // namespace stackfit
