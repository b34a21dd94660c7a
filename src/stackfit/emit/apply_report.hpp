// What `stackfit apply` shows besides the files it writes: the check that
// every target names something in the stack, the dry-run table (declared vs
// target), and the Compose -> Kubernetes translation of resources.
#pragma once

#include <string>
#include <vector>

#include "stackfit/model/resource_target.hpp"
#include "stackfit/model/stack.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

// not_found when a target names a service (Compose) or workload (Kubernetes)
// the stack does not have — typically one renamed since it was recorded.
// `source` names where the targets came from ("rec.json").
[[nodiscard]] Expected<void> check_targets_in_stack(const Stack& stack, const std::vector<ResourceTarget>& targets,
                                                    const std::string& source);

// Per target and field: declared -> target, "=" when unchanged, plus the
// runtime knobs. Changes nothing.
[[nodiscard]] std::string render_apply_dry_run(const Stack& stack, const std::vector<ResourceTarget>& targets);

// Per Compose service, the Kubernetes `resources:` block of its declared
// resources, or of the target where one is given (target fields win, field by
// field). Compose -> Kubernetes: mem_reservation / reservations.memory ->
// requests.memory, mem_limit / limits.memory -> limits.memory, cpus /
// limits.cpus -> limits.cpu, reservations.cpus -> requests.cpu. A missing
// request is written equal to the limit, which is what the API server
// defaults it to anyway.
[[nodiscard]] std::string render_compose_as_kubernetes(const Stack& stack, const std::vector<ResourceTarget>& targets);

}  // namespace stackfit
