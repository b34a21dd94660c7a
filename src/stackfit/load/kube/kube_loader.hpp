// Loads Kubernetes manifests (multi-document YAML from files, folders or
// stdin) into a Stack of workloads with the pod's effective resources.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stackfit/model/stack.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

struct KubeOptions {
  // Files, folders (every *.yaml / *.yml / *.json inside, sorted, recursive)
  // or "-" for standard input.
  std::vector<std::string> paths;
  // The stackfit command reading them, for the hint on a kustomize folder
  // ("kubectl kustomize DIR | stackfit <command> -k -").
  std::string command = "inspect";
};

[[nodiscard]] Expected<Stack> load_kubernetes(const KubeOptions& options);

// Adds the workloads of one YAML stream to `stack` (used by load_kubernetes
// and by tests and benchmarks on in-memory text).
[[nodiscard]] Expected<void> load_kubernetes_text(std::string_view text,
                                                  const std::shared_ptr<const std::string>& file,
                                                  Stack& stack);

}  // namespace stackfit
