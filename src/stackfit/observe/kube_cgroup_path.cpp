#include "stackfit/observe/kube_cgroup_path.hpp"

#include <array>
#include <vector>

#include "stackfit/observe/cgroup_path_owner.hpp"

namespace stackfit {
namespace {

// A pod UID is 36 characters; a static pod's is a 32-digit hash. Bounds, not a format.
constexpr std::size_t k_min_uid_chars = 8;
constexpr std::size_t k_max_uid_chars = 64;
constexpr std::string_view k_slice = ".slice";
constexpr std::string_view k_scope = ".scope";


// Lowercase hex digits and `dash` (systemd names carry '_' where the UID has '-').
std::string uid_from(std::string_view text, char dash) {
  if (text.size() < k_min_uid_chars || text.size() > k_max_uid_chars) return {};
  std::string uid(text);
  for (char& c : uid) {
    if (c == dash) c = '-';
    else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return {};
  }
  return uid;
}

std::vector<std::string_view> segments_of(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

std::string_view stem_of(std::string_view slice) { return slice.substr(0, slice.size() - k_slice.size()); }

// The QoS a segment below kubepods names ("burstable" or "<stem>-burstable.slice"), if any.
std::optional<KubeQos> qos_of(std::string_view segment, CgroupDriver driver, std::string_view stem) {
  for (KubeQos qos : {KubeQos::burstable, KubeQos::besteffort}) {
    std::string_view name = qos_name(qos);
    if (driver == CgroupDriver::cgroupfs && segment == name) return qos;
    if (driver == CgroupDriver::systemd && segment.size() == stem.size() + 1 + name.size() + k_slice.size() &&
        segment.starts_with(stem) && segment[stem.size()] == '-' &&
        segment.substr(stem.size() + 1, name.size()) == name && segment.ends_with(k_slice)) {
      return qos;
    }
  }
  return std::nullopt;
}

// The pod UID of a pod segment under the slice `stem` (systemd) or any parent (cgroupfs), or "".
std::string pod_uid_of(std::string_view segment, CgroupDriver driver, std::string_view stem) {
  if (driver == CgroupDriver::cgroupfs) {
    return segment.starts_with("pod") ? uid_from(segment.substr(3), '-') : std::string{};
  }
  std::string prefix = std::string(stem) + "-pod";
  if (!segment.starts_with(prefix) || !segment.ends_with(k_slice)) return {};
  segment.remove_prefix(prefix.size());
  segment.remove_suffix(k_slice.size());
  return uid_from(segment, '_');
}

// The id and runtime of a container segment, or nullopt.
std::optional<std::pair<std::string, KubeRuntime>> container_of(std::string_view segment, CgroupDriver driver) {
  bool scope = segment.ends_with(k_scope);
  if (scope != (driver == CgroupDriver::systemd)) return std::nullopt;
  if (scope) segment.remove_suffix(k_scope.size());
  constexpr std::array<std::pair<std::string_view, KubeRuntime>, 3> k_prefixes = {{
      {"cri-containerd-", KubeRuntime::containerd}, {"crio-", KubeRuntime::crio}, {"docker-", KubeRuntime::docker}}};
  KubeRuntime runtime = KubeRuntime::unnamed;
  for (const auto& [prefix, rt] : k_prefixes) {
    if (segment.starts_with(prefix)) {
      segment.remove_prefix(prefix.size());
      runtime = rt;
      break;
    }
  }
  if (scope && runtime == KubeRuntime::unnamed) return std::nullopt;  // systemd names always carry the runtime
  if (!is_container_id(segment)) return std::nullopt;
  return std::pair{std::string(segment), runtime};
}

}  // namespace

bool is_kubepods_cgroup_name(std::string_view name) {
  return name == "kubepods" || name == "kubepods.slice" ||
         (name.ends_with("-kubepods.slice") && name.size() > std::string_view("-kubepods.slice").size());
}

std::optional<KubeCgroup> parse_kube_cgroup_path(std::string_view path) {
  std::vector<std::string_view> segments = segments_of(path);
  std::size_t at = 0;
  while (at < segments.size() && !is_kubepods_cgroup_name(segments[at])) ++at;
  // kubepods, then optionally a QoS, then the pod, then the container, last.
  if (at + 3 > segments.size()) return std::nullopt;
  KubeCgroup out;
  out.driver = segments[at].ends_with(k_slice) ? CgroupDriver::systemd : CgroupDriver::cgroupfs;
  std::string_view stem = out.driver == CgroupDriver::systemd ? stem_of(segments[at]) : std::string_view{};
  ++at;
  if (auto qos = qos_of(segments[at], out.driver, stem)) {
    out.qos = *qos;
    if (out.driver == CgroupDriver::systemd) stem = stem_of(segments[at]);
    ++at;
  }
  if (at + 2 != segments.size()) return std::nullopt;
  out.pod_uid = pod_uid_of(segments[at], out.driver, stem);
  if (out.pod_uid.empty()) return std::nullopt;
  auto container = container_of(segments[at + 1], out.driver);
  if (!container) return std::nullopt;
  out.container_id = std::move(container->first);
  out.runtime = container->second;
  return out;
}

std::string_view qos_name(KubeQos qos) {
  switch (qos) {
    case KubeQos::guaranteed: return "guaranteed";
    case KubeQos::burstable: return "burstable";
    case KubeQos::besteffort: return "besteffort";
  }
  return "";
}

std::string_view runtime_name(KubeRuntime rt) {
  switch (rt) {
    case KubeRuntime::containerd: return "containerd";
    case KubeRuntime::crio: return "cri-o";
    case KubeRuntime::docker: return "docker";
    case KubeRuntime::unnamed: return "unnamed";
  }
  return "";
}

}  // namespace stackfit
