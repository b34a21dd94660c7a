// Which workload a pod belongs to, guessed from its name alone (a node agent
// has no API server to ask for ownerReferences). Controllers name their pods
// in fixed patterns; the guess reads them back:
//   <deployment>-<pod-template-hash>-<5>  -> Deployment
//   <cronjob>-<scheduled minute>-<5>      -> CronJob (8+ digits)
//   <name>-<5>                            -> "controller": a DaemonSet, Job or
//                                            bare ReplicaSet, which the name cannot tell apart
//   <statefulset>-<ordinal>               -> StatefulSet
//   anything else                         -> Pod (the pod itself: bare and static pods)
// where <5> is five characters of Kubernetes' generated-name alphabet
// [bcdfghjklmnpqrstvwxz2456789]. A bare pod whose name happens to fit a
// pattern is grouped with its look-alikes; docs/node-agent.md says so.
#pragma once

#include <string>
#include <string_view>

namespace stackfit {

struct GuessedPodOwner {
  std::string kind;  // "Deployment", "CronJob", "controller", "StatefulSet" or "Pod"
  std::string name;  // the workload's name (the pod's own for "Pod")
};

[[nodiscard]] GuessedPodOwner guess_pod_owner(std::string_view pod);

}  // namespace stackfit
