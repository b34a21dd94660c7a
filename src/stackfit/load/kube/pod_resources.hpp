// The pod's effective requests and limits, folded from its containers the way
// the scheduler and the kubelet do it (k8s.io/component-helpers/resource
// PodRequests / PodLimits, KEP-753 sidecar rules).
#pragma once

#include <optional>
#include <vector>

#include "stackfit/model/quantity.hpp"
#include "stackfit/model/stack.hpp"

namespace stackfit::kube {

// `spec.overhead` of a pod (set by its RuntimeClass): added once per pod.
struct PodOverhead {
  std::optional<Bytes> memory;
  std::optional<Millicores> cpu;
};

// Everything outside the containers that changes the pod's totals.
struct PodLevel {
  PodOverhead overhead;
  // `spec.resources` (pod-level resources, PodLevelResources feature) as
  // written, without defaulting: a pod-level value replaces the containers'
  // aggregate. A pod-level limit without a pod-level request defaults the
  // request to the containers' aggregate request, or to the limit when no
  // container declares one (SetDefaults_PodSpec).
  Resources resources;
};

// Folds `containers` (init and sidecar containers in their spec order; app
// containers anywhere) into the pod's effective per-replica resources. Each
// of the four values is computed on its own; "not declared" is kept apart
// from zero:
//   app     = sum of app containers + sum of all sidecars
//   step(i) = init container i + sum of sidecars listed before it
//             (for a sidecar: the sum of sidecars up to and including it)
//   pod     = max(app, max over i of step(i))
// A container that does not declare a value adds nothing, so the pod value is
// absent only when no container declares it. Limits are folded the same way
// (PodLimits), i.e. the sum of the declared limits, as `kubectl describe node`
// shows; a container without a limit is not counted as unbounded.
// Then pod-level values replace the aggregate (see PodLevel::resources), and the overhead is added to
// requests (always) and to limits (only to a declared, non-zero limit).
// Sums saturate instead of wrapping.
[[nodiscard]] Resources effective_pod_resources(const std::vector<Container>& containers,
                                                const PodLevel& pod_level);

}  // namespace stackfit::kube
