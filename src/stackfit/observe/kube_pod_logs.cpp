#include "stackfit/observe/kube_pod_logs.hpp"

#include "stackfit/observe/cgroup_path_owner.hpp"
#include "stackfit/util/file_io.hpp"

namespace stackfit {

std::optional<PodLogFolderName> parse_pod_log_folder(std::string_view name) {
  std::size_t first = name.find('_');
  std::size_t last = name.rfind('_');
  if (first == std::string_view::npos || last == first) return std::nullopt;
  PodLogFolderName out{std::string(name.substr(0, first)), std::string(name.substr(first + 1, last - first - 1)),
                       std::string(name.substr(last + 1))};
  if (out.namespace_.empty() || out.pod.empty() || out.uid.empty()) return std::nullopt;
  return out;
}

std::optional<KubeContainerLogName> parse_container_log_link(std::string_view name, std::string& id) {
  if (!name.ends_with(".log")) return std::nullopt;
  name.remove_suffix(4);
  std::size_t dash = name.rfind('-');
  if (dash == std::string_view::npos || !is_container_id(name.substr(dash + 1))) return std::nullopt;
  std::string_view rest = name.substr(0, dash);  // <pod>_<namespace>_<container>
  std::size_t last = rest.rfind('_');
  if (last == std::string_view::npos || last == 0) return std::nullopt;
  std::size_t middle = rest.rfind('_', last - 1);
  if (middle == std::string_view::npos) return std::nullopt;
  KubeContainerLogName out{std::string(rest.substr(0, middle)), std::string(rest.substr(middle + 1, last - middle - 1)),
                           std::string(rest.substr(last + 1))};
  if (out.pod.empty() || out.namespace_.empty() || out.container.empty()) return std::nullopt;
  id = std::string(name.substr(dash + 1));
  return out;
}

Expected<std::map<std::string, KubePodNames>> read_pod_log_folders(const std::string& pods_dir) {
  auto entries = list_directory(pods_dir, k_max_pod_log_entries);
  TRY(entries);
  std::map<std::string, KubePodNames> out;
  for (const std::string& entry : *entries) {
    auto name = parse_pod_log_folder(entry);
    if (!name) continue;
    KubePodNames pod{name->namespace_, name->pod, {}};
    // A pod folder that vanished or cannot be read keeps its names, without containers.
    std::string folder = pods_dir + "/" + entry;
    if (auto containers = list_directory(folder, k_max_pod_log_entries)) {
      for (std::string& c : *containers) {
        if (is_directory(folder + "/" + c)) pod.containers.push_back(std::move(c));
      }
    }
    out.emplace(name->uid, std::move(pod));
  }
  return out;
}

Expected<std::map<std::string, KubeContainerLogName>> read_container_log_links(const std::string& containers_dir) {
  auto entries = list_directory(containers_dir, k_max_pod_log_entries);
  TRY(entries);
  std::map<std::string, KubeContainerLogName> out;
  std::string id;
  for (const std::string& entry : *entries) {
    if (auto name = parse_container_log_link(entry, id)) out.emplace(id, std::move(*name));
  }
  return out;
}

}  // namespace stackfit
