// KubeNodeDiscovery over the fixture node (tests/fixtures/kube-node): the
// same pods under the systemd driver on cgroup v2 and the cgroupfs driver on
// cgroup v1, named from the kubelet's log folders.
#include "stackfit/record/kube_node_discovery.hpp"

#include <gtest/gtest.h>

#include <map>

#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

using testing::source_path;

const std::string k_app_a = "559aead08264d5795d3909718cdd05abd49572e84fe55590eef31a88a08fdffd";
const std::string k_shipper_b = "df7e70e5021544f4834bbee64a9e3789febc4be81470df629cad6ddb03320a5c";
const std::string k_app_c = "6b23c0d5f35d1b11f9b683f0b0a617355deb11277d91ae091d399c655b87940d";
const std::string k_exporter_d = "3f39d5c348e5b79d06e842c114e6cc571583bbf44e4b0ebfda1a01ec05745d43";

CgroupMounts v2_mounts() {
  return CgroupMounts{CgroupVersion::v2, source_path("tests/fixtures/kube-node/systemd-v2"), "", ""};
}

CgroupMounts v1_mounts() {
  std::string memory = source_path("tests/fixtures/kube-node/cgroupfs-v1/memory");
  return CgroupMounts{CgroupVersion::v1, memory, memory, ""};
}

KubeNodeOptions fixture_logs() {
  std::string logs = source_path("tests/fixtures/kube-node/var-log");
  return KubeNodeOptions{logs + "/pods", logs + "/containers"};
}

std::map<std::string, ContainerInfo> by_id(const std::vector<ContainerInfo>& found) {
  std::map<std::string, ContainerInfo> out;
  for (const ContainerInfo& c : found) out.emplace(c.id, c);
  return out;
}

void expect_named_node(const CgroupMounts& mounts, const std::string& app_a_path) {
  KubeNodeDiscovery discovery(mounts, fixture_logs());
  std::vector<std::string> notices;
  auto found = discovery.scan([&](const std::string& line) { notices.push_back(line); });
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_TRUE(notices.empty());
  auto c = by_id(*found);
  ASSERT_EQ(c.size(), 4U);  // the three sandboxes and CRI-O's monitor are left out
  const ContainerInfo& a = c.at(k_app_a);
  EXPECT_EQ(a.cgroup_path, app_a_path);
  EXPECT_EQ(a.project, "shop");
  EXPECT_EQ(a.service, "shop/web/app");
  EXPECT_EQ(a.name, "web-7d4b9c8f6d-x2k9p/app");
  ASSERT_TRUE(a.kube);
  EXPECT_EQ(a.kube->namespace_, "shop");
  EXPECT_EQ(a.kube->pod, "web-7d4b9c8f6d-x2k9p");
  EXPECT_EQ(a.kube->container, "app");
  EXPECT_EQ(c.at(k_shipper_b).service, "shop/web/log-shipper");
  EXPECT_EQ(c.at(k_app_c).service, "shop/web/app");  // the Deployment's other replica: same service
  EXPECT_EQ(c.at(k_app_c).name, "web-7d4b9c8f6d-mq4zt/app");
  EXPECT_EQ(c.at(k_exporter_d).project, "monitoring");
  EXPECT_EQ(c.at(k_exporter_d).service, "monitoring/node-exporter/node-exporter");
}

TEST(KubeNodeDiscovery, SystemdDriverCgroupV2) {
  expect_named_node(v2_mounts(), "/kubepods.slice/kubepods-burstable.slice/"
                                 "kubepods-burstable-pod5f0e2b7a_1c3d_4e5f_8a9b_0c1d2e3f4a5b.slice/cri-containerd-" +
                                     k_app_a + ".scope");
}

TEST(KubeNodeDiscovery, CgroupfsDriverCgroupV1) {
  expect_named_node(v1_mounts(), "/kubepods/burstable/pod5f0e2b7a-1c3d-4e5f-8a9b-0c1d2e3f4a5b/" + k_app_a);
}

TEST(KubeNodeDiscovery, MissingLogFoldersWarnOnceAndFallBackToTheUid) {
  KubeNodeDiscovery discovery(v1_mounts(), KubeNodeOptions{"/nonexistent/pods", "/nonexistent/containers"});
  std::vector<std::string> notices;
  auto notice = [&](const std::string& line) { notices.push_back(line); };
  auto found = discovery.scan(notice);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(notices, (std::vector<std::string>{
                         "/nonexistent/pods: no such folder; pods are named by their UID only",
                         "/nonexistent/containers: no such folder; containers are named by their ID's first 12 digits"}));
  auto c = by_id(*found);
  ASSERT_EQ(c.size(), 7U);  // sandboxes cannot be told apart now: every container cgroup is recorded
  const ContainerInfo& a = c.at(k_app_a);
  EXPECT_EQ(a.project, "");
  EXPECT_EQ(a.kube->namespace_, "");
  EXPECT_EQ(a.kube->pod, "5f0e2b7a-1c3d-4e5f-8a9b-0c1d2e3f4a5b");
  EXPECT_EQ(a.kube->container, k_app_a.substr(0, 12));
  EXPECT_EQ(a.service, "5f0e2b7a-1c3d-4e5f-8a9b-0c1d2e3f4a5b/" + k_app_a.substr(0, 12));
  ASSERT_TRUE(discovery.scan(notice));
  EXPECT_EQ(notices.size(), 2U);  // once, not every scan
}

// Not a folder stands for unreadable: root reads a folder of mode 000.
TEST(KubeNodeDiscovery, UnreadablePodsFolderKeepsTheLinksNames) {
  testing::TempDir dir;
  std::string pods = dir.write("pods", "a file, not a folder\n");
  KubeNodeDiscovery discovery(v2_mounts(), KubeNodeOptions{pods, fixture_logs().containers_log_dir});
  std::vector<std::string> notices;
  auto found = discovery.scan([&](const std::string& line) { notices.push_back(line); });
  ASSERT_TRUE(found);
  EXPECT_EQ(notices, (std::vector<std::string>{pods + ": opendir: Not a directory; pods are named by their UID only"}));
  EXPECT_EQ(by_id(*found).at(k_app_a).service, "shop/web/app");
}

TEST(KubeNodeDiscovery, NoKubepodsIsAnEmptyNode) {
  CgroupMounts mounts{CgroupVersion::v2, source_path("tests/fixtures/cgroup/v2"), "", ""};
  KubeNodeDiscovery discovery(mounts, fixture_logs());
  auto found = discovery.scan(nullptr);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_TRUE(found->empty());
}

}  // namespace
}  // namespace stackfit
