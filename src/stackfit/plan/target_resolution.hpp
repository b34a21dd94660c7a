// What `--budget SIZE`, `--machine NAME` and `--reserve SIZE` name, resolved
// against the catalog: the memory a stack must fit in and what the OS, the
// engine or the kubelet keep of it. Shared by `check` and `plan`.
#pragma once

#include <optional>
#include <string>

#include "stackfit/model/stack.hpp"
#include "stackfit/plan/budget_fit.hpp"
#include "stackfit/plan/machine_catalog.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

struct TargetRequest {
  std::string budget;   // --budget ("" = none)
  std::string machine;  // --machine, any name MachineCatalog::resolve takes ("" = none)
  std::string reserve;  // --reserve ("" = the machine's, or 0 with --budget)
};

struct ResolvedTarget {
  std::string name;  // machine name, or "budget 2 GiB"
  Bytes memory;
  Bytes reserve;  // kept by OS/engine, or by the kubelet for a Kubernetes stack
  std::optional<Millicores> cpus;
  std::optional<double> price_per_hour_usd;
  [[nodiscard]] Budget budget() const { return Budget{name, memory, reserve, cpus}; }
};

// The target, or none when neither --budget nor --machine is given. A
// Kubernetes stack on one machine keeps the kubelet's reserve (GKE/EKS
// formula, plan/kube_reserve), a Compose stack the machine's OS reserve.
// Errors name the flag: a bad size (usage), an unknown machine with the
// nearest names (not_found), a reserve that leaves nothing (usage).
[[nodiscard]] Expected<std::optional<ResolvedTarget>> resolve_target(const TargetRequest& request,
                                                                     const MachineCatalog& catalog, StackKind kind);

}  // namespace stackfit
