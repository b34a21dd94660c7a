// What a Kubernetes node keeps for the kubelet, the container runtime and the
// OS, so pods can request only the node's allocatable memory and CPU:
//   allocatable = capacity - kube-reserved - eviction threshold.
// Two published formulas (docs/plan.md gives the sources):
//   GKE: memory 25% of the first 4 GiB, 20% of the next 4 GiB, 10% of the next
//        8 GiB, 6% of the next 112 GiB, 2% above 128 GiB; 255 MiB on machines
//        under 1 GiB; plus a 100 MiB hard eviction threshold.
//   EKS (amazon-eks-ami bootstrap): memory 11 MiB x max pods + 255 MiB, plus
//        the 100 MiB hard eviction threshold.
//   CPU (both): 6% of the first core, 1% of the second, 0.5% of the next two,
//        0.25% of every core above four.
#pragma once

#include <cstdint>
#include <string>

#include "stackfit/model/quantity.hpp"

namespace stackfit {

struct Machine;

inline constexpr Bytes k_kubelet_eviction_threshold{100 * k_mib};

// kube-reserved memory by the GKE formula, without the eviction threshold.
[[nodiscard]] Bytes gke_reserved_memory(Bytes capacity);
// kube-reserved memory by the EKS formula, without the eviction threshold.
[[nodiscard]] Bytes eks_reserved_memory(std::int64_t max_pods);
// kube-reserved CPU (GKE and EKS share it).
[[nodiscard]] Millicores kube_reserved_cpu(Millicores capacity);

enum class KubeReserveFormula { gke, eks };
[[nodiscard]] const char* to_string(KubeReserveFormula f);

struct NodeAllocatable {
  KubeReserveFormula formula = KubeReserveFormula::gke;
  Bytes reserved_memory;  // kube-reserved + eviction threshold
  Millicores reserved_cpu;
  Bytes memory;           // allocatable: capacity - reserved (0 when the reserve eats it all)
  Millicores cpu;
};

// The node's allocatable resources: EKS formula when the machine knows its
// max pods (AWS types), else GKE's.
[[nodiscard]] NodeAllocatable node_allocatable(const Machine& machine);

}  // namespace stackfit
