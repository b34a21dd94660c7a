// Who a cgroup path belongs to: the container id and Kubernetes pod uid that
// the engines and the kubelet write into the names of the cgroups they make.
// Pure text work over paths as the kernel prints them ("/docker/<id>",
// "/system.slice/docker-<id>.scope", "/libpod_parent/libpod-<id>",
// "/machine.slice/libpod-<id>.scope", "/kubepods/burstable/pod<uid>/<id>",
// "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod<u_i_d>.slice/cri-containerd-<id>.scope").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "stackfit/model/host_facts.hpp"

namespace stackfit {

struct CgroupOwner {
  std::string container_id;  // 64 lowercase hex digits, or "" when the path names none
  std::string pod_uid;       // "8f1c...-..." with dashes, or ""
};

// Whether `text` is a container id as engines and CRI runtimes print it: 64 lowercase hex digits.
[[nodiscard]] bool is_container_id(std::string_view text);

// The deepest path segment that is a container id (after the engines'
// prefixes docker-, libpod-, cri-containerd-, crio-, containerd- and the
// suffix .scope; Podman's "libpod-conmon-<id>" is its monitor, not the
// container, and is skipped), and the pod uid of a "pod<uid>" segment.
[[nodiscard]] CgroupOwner owner_of_cgroup(std::string_view path);

// Fills each kill's container_id and pod from its cgroup path, and its
// container_name, service, project and pod from the engine's container of
// that id (stopped ones included). A kill whose container is gone keeps the
// id alone; one outside any container keeps all of them empty.
void attribute_oom_kills(std::vector<OomKill>& kills, const std::vector<EngineContainer>& containers);

}  // namespace stackfit
