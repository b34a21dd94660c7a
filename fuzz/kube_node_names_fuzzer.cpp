// The node agent's readers of names (docs/node-agent.md): each line of the
// input as a cgroup path (parse_kube_cgroup_path), a pod log folder name, a
// container log link name, and a pod name (guess_pod_owner). Properties: a
// parsed container cgroup has a 64-hex-digit id and a UID of hex digits and
// dashes (8 to 64); a split name's parts are non-empty and are the input's
// own text; a guessed owner's name is the pod's name or a prefix of it.
#include <cstdio>
#include <cstdlib>

#include "fuzz_support.hpp"
#include "stackfit/observe/cgroup_path_owner.hpp"
#include "stackfit/observe/kube_cgroup_path.hpp"
#include "stackfit/observe/kube_pod_logs.hpp"
#include "stackfit/observe/kube_pod_owner.hpp"

using namespace stackfit;

namespace {

[[noreturn]] void fail(const char* what, std::string_view line) {
  std::fprintf(stderr, "%s: %.*s\n", what, static_cast<int>(line.size()), line.data());
  std::abort();
}

bool is_uid(const std::string& uid) {
  if (uid.size() < 8 || uid.size() > 64) return false;
  for (char c : uid) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-')) return false;
  }
  return true;
}

void check_line(std::string_view line) {
  if (auto cg = parse_kube_cgroup_path(line)) {
    if (!is_container_id(cg->container_id) || !is_uid(cg->pod_uid)) fail("cgroup path: bad id or uid", line);
  }
  if (auto folder = parse_pod_log_folder(line)) {
    if (folder->namespace_.empty() || folder->pod.empty() || folder->uid.empty() ||
        folder->namespace_.size() + folder->pod.size() + folder->uid.size() + 2 != line.size()) {
      fail("pod log folder: parts", line);
    }
  }
  std::string id;
  if (auto link = parse_container_log_link(line, id)) {
    if (!is_container_id(id) || link->pod.empty() || link->namespace_.empty() || link->container.empty()) {
      fail("container log link: parts", line);
    }
  }
  GuessedPodOwner owner = guess_pod_owner(line);
  if (owner.kind.empty() || !line.starts_with(owner.name)) fail("pod owner: not a prefix of the pod", line);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  while (!text.empty()) {
    auto newline = text.find('\n');
    check_line(text.substr(0, newline));
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  return 0;
}
