// Writes targets for a Kubernetes stack: a kustomize strategic-merge patch
// (one document per workload: apiVersion/kind/metadata and the containers'
// resources, runtime knobs as env/command/args), the `patches:` entry of a
// kustomization.yaml, and `kubectl set resources` lines.
#pragma once

#include <string>
#include <vector>

#include "stackfit/model/resource_target.hpp"
#include "stackfit/model/stack.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

// The patch file's text. Each target names a workload of `stack` (kind,
// namespace, metadata.name) and a container (its first app container when
// ""); targets of one workload share one document. A target's `replicas`
// sets `spec.replicas`; for a Job (CronJob: its jobTemplate) it sets
// `parallelism`, and 0 sets `suspend: true` instead (no pods run).
// `header_comment` (lines without "# ") opens the file as comments.
// Errors: not_found for a workload or container the stack does not have;
// usage for replicas on a bare Pod or a DaemonSet (they have no count).
[[nodiscard]] Expected<std::string> render_kustomize_patch(const Stack& stack,
                                                           const std::vector<ResourceTarget>& targets,
                                                           const std::string& header_comment = {});

// `kubectl set resources KIND/NAME -c CONTAINER [-n NS] --limits=...
// --requests=...`, one line per target that sets any resource.
[[nodiscard]] Expected<std::string> render_kubectl_set_resources(const Stack& stack,
                                                                 const std::vector<ResourceTarget>& targets);

// The user's kustomization text with `- path: <patch_file>` added under
// `patches:` (the key is appended when absent). The rest of the text is kept
// byte for byte. Returns the text unchanged when the entry is already there.
// Errors (bad_input, located): the file is not a mapping, or `patches` is
// not a block list.
[[nodiscard]] Expected<std::string> add_kustomization_patch(const std::string& text, const std::string& file,
                                                            const std::string& patch_file);

// A new kustomization.yaml listing `resources` (paths relative to its folder)
// and the patch.
[[nodiscard]] std::string render_new_kustomization(const std::vector<std::string>& resources,
                                                   const std::string& patch_file);

}  // namespace stackfit
