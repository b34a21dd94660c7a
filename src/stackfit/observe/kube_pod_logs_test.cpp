#include "stackfit/observe/kube_pod_logs.hpp"

#include <gtest/gtest.h>

#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

const std::string k_id = "b07a4a316cfaf0244227a1523bcbf3e1e56f0e09aae5b7d4b75cd6cc58feebfb";

TEST(KubePodLogs, FolderNames) {
  auto name = parse_pod_log_folder("shop_web-7d4b9c8f6d-x2k9p_5f0e2b7a-1c3d-4e5f-8a9b-0c1d2e3f4a5b");
  ASSERT_TRUE(name);
  EXPECT_EQ(name->namespace_, "shop");
  EXPECT_EQ(name->pod, "web-7d4b9c8f6d-x2k9p");
  EXPECT_EQ(name->uid, "5f0e2b7a-1c3d-4e5f-8a9b-0c1d2e3f4a5b");
  // Extra underscores (not valid DNS-1123, split leniently): namespace first, UID last.
  auto odd = parse_pod_log_folder("ns_pod_with_underscores_uid1");
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->namespace_, "ns");
  EXPECT_EQ(odd->pod, "pod_with_underscores");
  EXPECT_EQ(odd->uid, "uid1");
  EXPECT_FALSE(parse_pod_log_folder("ns_pod"));   // no UID
  EXPECT_FALSE(parse_pod_log_folder("_pod_uid"));  // no namespace
  EXPECT_FALSE(parse_pod_log_folder("ns__uid"));   // no pod
  EXPECT_FALSE(parse_pod_log_folder("ns_pod_"));   // empty UID
  EXPECT_FALSE(parse_pod_log_folder(""));
}

TEST(KubePodLogs, ContainerLinkNames) {
  std::string id;
  auto link = parse_container_log_link("web-7d4b9c8f6d-x2k9p_shop_app-" + k_id + ".log", id);
  ASSERT_TRUE(link);
  EXPECT_EQ(link->pod, "web-7d4b9c8f6d-x2k9p");
  EXPECT_EQ(link->namespace_, "shop");
  EXPECT_EQ(link->container, "app");
  EXPECT_EQ(id, k_id);
  // A container name with dashes: the id is after the last one.
  ASSERT_TRUE(parse_container_log_link("p_ns_log-shipper-" + k_id + ".log", id));
  EXPECT_FALSE(parse_container_log_link("p_ns_app-" + k_id, id));             // not .log
  EXPECT_FALSE(parse_container_log_link("p_ns_app-" + k_id.substr(1) + ".log", id));
  EXPECT_FALSE(parse_container_log_link("ns_app-" + k_id + ".log", id));      // no pod
  EXPECT_FALSE(parse_container_log_link("p_ns_-" + k_id + ".log", id));       // no container
  EXPECT_FALSE(parse_container_log_link("-" + k_id + ".log", id));
}

TEST(KubePodLogs, ReadsTheFixtureNode) {
  std::string root = testing::source_path("tests/fixtures/kube-node/var-log");
  auto pods = read_pod_log_folders(root + "/pods");
  ASSERT_TRUE(pods) << pods.error().message;
  ASSERT_EQ(pods->size(), 3U);  // the folder named "not-a-pod" is skipped
  const KubePodNames& web = pods->at("5f0e2b7a-1c3d-4e5f-8a9b-0c1d2e3f4a5b");
  EXPECT_EQ(web.namespace_, "shop");
  EXPECT_EQ(web.pod, "web-7d4b9c8f6d-x2k9p");
  EXPECT_EQ(web.containers, (std::vector<std::string>{"app", "log-shipper"}));
  auto links = read_container_log_links(root + "/containers");
  ASSERT_TRUE(links) << links.error().message;
  EXPECT_EQ(links->size(), 4U);
}

TEST(KubePodLogs, MissingAndUnreadableFolders) {
  auto missing = read_pod_log_folders("/nonexistent/var/log/pods");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "/nonexistent/var/log/pods: no such folder");
  // Not a folder stands for unreadable: root reads a folder of mode 000.
  testing::TempDir dir;
  std::string pods = dir.write("pods", "a file\n");
  auto unreadable = read_pod_log_folders(pods);
  ASSERT_FALSE(unreadable);
  EXPECT_EQ(unreadable.error().message, pods + ": opendir: Not a directory");
}

}  // namespace
}  // namespace stackfit
