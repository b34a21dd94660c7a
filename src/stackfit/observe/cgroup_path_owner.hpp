// Who a cgroup path belongs to: the container id and Kubernetes pod uid that
// the engines and the kubelet write into the names of the cgroups they make.
// Pure text work over paths as the kernel prints them ("/docker/<id>",
// "/system.slice/docker-<id>.scope", "/libpod_parent/libpod-<id>",
// "/machine.slice/libpod-<id>.scope", "/kubepods/burstable/pod<uid>/<id>",
// "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod<u_i_d>.slice/cri-containerd-<id>.scope").
#pragma once

#include <string>
#include <string_view>

namespace stackfit {

struct CgroupOwner {
  std::string container_id;  // 64 lowercase hex digits, or "" when the path names none
  std::string pod_uid;       // "8f1c...-..." with dashes, or ""
};

// The deepest path segment that is a container id (after the engines'
// prefixes docker-, libpod-, cri-containerd-, crio-, containerd- and the
// suffix .scope; Podman's "libpod-conmon-<id>" is its monitor, not the
// container, and is skipped), and the pod uid of a "pod<uid>" segment.
[[nodiscard]] CgroupOwner owner_of_cgroup(std::string_view path);

}  // namespace stackfit
