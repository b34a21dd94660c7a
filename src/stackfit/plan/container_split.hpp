// A Kubernetes plan decides per workload: its targets carry the pod's
// effective resources (what the totals and the packer count), but a kustomize
// patch sets containers. split_pod_targets turns each pod-level target into
// per-container targets so that the containers, folded the way the scheduler
// folds them, give the planned pod value (docs/plan.md, "Writing a
// Kubernetes option"). Computes; writes nothing.
#pragma once

#include <functional>
#include <vector>

#include "stackfit/model/resource_target.hpp"
#include "stackfit/model/stack.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

// The scheduler's fold of a pod's containers into its effective resources
// without pod overhead or pod-level resources (the loader's
// kube::effective_pod_resources with an empty PodLevel; plan/ may not
// include load/kube, so cli/ passes it in).
using PodFold = std::function<Resources(const std::vector<Container>&)>;

// For every target with container "" on a Kubernetes workload, per resource
// field the target sets (memory/CPU request/limit):
//  1. containers that a recommendation names (container-level entries of
//     `recommendations` for this workload) get the recommended value; the
//     others keep theirs;
//  2. else the pod value less what the pod adds beyond its containers
//     (overhead: declared pod value - fold of the containers) is shared in
//     proportion to each container's declared value of that field — init
//     containers and sidecars included, so their place in the fold (max for
//     init steps, sum for app containers and sidecars) scales too; when no
//     container declares the field, in proportion to the other field of the
//     same resource (limit <-> request); when neither, evenly over the app
//     containers. Memory is shared in whole MiB when the goal is whole MiB,
//     CPU in millicores; the remainder goes to the container that decides
//     the fold, so the fold equals the goal.
//  3. a container whose request would end above its limit gets its request
//     lowered to the limit (Kubernetes rejects request > limit).
// Only changed values are set. `replicas` and, without container-level
// recommendations, `knobs` go to the first app container's target (the
// writer puts replicas on the workload). Targets that name a container pass
// through unchanged. Errors: not_found for a workload not in `stack`;
// bad_input when a planned value is not above the pod's overhead.
[[nodiscard]] Expected<std::vector<ResourceTarget>> split_pod_targets(
    const Stack& stack, const std::vector<ResourceTarget>& targets,
    const std::vector<RecommendedTarget>& recommendations, const PodFold& fold);

}  // namespace stackfit
