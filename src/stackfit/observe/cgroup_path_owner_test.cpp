#include "stackfit/observe/cgroup_path_owner.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

const std::string k_id = "b07a4a316cfaf0244227a1523bcbf3e1e56f0e09aae5b7d4b75cd6cc58feebfb";

TEST(CgroupPathOwner, EnginesAndDrivers) {
  EXPECT_EQ(owner_of_cgroup("/docker/" + k_id).container_id, k_id);
  EXPECT_EQ(owner_of_cgroup("/system.slice/docker-" + k_id + ".scope").container_id, k_id);
  EXPECT_EQ(owner_of_cgroup("/libpod_parent/libpod-" + k_id).container_id, k_id);
  EXPECT_EQ(owner_of_cgroup("/machine.slice/libpod-" + k_id + ".scope/container").container_id, k_id);
  EXPECT_EQ(owner_of_cgroup("/my-limit/" + k_id).container_id, k_id);  // cgroup_parent
  EXPECT_EQ(owner_of_cgroup("/machine.slice/libpod-conmon-" + k_id + ".scope").container_id, "");
  EXPECT_EQ(owner_of_cgroup("/user.slice/user-1000.slice/session-3.scope").container_id, "");
  EXPECT_EQ(owner_of_cgroup("").container_id, "");
  EXPECT_EQ(owner_of_cgroup("/docker/" + k_id.substr(1)).container_id, "");   // 63 digits
  EXPECT_EQ(owner_of_cgroup("/docker/" + std::string(64, 'G')).container_id, "");  // not hex
}

TEST(CgroupPathOwner, DeepestIdWinsInNestedEngines) {
  std::string inner(64, 'a');
  EXPECT_EQ(owner_of_cgroup("/docker/" + k_id + "/docker/" + inner).container_id, inner);
}

TEST(CgroupPathOwner, KubernetesPods) {
  CgroupOwner cgroupfs = owner_of_cgroup("/kubepods/burstable/pod5f0e2b7a-1c3d-4e5f-8a9b-0c1d2e3f4a5b/" + k_id);
  EXPECT_EQ(cgroupfs.container_id, k_id);
  EXPECT_EQ(cgroupfs.pod_uid, "5f0e2b7a-1c3d-4e5f-8a9b-0c1d2e3f4a5b");
  CgroupOwner systemd = owner_of_cgroup(
      "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5f0e2b7a_1c3d_4e5f_8a9b_0c1d2e3f4a5b.slice/"
      "cri-containerd-" + k_id + ".scope");
  EXPECT_EQ(systemd.container_id, k_id);
  EXPECT_EQ(systemd.pod_uid, "5f0e2b7a-1c3d-4e5f-8a9b-0c1d2e3f4a5b");
  EXPECT_EQ(owner_of_cgroup("/podman/pod123").pod_uid, "");  // "pod" outside kubepods is not a pod uid
}

TEST(CgroupPathOwner, KillsAttributedToTheEnginesContainers) {
  std::vector<OomKill> kills(3);
  kills[0].cgroup = "/docker/" + k_id;
  kills[1].cgroup = "/docker/" + std::string(64, 'e');  // removed since
  kills[2].cgroup = "/user.slice";
  EngineContainer c;
  c.id = k_id;
  c.name = "shop_api_1";
  c.service = "api";
  c.project = "shop";
  attribute_oom_kills(kills, {c});
  EXPECT_EQ(kills[0].container_id, k_id);
  EXPECT_EQ(kills[0].container_name, "shop_api_1");
  EXPECT_EQ(kills[0].service, "api");
  EXPECT_EQ(kills[0].project, "shop");
  EXPECT_EQ(kills[1].container_id, std::string(64, 'e'));
  EXPECT_EQ(kills[1].container_name, "");
  EXPECT_EQ(kills[2].container_id, "");
}

}  // namespace
}  // namespace stackfit
