// component-helpers' own pod resource test cases (tests/fixtures/peers/
// component_helpers_pods.yaml, docs/peer-tests.md) through the Kubernetes
// loader: every mappable case must agree.
#include <gtest/gtest.h>

#include <iostream>

#include "stackfit/load/kube/kube_loader.hpp"
#include "stackfit/load/yaml_node.hpp"
#include "stackfit/util/file_io.hpp"
#include "testing/peer_table.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

// The annotation `key` of a Pod manifest, parsed as a flow mapping
// ("{cpu: "6", memory: "1Gi"}"); nullopt for "unchecked".
std::optional<Resources> expected(const yaml::Node& pod, const char* key, bool requests) {
  const yaml::Node* text = pod.find("metadata")->find("annotations")->find(key);
  if (text->text == "unchecked") return std::nullopt;
  auto map = yaml::parse_single_document(text->text, std::make_shared<const std::string>(key));
  EXPECT_TRUE(map) << text->text;
  Resources out;
  if (const yaml::Node* cpu = map->find("cpu")) {
    (requests ? out.cpu_request : out.cpu_limit) = *parse_k8s_cpu(cpu->text);
  }
  if (const yaml::Node* memory = map->find("memory")) {
    (requests ? out.memory_request : out.memory_limit) = *parse_k8s_memory(memory->text);
  }
  return out;
}

TEST(KubePeers, ComponentHelpersPodResourcesAgree) {
  auto text = read_file(testing::source_path("tests/fixtures/peers/component_helpers_pods.yaml"));
  ASSERT_TRUE(text) << text.error().message;
  auto file = std::make_shared<const std::string>("component_helpers_pods.yaml");
  testing::PeerTally tally;
  // Load the stream once; services come out in document order.
  Stack stack;
  ASSERT_TRUE(load_kubernetes_text(*text, file, stack));
  std::size_t index = 0;
  auto ok = yaml::for_each_document(*text, file, [&](yaml::Node&& pod) -> Expected<void> {
    const Resources& got = stack.services.at(index++).resources;
    std::string name = pod.find("metadata")->find("annotations")->find("peer-test")->text;
    auto want_requests = expected(pod, "expect-requests", true);
    auto want_limits = expected(pod, "expect-limits", false);
    bool agree = true;
    if (want_requests) {
      agree &= got.cpu_request == want_requests->cpu_request && got.memory_request == want_requests->memory_request;
    }
    if (want_limits) agree &= got.cpu_limit == want_limits->cpu_limit && got.memory_limit == want_limits->memory_limit;
    ++tally.mapped;
    tally.agreed += agree;
    tally.deliberate += pod.find("metadata")->find("annotations")->find("deliberate") != nullptr;
    EXPECT_TRUE(agree) << name;
    return {};
  });
  ASSERT_TRUE(ok) << ok.error().message;
  std::cout << "component-helpers helpers_test.go: " << tally.agreed << " of " << tally.mapped
            << " cases agree (" << tally.deliberate << " stated with the API server's defaulting)\n";
  EXPECT_EQ(tally.agreed, tally.mapped);
  EXPECT_EQ(tally.mapped, 24);
}

}  // namespace
}  // namespace stackfit
