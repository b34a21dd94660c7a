// Turns one Kubernetes object into a Service: kind, name, namespace,
// replicas, containers and the pod's effective resources.
#pragma once

#include <string>
#include <string_view>

#include "stackfit/load/yaml_node.hpp"
#include "stackfit/model/stack.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit::kube {

// What every object carries, read before deciding what to do with it.
struct ObjectHeader {
  std::string kind;
  std::string api_version; // "" when absent
  std::string name;        // metadata.name (or metadata.generateName)
  std::string namespace_;  // metadata.namespace, "" when absent
  SourceLocation declared_at;  // the `kind:` key
};

// Reads kind and metadata of `object` (a mapping). Errors: a missing or
// non-string `kind`, a missing or non-mapping `metadata`, a missing name.
// List objects (see is_list_object) need no metadata; their name stays "".
[[nodiscard]] Expected<ObjectHeader> read_object_header(const yaml::Node& object);

// `List`, or `PodList`, `DeploymentList`, ... with an `items` key: objects
// whose `items` are objects. (A custom kind that merely ends in "List" and has
// no `items` is an ordinary object.)
[[nodiscard]] bool is_list_object(const yaml::Node& object, std::string_view kind);

// Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job,
// CronJob and Pod: the kinds whose pods are sized.
[[nodiscard]] bool is_workload_kind(std::string_view kind);

// A workload kind of the built-in API group that defines it (core v1 for Pod
// and ReplicationController, apps or the old extensions for Deployment,
// StatefulSet, DaemonSet and ReplicaSet, batch for Job and CronJob). A custom
// resource that reuses a built-in kind name (`kind: Job` of a CRD) is not one.
// An object without apiVersion is taken by its kind alone.
[[nodiscard]] bool is_builtin_workload(const ObjectHeader& header);

// Reads a workload (is_workload_kind(header.kind)). Replicas: spec.replicas
// (default 1) for Deployment/StatefulSet/ReplicaSet/ReplicationController;
// for a Job (and a CronJob's job template) the pods the Job runs at once,
// min(parallelism, completions) with parallelism defaulting to 1; 1 for a Pod;
// 1 with ReplicaMode::per_node for a DaemonSet. Priority comes from the label
// or the annotation `stackfit.priority` (critical|normal|optional) on the
// object, else on its pod template. `hints` are not filled.
[[nodiscard]] Expected<Service> read_workload(const yaml::Node& object, const ObjectHeader& header);

}  // namespace stackfit::kube
