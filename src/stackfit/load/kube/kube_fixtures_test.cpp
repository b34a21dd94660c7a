// The folder fixtures in tests/fixtures/kube (see its README.md).
#include <gtest/gtest.h>

#include "stackfit/load/kube/kube_loader.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

std::int64_t mi(const std::optional<Bytes>& b) { return b ? b->count / k_mib : -1; }
std::int64_t milli(const std::optional<Millicores>& m) { return m ? m->count : -1; }

TEST(KubeFixtures, ShopFolder) {
  const std::string folder = testing::source_path("tests/fixtures/kube/shop");
  auto stack = load_kubernetes(KubeOptions{{folder}});
  ASSERT_TRUE(stack.has_value()) << stack.error().message;
  EXPECT_EQ(stack->source_files,
            (std::vector<std::string>{folder + "/api.yaml", folder + "/jobs/nightly.yml", folder + "/node-agent.json"}));
  ASSERT_EQ(stack->services.size(), 3u);
  EXPECT_EQ(stack->skipped_kinds, (std::vector<std::pair<std::string, std::int64_t>>{
                                      {"Service", 1}, {"HorizontalPodAutoscaler", 1}}));

  const Service& api = stack->services[0];
  EXPECT_EQ(api.name, "api");
  EXPECT_EQ(api.namespace_, "shop");
  EXPECT_EQ(api.replicas, 3);
  EXPECT_EQ(api.priority, Priority::critical);
  EXPECT_EQ(api.declared_at.to_string(), folder + "/api.yaml:4:1");
  EXPECT_EQ(api.image, "shop/api:2.0");
  ASSERT_EQ(api.containers.size(), 4u);
  EXPECT_EQ(api.containers[0].command, (std::vector<std::string>{"/migrate", "--up"}));
  EXPECT_EQ(api.containers[1].role, ContainerRole::sidecar);
  EXPECT_EQ(api.containers[2].environment, (KeyValues{{"JAVA_TOOL_OPTIONS", "-Xmx384m"}}));
  EXPECT_EQ(mi(api.containers[3].resources.memory_request), 32);  // from its limit
  // memory request: apps 512 + 32 + sidecar 64 = 608 > migrate 600.
  EXPECT_EQ(mi(api.resources.memory_request), 608);
  // cpu request: migrate 500 > apps 250 + 100 + sidecar 50 = 400.
  EXPECT_EQ(milli(api.resources.cpu_request), 500);
  // memory limit: migrate 1024 > 768 + 32 + 128 = 928.
  EXPECT_EQ(mi(api.resources.memory_limit), 1024);
  // cpu limit: migrate declares none; 1000 + 100 + 200 = 1300.
  EXPECT_EQ(milli(api.resources.cpu_limit), 1300);

  const Service& nightly = stack->services[1];
  EXPECT_EQ(nightly.kind, "CronJob");
  EXPECT_EQ(nightly.priority, Priority::optional);
  EXPECT_EQ(mi(nightly.resources.memory_request), 256);
  EXPECT_EQ(milli(nightly.resources.cpu_request), 500);

  const Service& agent = stack->services[2];
  EXPECT_EQ(agent.kind, "DaemonSet");
  EXPECT_EQ(agent.replica_mode, ReplicaMode::per_node);
  EXPECT_EQ(agent.namespace_, "kube-system");
  EXPECT_EQ(mi(agent.resources.memory_limit), 200);
  EXPECT_FALSE(agent.resources.cpu_limit.has_value());
}

TEST(KubeFixtures, BrokenQuantity) {
  const std::string path = testing::source_path("tests/fixtures/kube/broken/bad-quantity.yaml");
  auto stack = load_kubernetes(KubeOptions{{path}});
  ASSERT_FALSE(stack.has_value());
  EXPECT_EQ(stack.error().code, ErrorCode::bad_input);
  EXPECT_EQ(stack.error().message, path +
                                       ":12:21: spec.template.spec.containers[0].resources.limits.memory: "
                                       "invalid Kubernetes quantity \"12Zi\": unknown suffix \"Zi\"");
}

}  // namespace
}  // namespace stackfit
