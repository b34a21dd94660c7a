// Kustomize patch, kustomization entry and kubectl lines for workloads read
// by the real Kubernetes loader.
#include "stackfit/emit/kustomize_patch_writer.hpp"

#include <gtest/gtest.h>

#include "stackfit/load/kube/kube_loader.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

const char *const k_manifests = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      initContainers:
        - {name: migrate, image: app}
      containers:
        - name: app
          image: eclipse-temurin
          env: [{name: JAVA_OPTS, value: "-Xmx2g -Dx=1"}]
          resources: {limits: {memory: 4Gi}}
        - name: cache
          image: redis:7
          args: [--save, "60", "1"]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: job, image: busybox}]
)";

Stack load(testing::TempDir &dir) {
  KubeOptions o;
  o.paths.push_back(dir.write("app.yaml", k_manifests));
  auto s = load_kubernetes(o);
  EXPECT_TRUE(s) << s.error().message;
  return s ? *s : Stack{};
}

ResourceTarget target(std::string workload, std::string ns,
                      std::string container, std::int64_t limit_mib) {
  ResourceTarget t;
  t.service = std::move(workload);
  t.namespace_ = std::move(ns);
  t.container = std::move(container);
  t.resources.memory_limit = Bytes{limit_mib * k_mib};
  return t;
}

TEST(KustomizePatchWriter, OneDocumentPerWorkloadWithContainersAndKnobs) {
  testing::TempDir dir;
  Stack stack = load(dir);
  auto app = target("api", "shop", "app", 1024);
  app.resources.cpu_request = Millicores{250};
  app.knobs.push_back({RuntimeKnob::jvm_max_heap, Bytes{768 * k_mib}, "", ""});
  auto cache = target("api", "shop", "cache", 256);
  cache.knobs.push_back(
      {RuntimeKnob::redis_maxmemory, Bytes{192 * k_mib}, "allkeys-lru", ""});
  auto migrate = target("api", "shop", "migrate", 64);
  auto nightly = target("nightly", "", "", 32);
  auto text = render_kustomize_patch(stack, {app, cache, migrate, nightly});
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(*text,
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  "
            "namespace: shop\nspec:\n  template:\n"
            "    spec:\n      containers:\n"
            "        - name: app\n          resources:\n            "
            "requests:\n              cpu: \"250m\"\n"
            "            limits:\n              memory: \"1Gi\"\n          "
            "env:\n            - name: JAVA_OPTS\n"
            "              value: \"-Xmx768m -Dx=1\"\n"
            "        - name: cache\n          resources:\n            "
            "limits:\n              memory: \"256Mi\"\n"
            "          args:\n            - \"--save\"\n            - \"60\"\n "
            "           - \"1\"\n            - \"--maxmemory\"\n"
            "            - \"192mb\"\n            - \"--maxmemory-policy\"\n   "
            "         - allkeys-lru\n"
            "      initContainers:\n        - name: migrate\n          "
            "resources:\n            limits:\n"
            "              memory: \"64Mi\"\n"
            "---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: "
            "nightly\nspec:\n  jobTemplate:\n    spec:\n"
            "      template:\n        spec:\n          containers:\n           "
            " - name: job\n              resources:\n"
            "                limits:\n                  memory: \"32Mi\"\n");
}

TEST(KustomizePatchWriter, UnknownWorkloadOrContainer) {
  testing::TempDir dir;
  Stack stack = load(dir);
  auto r = render_kustomize_patch(stack, {target("apii", "shop", "", 1)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "workload \"shop/apii\" is not in the manifests");
  r = render_kustomize_patch(stack, {target("api", "shop", "sidecar", 1)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "workload \"shop/api\" has no container \"sidecar\"");
}

TEST(KustomizePatchWriter, ReplicasHeaderAndSuspendedCronJob) {
  testing::TempDir dir;
  Stack stack = load(dir);
  ResourceTarget api;
  api.service = "api";
  api.namespace_ = "shop";
  api.replicas = 0;
  ResourceTarget nightly;
  nightly.service = "nightly";
  nightly.replicas = 0;
  auto text = render_kustomize_patch(stack, {api, nightly}, "plan B\n\nreplicas: 0 = off");
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(*text,
            "# plan B\n#\n# replicas: 0 = off\n"
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n"
            "  replicas: 0\n  template:\n    spec:\n      containers:\n        - name: app\n"
            "---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  suspend: true\n"
            "  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n"
            "            - name: job\n");
  nightly.replicas = 3;
  text = render_kustomize_patch(stack, {nightly});
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_NE(text->find("  jobTemplate:\n    spec:\n      parallelism: 3\n"), std::string::npos) << *text;
}

TEST(KustomizePatchWriter, ReplicasOfAPodAreRefused) {
  testing::TempDir dir;
  KubeOptions o;
  o.paths.push_back(dir.write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: solo}\n"
                                          "spec: {containers: [{name: c, image: busybox}]}\n"));
  auto stack = load_kubernetes(o);
  ASSERT_TRUE(stack) << stack.error().message;
  ResourceTarget t;
  t.service = "solo";
  t.replicas = 0;
  auto r = render_kustomize_patch(*stack, {t});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::usage);
  EXPECT_EQ(r.error().message, "workload \"solo\" is a Pod: it has no replica count to set in a patch");
}

TEST(KustomizePatchWriter, KubectlSetResources) {
  testing::TempDir dir;
  Stack stack = load(dir);
  auto app = target("api", "shop", "app", 1024);
  app.resources.memory_request = Bytes{512 * k_mib};
  app.resources.cpu_limit = Millicores{1500};
  auto r =
      render_kubectl_set_resources(stack, {app, target("nightly", "", "", 32)});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(
      *r,
      "kubectl set resources deployment/api -c app -n shop "
      "--limits=cpu=1500m,memory=1Gi --requests=memory=512Mi\n"
      "kubectl set resources cronjob/nightly -c job --limits=memory=32Mi\n");
}

TEST(KustomizationEntry, AddedUnderExistingPatchesKeepingTheRest) {
  const std::string user =
      "# mine\nresources:\n  - app.yaml   # keep\npatches:\n  - path: "
      "other.yaml\n    target: {kind: Deployment}\nimages: []\n";
  auto r = add_kustomization_patch(user, "kustomization.yaml",
                                   "memory-optimization-patch.yaml");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(
      *r, "# mine\nresources:\n  - app.yaml   # keep\npatches:\n  - path: "
          "memory-optimization-patch.yaml\n"
          "  - path: other.yaml\n    target: {kind: Deployment}\nimages: []\n");
  auto again = add_kustomization_patch(*r, "kustomization.yaml",
                                       "memory-optimization-patch.yaml");
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *r); // already there: unchanged
}

TEST(KustomizationEntry, AppendedWhenAbsentAndRefusedWhenUnsafe) {
  auto r = add_kustomization_patch("resources:\n- a.yaml", "k.yaml", "p.yaml");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, "resources:\n- a.yaml\npatches:\n- path: p.yaml\n");
  r = add_kustomization_patch("patches: [{path: x.yaml}]\n", "k.yaml",
                              "p.yaml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "k.yaml:1:10: patches: a flow list ([...]); add "
                               "the entry by hand: - path: p.yaml\n");
  r = add_kustomization_patch("patches: 3\n", "k.yaml", "p.yaml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "k.yaml:1:10: patches: expected a list");
  r = add_kustomization_patch("- a\n", "k.yaml", "p.yaml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "k.yaml:1:1: kustomization: expected a mapping");
}

TEST(KustomizationEntry, NewKustomization) {
  EXPECT_EQ(render_new_kustomization({"app.yaml", "db/db.yaml"},
                                     "memory-optimization-patch.yaml"),
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: "
            "Kustomization\nresources:\n  - app.yaml\n  - db/db.yaml\n"
            "patches:\n  - path: memory-optimization-patch.yaml\n");
}

} // namespace
} // namespace stackfit
