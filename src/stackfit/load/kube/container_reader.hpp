// Reads one entry of a pod's `containers` or `initContainers` list.
#pragma once

#include <string_view>

#include "stackfit/load/yaml_node.hpp"
#include "stackfit/model/stack.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit::kube {

// Where a container was listed in the pod spec.
enum class ContainerList { containers, init_containers };

// Reads the container mapping `node` found at field path `path`
// ("spec.template.spec.containers[0]"). Role: `app` for `containers`; `init`
// for `initContainers`, or `sidecar` when the init container has
// `restartPolicy: Always`. Keeps name, image, command then args, literal env
// values (entries with `valueFrom` are left out) and requests/limits with the
// API server's defaulting applied (see read_resources). `hints` stay empty.
[[nodiscard]] Expected<Container> read_container(const yaml::Node& node, std::string_view path,
                                                 ContainerList list);

// Reads a `resources` mapping ({requests: {...}, limits: {...}}) at `path`;
// `node` may be null (nothing declared). Only `memory` and `cpu` are read;
// other names (ephemeral-storage, nvidia.com/gpu, hugepages-*) are ignored.
// With RequestDefaulting::from_limit, like the API server does for containers
// (SetDefaults_Container in pkg/apis/core/v1/defaults.go), a resource that has
// a limit but no request gets a request equal to the limit.
enum class RequestDefaulting { none, from_limit };
[[nodiscard]] Expected<Resources> read_resources(const yaml::Node* node, std::string_view path,
                                                 RequestDefaulting defaulting);

// Reads `memory` and `cpu` of a resource list mapping (requests, limits,
// spec.overhead) at `path` into the two optionals (left empty when absent).
[[nodiscard]] Expected<void> read_memory_and_cpu(const yaml::Node& list, std::string_view path,
                                                 std::optional<Bytes>& memory, std::optional<Millicores>& cpu);

}  // namespace stackfit::kube
