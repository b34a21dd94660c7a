// Broken and hostile Kubernetes input: one located line, exact text.
#include "stackfit/load/kube/kube_loader.hpp"

#include <gtest/gtest.h>

#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

const auto k_file = std::make_shared<const std::string>("k.yaml");

std::string error_of(const std::string& text) {
  Stack stack;
  auto ok = load_kubernetes_text(text, k_file, stack);
  EXPECT_FALSE(ok.has_value());
  if (ok) return "<no error>";
  EXPECT_EQ(ok.error().code, ErrorCode::bad_input);
  return ok.error().message;
}

// A Deployment whose only container has `resources` written as given
// (indented by 8); the resources key sits on line 9.
std::string with_resources(const std::string& resources) {
  return "kind: Deployment\n"        // 1
         "metadata:\n"               // 2
         "  name: web\n"             // 3
         "spec:\n"                   // 4
         "  template:\n"             // 5
         "    spec:\n"               // 6
         "      containers:\n"       // 7
         "      - name: app\n"       // 8
         "        resources:\n" +    // 9
         resources;
}

TEST(KubeLoaderErrors, BadQuantitiesNameTheFieldAndTheValue) {
  EXPECT_EQ(error_of(with_resources("          limits:\n            memory: 12Zi\n")),
            "k.yaml:11:21: spec.template.spec.containers[0].resources.limits.memory: "
            "invalid Kubernetes quantity \"12Zi\": unknown suffix \"Zi\"");
  EXPECT_EQ(error_of(with_resources("          requests:\n            memory: -5Mi\n")),
            "k.yaml:11:21: spec.template.spec.containers[0].resources.requests.memory: "
            "invalid Kubernetes quantity \"-5Mi\": negative");
  EXPECT_EQ(error_of(with_resources("          requests: {memory: 1K}\n")),
            "k.yaml:10:30: spec.template.spec.containers[0].resources.requests.memory: "
            "invalid Kubernetes quantity \"1K\": unknown suffix \"K\"");
  EXPECT_EQ(error_of(with_resources("          limits: {cpu: half}\n")),
            "k.yaml:10:25: spec.template.spec.containers[0].resources.limits.cpu: "
            "invalid Kubernetes quantity \"half\": not a number");
  EXPECT_EQ(error_of(with_resources("          limits: {cpu: \"\"}\n")),
            // A quoted scalar is located at its opening quote.
            "k.yaml:10:25: spec.template.spec.containers[0].resources.limits.cpu: "
            "empty Kubernetes quantity");
}

TEST(KubeLoaderErrors, QuantityOfTheWrongShape) {
  EXPECT_EQ(error_of(with_resources("          limits:\n            memory:\n")),
            // An empty value is located at its key.
            "k.yaml:11:13: spec.template.spec.containers[0].resources.limits.memory: "
            "expected a quantity, got null");
  EXPECT_EQ(error_of(with_resources("          limits: {memory: [1Gi]}\n")),
            "k.yaml:10:28: spec.template.spec.containers[0].resources.limits.memory: "
            "expected a quantity, got a list");
  EXPECT_EQ(error_of(with_resources("          limits: 1Gi\n")),
            "k.yaml:10:19: spec.template.spec.containers[0].resources.limits: "
            "expected a mapping, got a scalar");
  EXPECT_EQ(error_of(with_resources("          - memory: 1Gi\n")),
            "k.yaml:10:11: spec.template.spec.containers[0].resources: expected a mapping, got a list");
}

TEST(KubeLoaderErrors, WrongTypesWhereAMappingOrListIsNeeded) {
  EXPECT_EQ(error_of("kind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n"
                     "      containers:\n        name: app\n"),
            "k.yaml:7:9: spec.template.spec.containers: expected a list, got a mapping");
  EXPECT_EQ(error_of("kind: Deployment\nmetadata: {name: web}\nspec: [1, 2]\n"),
            "k.yaml:3:7: spec: expected a mapping, got a list");
  EXPECT_EQ(error_of("kind: Deployment\nmetadata: {name: web}\nspec:\n  template: yes\n"),
            "k.yaml:4:13: spec.template: expected a mapping, got a scalar");
  EXPECT_EQ(error_of("kind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n"
                     "      containers: [app]\n"),
            "k.yaml:6:20: spec.template.spec.containers[0]: expected a mapping, got a scalar");
  EXPECT_EQ(error_of("kind: Pod\nmetadata: {name: p}\nspec:\n  initContainers: {a: 1}\n  containers: []\n"),
            "k.yaml:4:19: spec.initContainers: expected a list, got a mapping");
  EXPECT_EQ(error_of("kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    command: echo hi\n"),
            "k.yaml:6:14: spec.containers[0].command: expected a list, got a scalar");
  EXPECT_EQ(error_of("kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    env: [FOO=1]\n"),
            "k.yaml:6:11: spec.containers[0].env[0]: expected a mapping, got a scalar");
  EXPECT_EQ(error_of("kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: {x: 1}\n"),
            "k.yaml:5:11: spec.containers[0].name: expected a string, got a mapping");
  EXPECT_EQ(error_of("kind: Pod\nmetadata: {name: p}\nspec:\n  overhead: {memory: lots}\n  containers: []\n"),
            "k.yaml:4:22: spec.overhead.memory: invalid Kubernetes quantity \"lots\": not a number");
}

TEST(KubeLoaderErrors, MissingRequiredFields) {
  EXPECT_EQ(error_of("apiVersion: v1\nmetadata: {name: x}\n"), "k.yaml:1:1: kind: required field is missing");
  EXPECT_EQ(error_of("kind: ConfigMap\napiVersion: v1\n"), "k.yaml:1:1: metadata: required field is missing");
  EXPECT_EQ(error_of("kind: ConfigMap\nmetadata:\n  labels: {a: b}\n"),
            "k.yaml:3:3: metadata.name: required field is missing");
  EXPECT_EQ(error_of("kind: Deployment\nmetadata: {name: web}\n"), "k.yaml:1:1: spec: required field is missing");
  EXPECT_EQ(error_of("kind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n"),
            "k.yaml:4:3: spec.template: required field is missing");
  EXPECT_EQ(error_of("kind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: x\n"),
            "k.yaml:4:3: spec.jobTemplate: required field is missing");
  EXPECT_EQ(error_of("kind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n"),
            "k.yaml:4:3: spec.containers: required field is missing");
  EXPECT_EQ(error_of("kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - image: nginx\n"),
            "k.yaml:5:5: spec.containers[0].name: required field is missing");
  EXPECT_EQ(error_of("kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    env:\n"
                     "    - value: x\n"),
            "k.yaml:7:7: spec.containers[0].env[0].name: required field is missing");
}

TEST(KubeLoaderErrors, KindOfTheWrongShape) {
  EXPECT_EQ(error_of("kind: [Deployment]\nmetadata: {name: x}\n"),
            "k.yaml:1:7: kind: expected a kind name, got a list");
  EXPECT_EQ(error_of("kind: \"\"\nmetadata: {name: x}\n"), "k.yaml:1:7: kind: expected a kind name, got a scalar");
}

TEST(KubeLoaderErrors, DocumentsThatAreNotObjects) {
  EXPECT_EQ(error_of("- kind: Pod\n"), "k.yaml:1:1: expected a Kubernetes object (a mapping), got a list");
  EXPECT_EQ(error_of("---\njust a sentence\n"),
            "k.yaml:2:1: expected a Kubernetes object (a mapping), got a scalar");
  EXPECT_EQ(error_of("kind: List\nitems:\n- 42\n"), "k.yaml:3:3: items[0]: expected a Kubernetes object, got a scalar");
  EXPECT_EQ(error_of("kind: List\nitems: {a: 1}\n"), "k.yaml:2:8: items: expected a list, got a mapping");
}

TEST(KubeLoaderErrors, BadCounts) {
  auto with_spec = [](const std::string& line) {
    return "kind: Deployment\nmetadata: {name: web}\nspec:\n" + line +
           "  template: {spec: {containers: [{name: a}]}}\n";
  };
  EXPECT_EQ(error_of(with_spec("  replicas: -1\n")),
            "k.yaml:4:13: spec.replicas: expected a whole number from 0 to 2147483647, got \"-1\"");
  EXPECT_EQ(error_of(with_spec("  replicas: \"3\"\n")),
            "k.yaml:4:13: spec.replicas: expected a whole number from 0 to 2147483647, got \"3\"");
  EXPECT_EQ(error_of(with_spec("  replicas: 2.5\n")),
            "k.yaml:4:13: spec.replicas: expected a whole number from 0 to 2147483647, got \"2.5\"");
  EXPECT_EQ(error_of(with_spec("  replicas: 99999999999\n")),
            "k.yaml:4:13: spec.replicas: expected a whole number from 0 to 2147483647, got \"99999999999\"");
  EXPECT_EQ(error_of(with_spec("  replicas: [3]\n")), "k.yaml:4:13: spec.replicas: expected an integer, got a list");
}

TEST(KubeLoaderErrors, UnknownPriority) {
  EXPECT_EQ(error_of("kind: Pod\nmetadata:\n  name: p\n  labels: {stackfit.priority: urgent}\n"
                     "spec: {containers: [{name: c}]}\n"),
            "k.yaml:4:31: metadata.labels.stackfit.priority: expected critical, normal or optional, got \"urgent\"");
}

TEST(KubeLoaderErrors, ErrorInALaterDocumentIsLocatedThere) {
  EXPECT_EQ(error_of("kind: Service\nmetadata: {name: s}\n---\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                     "  containers:\n  - name: c\n    resources: {limits: {memory: 1Zi}}\n"),
            "k.yaml:9:34: spec.containers[0].resources.limits.memory: "
            "invalid Kubernetes quantity \"1Zi\": unknown suffix \"Zi\"");
}

TEST(KubeLoaderErrors, YamlSyntaxErrorIsLocated) {
  std::string message = error_of("kind: Pod\nmetadata: {name: p\n");
  EXPECT_EQ(message.rfind("k.yaml:", 0), 0u) << message;
}

TEST(KubeLoaderErrors, AliasBombFailsFastWithALocatedError) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'j'; ++c, ++prev) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + prev;
    bomb += "]\n";
  }
  bomb += "kind: Pod\n";
  // 10^10 nodes if expanded: the parser's node cap stops it (ctest's timeout
  // bounds a regression; a wall-clock bound here flaked under ASan and load).
  std::string message = error_of(bomb);
  EXPECT_NE(message.find("expands to more than 1000000 nodes (alias bomb?)"), std::string::npos) << message;
  EXPECT_EQ(message.rfind("k.yaml:", 0), 0u) << message;
}

TEST(KubeLoaderErrors, DeeplyNestedListsAreBounded) {
  std::string text;
  for (int i = 0; i < 12; ++i) text += "{kind: List, items: [";
  text += "{kind: Pod}";
  for (int i = 0; i < 12; ++i) text += "]}";
  // The ninth List (1-based), at column 1 + 8 * 21, holds the one too many.
  EXPECT_EQ(error_of(text + "\n"), "k.yaml:1:169: items: Lists nested more than 8 deep");
}

TEST(KubeLoaderErrors, MissingFileAndEmptyFolder) {
  testing::TempDir dir;
  auto missing = load_kubernetes(KubeOptions{{dir.path() + "/nope.yaml"}});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  dir.write("sub/readme.md", "hi");
  auto empty = load_kubernetes(KubeOptions{{dir.path() + "/sub"}});
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().message, dir.path() + "/sub: no *.yaml, *.yml or *.json files");
  auto none = load_kubernetes(KubeOptions{});
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, ErrorCode::usage);
}

TEST(KubeLoaderErrors, ErrorInAFolderFileNamesThatFile) {
  testing::TempDir dir;
  dir.write("a.yaml", "kind: Pod\nmetadata: {name: ok}\nspec: {containers: [{name: c}]}\n");
  dir.write("b.yaml", "kind: Pod\nmetadata: {name: bad}\nspec: {containers: {name: c}}\n");
  auto stack = load_kubernetes(KubeOptions{{dir.path()}});
  ASSERT_FALSE(stack.has_value());
  EXPECT_EQ(stack.error().message, dir.path() + "/b.yaml:3:20: spec.containers: expected a list, got a mapping");
}

TEST(KubeLoaderErrors, InvalidUtf8IsRefused) {
  std::string message = error_of("kind: Pod\nmetadata: {name: \xff}\n");
  EXPECT_EQ(message, "k.yaml:2:18: not valid UTF-8");
}

}  // namespace
}  // namespace stackfit
