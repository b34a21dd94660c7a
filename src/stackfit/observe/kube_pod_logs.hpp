// The names a Kubernetes node keeps on disk for its pods, read from the
// kubelet's log folders (no API server needed):
//   /var/log/pods/<namespace>_<pod>_<uid>/<container>/<restart>.log
//   /var/log/containers/<pod>_<namespace>_<container>-<container id>.log
// The first maps a pod UID to its namespace, name and container names; the
// second (symlinks into the first, only their names are read) maps a
// container ID to its container's name. Namespaces, pod and container names
// are DNS-1123 names without '_'; a name with more underscores is still
// split leniently (the namespace first, the UID last, the pod between).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stackfit/util/error.hpp"

namespace stackfit {

struct KubePodNames {
  std::string namespace_;
  std::string pod;
  std::vector<std::string> containers;  // the pod folder's subfolders, sorted
};

struct KubeContainerLogName {
  std::string pod;
  std::string namespace_;
  std::string container;
};

// Reading bounds: a node runs at most a few hundred pods.
inline constexpr std::size_t k_max_pod_log_entries = 100'000;

// "<namespace>_<pod>_<uid>" split, or nullopt when a part is empty or an '_' is missing.
struct PodLogFolderName {
  std::string namespace_, pod, uid;
};
[[nodiscard]] std::optional<PodLogFolderName> parse_pod_log_folder(std::string_view name);

// "<pod>_<namespace>_<container>-<64 hex>.log" split (the id returned in
// `id`), or nullopt when the name is not of that form.
[[nodiscard]] std::optional<KubeContainerLogName> parse_container_log_link(std::string_view name, std::string& id);

// Pod UID -> names, from `pods_dir` (normally /var/log/pods). Folders whose
// names do not parse are skipped. Errors: those of list_directory on
// `pods_dir` (not_found, io "<dir>: opendir: Permission denied").
[[nodiscard]] Expected<std::map<std::string, KubePodNames>> read_pod_log_folders(const std::string& pods_dir);

// Container ID -> names, from `containers_dir` (normally /var/log/containers).
[[nodiscard]] Expected<std::map<std::string, KubeContainerLogName>> read_container_log_links(
    const std::string& containers_dir);

}  // namespace stackfit
