// The nouns every stage shares: a Stack of Services, each with Containers.
// Loaders (load/) produce it; analyze/, plan/ and emit/ read it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "stackfit/model/resources.hpp"
#include "stackfit/model/runtime_hints.hpp"
#include "stackfit/util/source_location.hpp"

namespace stackfit {

using KeyValues = std::vector<std::pair<std::string, std::string>>;  // ordered

// Importance of a service when something must give (label or x-stackfit
// extension `stackfit.priority`: critical / normal / optional).
enum class Priority { critical, normal, optional };
[[nodiscard]] const char* to_string(Priority p);

// How replicas multiply: a fixed count, or one per node (DaemonSet).
enum class ReplicaMode { fixed, per_node };

// Kubernetes container roles; Compose services have one `app` container.
enum class ContainerRole { app, init, sidecar };
[[nodiscard]] const char* to_string(ContainerRole r);

struct Container {
  std::string name;
  std::string image;
  ContainerRole role = ContainerRole::app;
  Resources resources;
  std::vector<std::string> command;  // entrypoint/command and args, joined in order
  // How many leading words of `command` are Compose's `entrypoint` /
  // Kubernetes' `command`; the rest are Compose's `command` / Kubernetes' `args`.
  std::size_t entrypoint_words = 0;
  KeyValues environment;             // literal values only; valueFrom omitted
  // Paths inside the container where a volume, bind mount or tmpfs is mounted
  // (Compose `volumes`/`tmpfs`, Kubernetes `volumeMounts[].mountPath`), in
  // declaration order. Read leniently: an entry the reader cannot place is left
  // out (they only feed hints, e.g. a Redis keeping data on /data).
  std::vector<std::string> mount_paths;
  RuntimeHints hints;
  SourceLocation declared_at;
};

struct Dependency {
  std::string service;
  std::string condition;  // service_started | service_healthy | service_completed_successfully
  bool required = true;
};

// Health check timing in milliseconds (Compose healthcheck, Kubernetes probes).
struct Healthcheck {
  bool disabled = false;
  std::optional<std::int64_t> interval_ms;
  std::optional<std::int64_t> timeout_ms;
  std::optional<std::int64_t> start_period_ms;
  std::optional<std::int64_t> retries;
};

// Compose only: which sizing keys the service's (merged) definition uses.
// The override writer follows them, so an override never sets a key that
// contradicts one of the user's ("can't set distinct values on ...").
struct ComposeKeys {
  bool mem_limit = false;
  bool mem_reservation = false;
  bool cpus = false;
  bool cpu_quota = false;
  bool deploy_limits = false;        // deploy.resources.limits.{memory,cpus}
  bool deploy_reservations = false;  // deploy.resources.reservations.{memory,cpus}
  bool scale = false;
  bool deploy_replicas = false;
};

struct Service {
  std::string name;        // Compose service name, or the workload's metadata.name
  std::string kind;        // "service" for Compose; Deployment, StatefulSet, ... for Kubernetes
  std::string namespace_;  // Kubernetes namespace ("" when not given)
  SourceLocation declared_at;
  std::string image;        // Compose image; Kubernetes: first app container's image
  std::int64_t replicas = 1;
  ReplicaMode replica_mode = ReplicaMode::fixed;

  // Effective per-replica resources: for Compose the service's own; for
  // Kubernetes the pod's, folded the way the scheduler does (init containers,
  // sidecars, pod overhead).
  Resources resources;
  std::vector<Container> containers;  // Compose: exactly one (the service itself)

  std::vector<Dependency> depends_on;
  std::optional<Healthcheck> healthcheck;
  std::vector<std::string> profiles;
  Priority priority = Priority::normal;
  // True when a `stackfit.priority` label, annotation or x-stackfit extension
  // set `priority` (false: the default, normal). plan/optional_inference
  // infers only for undeclared services: a declared priority always wins.
  bool priority_declared = false;
  KeyValues labels;
  // Runtime hints of the service: for Compose, the container's; for Kubernetes,
  // those of the first app container that has any.
  RuntimeHints hints;
  ComposeKeys compose_keys;  // Compose only
};

enum class StackKind { compose, kubernetes };

struct Stack {
  StackKind kind = StackKind::compose;
  std::string name;                        // Compose project name; "" for Kubernetes
  std::vector<std::string> source_files;   // in load order
  std::vector<Service> services;           // in declaration order
  // Compose: the engine names of the top-level named volumes (`name:` when
  // given, the key of an `external` one, else "<project>_<key>"), in
  // declaration order; `cleanup --volumes named` never removes these.
  std::vector<std::string> volume_names;
  // Kubernetes objects read but not sized (Service, ConfigMap, ...), by kind.
  std::vector<std::pair<std::string, std::int64_t>> skipped_kinds;
};

}  // namespace stackfit
