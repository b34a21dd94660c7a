#include "stackfit/observe/cgroup_path_owner.hpp"

#include <array>

namespace stackfit {
namespace {

// The container id a segment names ("docker-<id>.scope", "libpod-<id>", "<id>"), or "".
std::string_view id_of_segment(std::string_view segment) {
  if (segment.ends_with(".scope")) segment.remove_suffix(6);
  if (segment.starts_with("libpod-conmon-")) return {};  // Podman's monitor process
  constexpr std::array<std::string_view, 5> k_prefixes = {"docker-", "libpod-", "cri-containerd-", "crio-",
                                                          "containerd-"};
  for (std::string_view prefix : k_prefixes) {
    if (segment.starts_with(prefix)) {
      segment.remove_prefix(prefix.size());
      break;
    }
  }
  return is_container_id(segment) ? segment : std::string_view{};
}

// "pod<uid>" (cgroupfs driver) or "kubepods-<qos>-pod<u_i_d>.slice" (systemd driver), else "".
std::string pod_uid_of_segment(std::string_view segment) {
  if (segment.ends_with(".slice")) {
    segment.remove_suffix(6);
    auto at = segment.rfind("-pod");
    if (!segment.starts_with("kubepods") || at == std::string_view::npos) return {};
    std::string uid(segment.substr(at + 4));
    for (char& c : uid) c = c == '_' ? '-' : c;  // systemd escapes '-' in unit names as '_'
    return uid;
  }
  if (segment.starts_with("pod") && segment.size() > 3 && segment.find('.') == std::string_view::npos) {
    return std::string(segment.substr(3));
  }
  return {};
}

}  // namespace

bool is_container_id(std::string_view text) {
  constexpr std::size_t k_container_id_chars = 64;
  if (text.size() != k_container_id_chars) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

CgroupOwner owner_of_cgroup(std::string_view path) {
  CgroupOwner owner;
  bool kubepods = path.find("kubepods") != std::string_view::npos;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    std::string_view segment = path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (auto id = id_of_segment(segment); !id.empty()) owner.container_id = std::string(id);  // deepest wins
    if (kubepods) {
      if (auto uid = pod_uid_of_segment(segment); !uid.empty()) owner.pod_uid = std::move(uid);
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return owner;
}

void attribute_oom_kills(std::vector<OomKill>& kills, const std::vector<EngineContainer>& containers) {
  for (OomKill& kill : kills) {
    CgroupOwner owner = owner_of_cgroup(kill.cgroup);
    kill.container_id = owner.container_id;
    if (!owner.pod_uid.empty()) kill.pod = "uid:" + owner.pod_uid;
    if (owner.container_id.empty()) continue;
    for (const EngineContainer& c : containers) {
      if (c.id != owner.container_id) continue;
      kill.container_name = c.name;
      kill.service = c.service;
      kill.project = c.project;
      if (!c.pod.empty()) kill.pod = c.pod;
      break;
    }
  }
}

}  // namespace stackfit
