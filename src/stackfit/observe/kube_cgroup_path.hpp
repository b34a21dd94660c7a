// What the kubelet and the container runtime write into the name of a
// Kubernetes container's cgroup: the pod UID, the container ID, the pod's QoS
// class and the runtime. Pure text work over paths as /proc/<pid>/cgroup
// prints them, for both cgroup drivers and both cgroup versions (the names
// are the same in v1's controllers and v2's unified tree):
//   cgroupfs: /kubepods[/burstable|/besteffort]/pod<uid>/<id>            (containerd, docker)
//             /kubepods/besteffort/pod<uid>/crio-<id>                    (CRI-O)
//   systemd:  /kubepods.slice[/kubepods-<qos>.slice]/kubepods[-<qos>]-pod<u_i_d>.slice/
//             cri-containerd-<id>.scope | crio-<id>.scope | docker-<id>.scope
// The kubepods cgroup may sit below a prefix (kind's "/kubelet.slice/
// kubelet-kubepods.slice", a kubelet --cgroup-root).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace stackfit {

// Guaranteed pods sit directly in kubepods; the others in its burstable or besteffort child.
enum class KubeQos { guaranteed, burstable, besteffort };
// Which runtime made the container cgroup, from its name's prefix; `unnamed`:
// a bare 64-hex-digit name (cgroupfs driver with containerd or docker).
enum class KubeRuntime { containerd, crio, docker, unnamed };
enum class CgroupDriver { cgroupfs, systemd };

struct KubeCgroup {
  std::string pod_uid;       // with dashes, as the API server writes it ("8f1c2d3e-...")
  std::string container_id;  // 64 lowercase hex digits
  KubeQos qos = KubeQos::guaranteed;
  KubeRuntime runtime = KubeRuntime::unnamed;
  CgroupDriver driver = CgroupDriver::cgroupfs;
};

// The container cgroup a path names, or nullopt when it is not one: outside
// kubepods, a QoS or pod cgroup, CRI-O's "crio-conmon-<id>" monitor, a name
// that is not a 64-hex-digit id, a segment after the container's, or a
// driver's name in the other driver's place.
[[nodiscard]] std::optional<KubeCgroup> parse_kube_cgroup_path(std::string_view path);

// Whether a cgroup's name is the top of a kubepods tree ("kubepods",
// "kubepods.slice", or a prefixed "<x>-kubepods.slice").
[[nodiscard]] bool is_kubepods_cgroup_name(std::string_view name);

[[nodiscard]] std::string_view qos_name(KubeQos qos);          // "guaranteed", "burstable", "besteffort"
[[nodiscard]] std::string_view runtime_name(KubeRuntime rt);   // "containerd", "cri-o", "docker", "unnamed"

}  // namespace stackfit
