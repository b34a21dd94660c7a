#include "stackfit/record/kube_node_discovery.hpp"

#include <map>
#include <optional>

#include "stackfit/observe/kube_cgroup_path.hpp"
#include "stackfit/observe/kube_pod_logs.hpp"
#include "stackfit/observe/kube_pod_owner.hpp"

namespace stackfit {
namespace {

// kubepods sits at most this deep (kind: /kubelet.slice/kubelet-kubepods.slice).
constexpr int k_max_top_depth = 3;
// Below it: QoS, pod, container.
constexpr int k_tree_depth = 3;
constexpr std::size_t k_short_id_chars = 12;

std::string base_name(const std::string& path) {
  std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Reads one log folder; a failure becomes one notice until it reads again.
template <class T>
std::optional<T> read_or_warn(Expected<T> read, bool& warned, const KubeNodeDiscovery::NoticeFn& notice,
                              const std::string& fallback) {
  if (read) {
    warned = false;
    return std::move(*read);
  }
  if (!warned && notice) notice(read.error().message + "; " + fallback);
  warned = true;
  return std::nullopt;
}

// The store's keys of a named container (kube_node_discovery.hpp).
ContainerInfo container_info(const std::string& id, const std::string& path, KubeLabels labels) {
  ContainerInfo info;
  info.id = id;
  info.cgroup_path = path;
  info.project = labels.namespace_;
  // The readers of a store group by service alone: the namespace keeps two namespaces' "web" apart.
  info.service = labels.namespace_.empty()
                     ? labels.pod + "/" + labels.container
                     : labels.namespace_ + "/" + guess_pod_owner(labels.pod).name + "/" + labels.container;
  info.name = labels.pod + "/" + labels.container;
  info.kube = std::move(labels);
  return info;
}

}  // namespace

Expected<void> KubeNodeDiscovery::walk(const std::string& path, int depth, std::vector<std::string>& out) const {
  if (depth > 0 && parse_kube_cgroup_path(path)) {
    out.push_back(path);
    return {};
  }
  if (depth == k_tree_depth) return {};
  auto children = list_child_cgroups(m_mounts, path);
  if (!children) return children.error().code == ErrorCode::not_found ? Expected<void>{} : tl::unexpected(children.error());
  for (const std::string& child : *children) TRY(walk(child, depth + 1, out));
  return {};
}

Expected<std::vector<std::string>> KubeNodeDiscovery::kubepods_tops() {
  if (!m_tops.empty()) return m_tops;
  std::vector<std::string> level{"/"};
  for (int depth = 0; depth < k_max_top_depth && !level.empty(); ++depth) {
    std::vector<std::string> next;
    for (const std::string& path : level) {
      auto children = list_child_cgroups(m_mounts, path == "/" ? "" : path);
      if (!children) continue;  // vanished or unreadable: not where kubepods is
      for (std::string& child : *children) {
        if (is_kubepods_cgroup_name(base_name(child))) m_tops.push_back(child);
        else next.push_back(std::move(child));
      }
    }
    level = std::move(next);
  }
  return m_tops;
}

Expected<std::vector<ContainerInfo>> KubeNodeDiscovery::scan(const NoticeFn& notice) {
  auto tops = kubepods_tops();
  TRY(tops);
  std::vector<std::string> paths;
  for (const std::string& top : *tops) TRY(walk(top, 0, paths));
  if (paths.empty()) return std::vector<ContainerInfo>{};
  auto pods = read_or_warn(read_pod_log_folders(m_options.pods_log_dir), m_pods_warned, notice,
                           "pods are named by their UID only");
  auto links = read_or_warn(read_container_log_links(m_options.containers_log_dir), m_links_warned, notice,
                            "containers are named by their ID's first 12 digits");
  std::vector<ContainerInfo> out;
  for (const std::string& path : paths) {
    KubeCgroup cg = *parse_kube_cgroup_path(path);
    KubeLabels labels{"", cg.pod_uid, cg.container_id.substr(0, k_short_id_chars)};
    if (pods) {
      auto pod = pods->find(cg.pod_uid);
      if (pod == pods->end()) continue;  // a pod the kubelet has not written yet, or gone
      labels.namespace_ = pod->second.namespace_;
      labels.pod = pod->second.pod;
    }
    if (links) {
      auto link = links->find(cg.container_id);
      if (link == links->end()) continue;  // the sandbox, or not linked yet
      labels.container = link->second.container;
      if (!pods) {  // the link names the pod as well
        labels.namespace_ = link->second.namespace_;
        labels.pod = link->second.pod;
      }
    }
    out.push_back(container_info(cg.container_id, path, std::move(labels)));
  }
  return out;
}

}  // namespace stackfit
