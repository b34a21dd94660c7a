// The containers of a Kubernetes node, found from what the node has: the
// kubepods cgroup tree (observe/kube_cgroup_path) and the kubelet's log
// folders (observe/kube_pod_logs), for `record --kube-node`. No API server,
// no container runtime socket.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "stackfit/model/sample.hpp"
#include "stackfit/observe/cgroup_reader.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

struct KubeNodeOptions {
  std::string pods_log_dir = "/var/log/pods";
  std::string containers_log_dir = "/var/log/containers";
};

class KubeNodeDiscovery {
 public:
  using NoticeFn = std::function<void(const std::string&)>;
  KubeNodeDiscovery(CgroupMounts mounts, KubeNodeOptions options) : m_mounts(std::move(mounts)), m_options(std::move(options)) {}

  // The container cgroups under every kubepods tree now, each as a
  // ContainerInfo: id the container ID, project the namespace, service
  // "<namespace>/<owner>/<container>" (observe/kube_pod_owner), name "<pod>/<container>",
  // kube set. A container the log folders do not name (the pod's sandbox,
  // or one started since the kubelet last wrote its link) is left out while
  // they can be read. While a log folder cannot be read, `notice` gets one
  // line (again only after it was readable) and the names fall back: pod =
  // the pod UID, container = the first 12 digits of the container ID, no
  // namespace. Errors: none but a cgroup tree that cannot be listed (io).
  [[nodiscard]] Expected<std::vector<ContainerInfo>> scan(const NoticeFn& notice);

 private:
  Expected<std::vector<std::string>> kubepods_tops();
  Expected<void> walk(const std::string& path, int depth, std::vector<std::string>& out) const;

  CgroupMounts m_mounts;
  KubeNodeOptions m_options;
  std::vector<std::string> m_tops;  // found once, then kept
  bool m_pods_warned = false;
  bool m_links_warned = false;
};

}  // namespace stackfit
