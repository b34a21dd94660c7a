#include "stackfit/observe/kube_cgroup_path.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

const std::string k_id = "b07a4a316cfaf0244227a1523bcbf3e1e56f0e09aae5b7d4b75cd6cc58feebfb";
const std::string k_uid = "5f0e2b7a-1c3d-4e5f-8a9b-0c1d2e3f4a5b";
const std::string k_uid_escaped = "5f0e2b7a_1c3d_4e5f_8a9b_0c1d2e3f4a5b";

void expect_parsed(const std::string& path, KubeQos qos, KubeRuntime runtime, CgroupDriver driver) {
  SCOPED_TRACE(path);
  auto cg = parse_kube_cgroup_path(path);
  ASSERT_TRUE(cg.has_value());
  EXPECT_EQ(cg->pod_uid, k_uid);
  EXPECT_EQ(cg->container_id, k_id);
  EXPECT_EQ(cg->qos, qos);
  EXPECT_EQ(cg->runtime, runtime);
  EXPECT_EQ(cg->driver, driver);
}

TEST(KubeCgroupPath, CgroupfsDriverEveryQos) {
  expect_parsed("/kubepods/pod" + k_uid + "/" + k_id, KubeQos::guaranteed, KubeRuntime::unnamed, CgroupDriver::cgroupfs);
  expect_parsed("/kubepods/burstable/pod" + k_uid + "/" + k_id, KubeQos::burstable, KubeRuntime::unnamed,
                CgroupDriver::cgroupfs);
  expect_parsed("/kubepods/besteffort/pod" + k_uid + "/crio-" + k_id, KubeQos::besteffort, KubeRuntime::crio,
                CgroupDriver::cgroupfs);
}

TEST(KubeCgroupPath, SystemdDriverEscapesTheUidsDashes) {
  expect_parsed("/kubepods.slice/kubepods-pod" + k_uid_escaped + ".slice/cri-containerd-" + k_id + ".scope",
                KubeQos::guaranteed, KubeRuntime::containerd, CgroupDriver::systemd);
  expect_parsed("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + k_uid_escaped + ".slice/crio-" +
                    k_id + ".scope",
                KubeQos::burstable, KubeRuntime::crio, CgroupDriver::systemd);
  expect_parsed("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + k_uid_escaped +
                    ".slice/docker-" + k_id + ".scope",
                KubeQos::besteffort, KubeRuntime::docker, CgroupDriver::systemd);
}

TEST(KubeCgroupPath, PrefixedKubepodsAsKindMakesIt) {
  expect_parsed("/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod" +
                    k_uid_escaped + ".slice/cri-containerd-" + k_id + ".scope",
                KubeQos::burstable, KubeRuntime::containerd, CgroupDriver::systemd);
  expect_parsed("/my-test-parent/kubepods/burstable/pod" + k_uid + "/" + k_id, KubeQos::burstable,
                KubeRuntime::unnamed, CgroupDriver::cgroupfs);
}

TEST(KubeCgroupPath, NotAContainerCgroup) {
  EXPECT_FALSE(parse_kube_cgroup_path(""));
  EXPECT_FALSE(parse_kube_cgroup_path("/"));
  EXPECT_FALSE(parse_kube_cgroup_path("/kubepods"));
  EXPECT_FALSE(parse_kube_cgroup_path("/kubepods/burstable"));
  EXPECT_FALSE(parse_kube_cgroup_path("/kubepods/burstable/pod" + k_uid));                  // the pod's own cgroup
  EXPECT_FALSE(parse_kube_cgroup_path("/docker/" + k_id));                                  // outside kubepods
  EXPECT_FALSE(parse_kube_cgroup_path("/kubepods/burstable/pod" + k_uid + "/" + k_id + "/x"));  // below the container
  EXPECT_FALSE(parse_kube_cgroup_path("/kubepods/burstable/pod/" + k_id));                  // no UID
  EXPECT_FALSE(parse_kube_cgroup_path("/kubepods/burstable/pod" + k_uid + "/" + k_id.substr(1)));  // 63 digits
  EXPECT_FALSE(parse_kube_cgroup_path("/kubepods/burstable/pod" + k_uid + "/" + std::string(64, 'G')));
  EXPECT_FALSE(parse_kube_cgroup_path("/kubepods/guaranteed/pod" + k_uid + "/" + k_id));    // no such QoS folder
  // CRI-O's monitor, and each driver's names in the other's place.
  EXPECT_FALSE(parse_kube_cgroup_path("/kubepods.slice/kubepods-pod" + k_uid_escaped + ".slice/crio-conmon-" + k_id +
                                      ".scope"));
  EXPECT_FALSE(parse_kube_cgroup_path("/kubepods.slice/kubepods-pod" + k_uid_escaped + ".slice/" + k_id));
  EXPECT_FALSE(parse_kube_cgroup_path("/kubepods/pod" + k_uid + "/cri-containerd-" + k_id + ".scope"));
  EXPECT_FALSE(parse_kube_cgroup_path("/kubepods.slice/pod" + k_uid + "/cri-containerd-" + k_id + ".scope"));
  // A QoS slice that does not extend its parent's name.
  EXPECT_FALSE(parse_kube_cgroup_path("/kubepods.slice/other-burstable.slice/other-burstable-pod" + k_uid_escaped +
                                      ".slice/cri-containerd-" + k_id + ".scope"));
}

TEST(KubeCgroupPath, HostileNamesAreRefusedNotMisread) {
  // Upper case, odd characters and oversized UIDs are not a UID.
  EXPECT_FALSE(parse_kube_cgroup_path("/kubepods/burstable/podABCDEF01-2345/" + k_id));
  EXPECT_FALSE(parse_kube_cgroup_path("/kubepods/burstable/pod../" + k_id));
  EXPECT_FALSE(parse_kube_cgroup_path("/kubepods/burstable/pod" + std::string(65, 'a') + "/" + k_id));
  // A very long path: thousands of segments before kubepods, no quadratic work, still parsed.
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "/level-" + std::to_string(i);
  expect_parsed(deep + "/kubepods/burstable/pod" + k_uid + "/" + k_id, KubeQos::burstable, KubeRuntime::unnamed,
                CgroupDriver::cgroupfs);
  // Doubled slashes are one separator, as the kernel never prints but a user may type.
  expect_parsed("//kubepods//pod" + k_uid + "//" + k_id, KubeQos::guaranteed, KubeRuntime::unnamed,
                CgroupDriver::cgroupfs);
  // A static pod's UID is a 32-digit hash without dashes.
  auto static_pod = parse_kube_cgroup_path("/kubepods/besteffort/pod" + std::string(32, 'e') + "/" + k_id);
  ASSERT_TRUE(static_pod);
  EXPECT_EQ(static_pod->pod_uid, std::string(32, 'e'));
}

TEST(KubeCgroupPath, KubepodsNamesAndTexts) {
  EXPECT_TRUE(is_kubepods_cgroup_name("kubepods"));
  EXPECT_TRUE(is_kubepods_cgroup_name("kubepods.slice"));
  EXPECT_TRUE(is_kubepods_cgroup_name("kubelet-kubepods.slice"));
  EXPECT_FALSE(is_kubepods_cgroup_name("-kubepods.slice"));
  EXPECT_FALSE(is_kubepods_cgroup_name("kubepods-burstable.slice"));
  EXPECT_EQ(qos_name(KubeQos::besteffort), "besteffort");
  EXPECT_EQ(runtime_name(KubeRuntime::crio), "cri-o");
}

}  // namespace
}  // namespace stackfit
