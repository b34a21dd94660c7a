// Rules of the Kubernetes loader on small inline manifests.
#include "stackfit/load/kube/kube_loader.hpp"

#include <gtest/gtest.h>

#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

const auto k_file = std::make_shared<const std::string>("k.yaml");

Stack load(const std::string& text) {
  Stack stack;
  auto ok = load_kubernetes_text(text, k_file, stack);
  EXPECT_TRUE(ok.has_value()) << (ok ? "" : ok.error().message);
  return stack;
}

std::int64_t mi(const std::optional<Bytes>& b) { return b ? b->count / k_mib : -1; }
std::int64_t milli(const std::optional<Millicores>& m) { return m ? m->count : -1; }

std::int64_t skipped(const Stack& stack, const std::string& kind) {
  for (const auto& [k, n] : stack.skipped_kinds) {
    if (k == kind) return n;
  }
  return 0;
}

// A workload of `kind` whose pod spec (given as YAML indented by 6) sits under
// spec.template.spec.
std::string workload(const std::string& kind, const std::string& spec_extra, const std::string& pod_spec) {
  const char* api_version = kind == "Job" || kind == "CronJob"                 ? "batch/v1"
                            : kind == "Pod" || kind == "ReplicationController" ? "v1"
                                                                             : "apps/v1";
  return std::string("apiVersion: ") + api_version + "\nkind: " + kind + "\nmetadata:\n  name: web\nspec:\n" + spec_extra +
         "  template:\n    spec:\n" + pod_spec;
}

const std::string k_one_container =
    "      containers:\n"
    "      - name: app\n"
    "        image: nginx:1.27\n"
    "        resources:\n"
    "          requests: {memory: 64Mi, cpu: 100m}\n"
    "          limits: {memory: 128Mi, cpu: \"1\"}\n";

TEST(KubeLoader, DeploymentWithRequestsAndLimits) {
  Stack stack = load(workload("Deployment", "  replicas: 3\n", k_one_container));
  EXPECT_EQ(stack.kind, StackKind::kubernetes);
  ASSERT_EQ(stack.services.size(), 1u);
  const Service& s = stack.services[0];
  EXPECT_EQ(s.name, "web");
  EXPECT_EQ(s.kind, "Deployment");
  EXPECT_EQ(s.namespace_, "");
  EXPECT_EQ(s.replicas, 3);
  EXPECT_EQ(s.replica_mode, ReplicaMode::fixed);
  EXPECT_EQ(s.image, "nginx:1.27");
  EXPECT_EQ(s.declared_at.to_string(), "k.yaml:2:1");
  EXPECT_EQ(mi(s.resources.memory_request), 64);
  EXPECT_EQ(mi(s.resources.memory_limit), 128);
  EXPECT_EQ(milli(s.resources.cpu_request), 100);
  EXPECT_EQ(milli(s.resources.cpu_limit), 1000);
  ASSERT_EQ(s.containers.size(), 1u);
  EXPECT_EQ(s.containers[0].name, "app");
  EXPECT_EQ(s.containers[0].role, ContainerRole::app);
  EXPECT_EQ(s.containers[0].declared_at.to_string(), "k.yaml:10:9");
  EXPECT_EQ(s.containers[0].resources, s.resources);
}

TEST(KubeLoader, ReplicasDefaultToOne) {
  for (const char* kind : {"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"}) {
    Stack stack = load(workload(kind, "", k_one_container));
    ASSERT_EQ(stack.services.size(), 1u) << kind;
    EXPECT_EQ(stack.services[0].replicas, 1) << kind;
    EXPECT_EQ(stack.services[0].kind, kind);
  }
}

TEST(KubeLoader, ReplicasZeroIsKept) {
  EXPECT_EQ(load(workload("StatefulSet", "  replicas: 0\n", k_one_container)).services[0].replicas, 0);
}

TEST(KubeLoader, DaemonSetIsOnePerNode) {
  const Service s = load(workload("DaemonSet", "", k_one_container)).services.at(0);
  EXPECT_EQ(s.replicas, 1);
  EXPECT_EQ(s.replica_mode, ReplicaMode::per_node);
}

TEST(KubeLoader, JobRunsParallelismPodsCappedByCompletions) {
  EXPECT_EQ(load(workload("Job", "", k_one_container)).services.at(0).replicas, 1);
  EXPECT_EQ(load(workload("Job", "  parallelism: 4\n", k_one_container)).services.at(0).replicas, 4);
  EXPECT_EQ(load(workload("Job", "  parallelism: 4\n  completions: 2\n", k_one_container)).services.at(0).replicas,
            2);
  EXPECT_EQ(load(workload("Job", "  completions: 9\n", k_one_container)).services.at(0).replicas, 1);
}

TEST(KubeLoader, SuspendedJobRunsNoPods) {
  EXPECT_EQ(load(workload("Job", "  suspend: true\n  parallelism: 4\n", k_one_container)).services.at(0).replicas, 0);
  EXPECT_EQ(load(workload("Job", "  suspend: false\n  parallelism: 4\n", k_one_container)).services.at(0).replicas,
            4);
  Stack cron = load(
      "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  suspend: true\n"
      "  schedule: \"@daily\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
      "          containers: [{name: job, image: busybox}]\n");
  EXPECT_EQ(cron.services.at(0).replicas, 0);
}

TEST(KubeLoader, CronJobPodSpecSitsUnderJobTemplate) {
  Stack stack = load(
      "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly, namespace: ops}\n"
      "spec:\n  schedule: \"0 3 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
      "          restartPolicy: OnFailure\n"
      "          containers:\n          - name: job\n            image: busybox\n"
      "            resources: {limits: {memory: 32Mi}}\n");
  const Service& s = stack.services.at(0);
  EXPECT_EQ(s.kind, "CronJob");
  EXPECT_EQ(s.namespace_, "ops");
  EXPECT_EQ(s.replicas, 1);
  EXPECT_EQ(mi(s.resources.memory_limit), 32);
  EXPECT_EQ(mi(s.resources.memory_request), 32);  // defaulted from the limit
}

TEST(KubeLoader, BarePod) {
  Stack stack = load(
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: solo\nspec:\n  containers:\n"
      "  - name: c\n    image: busybox\n    resources:\n      limits: {cpu: 1, memory: \"256M\"}\n");
  const Service& s = stack.services.at(0);
  EXPECT_EQ(s.kind, "Pod");
  EXPECT_EQ(s.replicas, 1);
  EXPECT_EQ(milli(s.resources.cpu_limit), 1000);
  EXPECT_EQ(s.resources.memory_limit->count, 256'000'000);
}

TEST(KubeLoader, MissingRequestDefaultsToLimitButNotTheOtherWay) {
  Stack stack = load(workload("Deployment", "",
                              "      containers:\n      - name: a\n        resources:\n"
                              "          limits: {memory: 1Gi}\n          requests: {cpu: 250m}\n"));
  const Resources& r = stack.services.at(0).containers.at(0).resources;
  EXPECT_EQ(mi(r.memory_request), 1024);
  EXPECT_EQ(mi(r.memory_limit), 1024);
  EXPECT_EQ(milli(r.cpu_request), 250);
  EXPECT_FALSE(r.cpu_limit.has_value());
}

TEST(KubeLoader, InitAndSidecarContainersFoldLikeTheScheduler) {
  Stack stack = load(workload("Deployment", "",
                              "      initContainers:\n"
                              "      - name: migrate\n        image: migrate:1\n"
                              "        resources: {requests: {memory: 512Mi, cpu: 50m}}\n"
                              "      - name: proxy\n        image: envoy:1\n        restartPolicy: Always\n"
                              "        resources: {requests: {memory: 64Mi, cpu: 100m}}\n"
                              "      - name: warm\n        image: warm:1\n"
                              "        resources: {requests: {memory: 300Mi, cpu: 900m}}\n"
                              "      containers:\n"
                              "      - name: app\n        image: app:1\n"
                              "        resources: {requests: {memory: 256Mi, cpu: 500m}}\n"));
  const Service& s = stack.services.at(0);
  ASSERT_EQ(s.containers.size(), 4u);
  EXPECT_EQ(s.containers[0].role, ContainerRole::init);
  EXPECT_EQ(s.containers[1].role, ContainerRole::sidecar);
  EXPECT_EQ(s.containers[2].role, ContainerRole::init);
  EXPECT_EQ(s.containers[3].role, ContainerRole::app);
  EXPECT_EQ(s.image, "app:1");
  // memory: init steps 512, 64, 300 + 64 = 364; apps 256 + 64 = 320 -> 512.
  EXPECT_EQ(mi(s.resources.memory_request), 512);
  // cpu: steps 50, 100, 900 + 100 = 1000; apps 500 + 100 = 600 -> 1000.
  EXPECT_EQ(milli(s.resources.cpu_request), 1000);
}

TEST(KubeLoader, OverheadAndPodLevelResources) {
  Stack stack = load(workload("Deployment", "",
                              "      overhead: {memory: 120Mi, cpu: 250m}\n"
                              "      resources: {limits: {cpu: \"2\"}}\n" +
                                  k_one_container));
  const Resources& r = stack.services.at(0).resources;
  EXPECT_EQ(mi(r.memory_request), 64 + 120);
  EXPECT_EQ(mi(r.memory_limit), 128 + 120);
  EXPECT_EQ(milli(r.cpu_request), 100 + 250);  // the containers' request stays
  EXPECT_EQ(milli(r.cpu_limit), 2000 + 250);   // pod-level limit, then overhead
}

TEST(KubeLoader, CommandArgsAndLiteralEnvironment) {
  Stack stack = load(workload("Deployment", "",
                              "      containers:\n      - name: a\n        image: eclipse-temurin:21\n"
                              "        command: [java]\n        args: [\"-Xmx512m\", -jar, app.jar]\n"
                              "        env:\n        - {name: JAVA_OPTS, value: \"-Xms256m\"}\n"
                              "        - name: PASSWORD\n          valueFrom: {secretKeyRef: {name: s, key: k}}\n"
                              "        - {name: PORT, value: 8080}\n        - {name: EMPTY}\n"));
  const Container& c = stack.services.at(0).containers.at(0);
  EXPECT_EQ(c.command, (std::vector<std::string>{"java", "-Xmx512m", "-jar", "app.jar"}));
  EXPECT_EQ(c.environment, (KeyValues{{"JAVA_OPTS", "-Xms256m"}, {"PORT", "8080"}, {"EMPTY", ""}}));
  EXPECT_TRUE(stack.services[0].hints.kind == RuntimeKind::unknown);
}

TEST(KubeLoader, PriorityFromLabelAnnotationOrTemplate) {
  auto priority_of = [](const std::string& metadata_extra, const std::string& template_metadata) {
    Stack stack = load("kind: Deployment\nmetadata:\n  name: w\n" + metadata_extra +
                       "spec:\n  template:\n" + template_metadata + "    spec:\n" + k_one_container);
    return stack.services.at(0).priority;
  };
  EXPECT_EQ(priority_of("", ""), Priority::normal);
  EXPECT_EQ(priority_of("  labels: {stackfit.priority: critical}\n", ""), Priority::critical);
  EXPECT_EQ(priority_of("  annotations: {stackfit.priority: optional}\n", ""), Priority::optional);
  EXPECT_EQ(priority_of("", "    metadata: {labels: {stackfit.priority: optional}}\n"), Priority::optional);
  EXPECT_EQ(priority_of("  labels: {stackfit.priority: normal}\n",
                        "    metadata: {labels: {stackfit.priority: optional}}\n"),
            Priority::normal);
}

TEST(KubeLoader, LabelsAreKeptInOrder) {
  Stack stack = load("kind: Pod\nmetadata:\n  name: p\n  labels: {app: web, tier: \"1\"}\nspec:\n"
                     "  containers: [{name: c}]\n");
  EXPECT_EQ(stack.services.at(0).labels, (KeyValues{{"app", "web"}, {"tier", "1"}}));
}

TEST(KubeLoader, OtherKindsAreSkippedAndCounted) {
  Stack stack = load(
      "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\n"
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n---\n"
      "apiVersion: v1\nkind: Service\nmetadata: {name: c}\n---\n" +
      workload("Deployment", "", k_one_container) +
      "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\n"
      "spec: {scaleTargetRef: {kind: Deployment, name: web}}\n");
  ASSERT_EQ(stack.services.size(), 1u);
  EXPECT_EQ(skipped(stack, "Service"), 2);
  EXPECT_EQ(skipped(stack, "ConfigMap"), 1);
  EXPECT_EQ(skipped(stack, "HorizontalPodAutoscaler"), 1);
  EXPECT_EQ(stack.skipped_kinds.front().first, "Service");  // in order of first appearance
}

TEST(KubeLoader, EmptyDocumentsAndSeparatorsAreFine) {
  Stack stack = load("---\n---\n# only a comment\n---\n" + workload("Deployment", "", k_one_container) + "---\n---\n");
  EXPECT_EQ(stack.services.size(), 1u);
  EXPECT_TRUE(load("").services.empty());
  EXPECT_TRUE(load("---\n").services.empty());
}

TEST(KubeLoader, ListItemsAreRecursed) {
  Stack stack = load(
      "apiVersion: v1\nkind: List\nitems:\n"
      "- {kind: ConfigMap, metadata: {name: c}}\n"
      "- kind: DeploymentList\n  items:\n"
      "  - {kind: Deployment, metadata: {name: d1}, spec: {template: {spec: {containers: [{name: a}]}}}}\n"
      "  - {kind: Deployment, metadata: {name: d2}, spec: {replicas: 2, template: {spec: {containers: [{name: "
      "a}]}}}}\n");
  ASSERT_EQ(stack.services.size(), 2u);
  EXPECT_EQ(stack.services[0].name, "d1");
  EXPECT_EQ(stack.services[1].replicas, 2);
  EXPECT_EQ(skipped(stack, "ConfigMap"), 1);
  EXPECT_EQ(skipped(stack, "List"), 0);
}

TEST(KubeLoader, KindEndingInListWithoutItemsIsAnOrdinaryObject) {
  Stack stack = load("apiVersion: example.com/v1\nkind: AccessList\nmetadata: {name: a}\nspec: {}\n");
  EXPECT_EQ(skipped(stack, "AccessList"), 1);
}

TEST(KubeLoader, JsonManifestLoads) {
  Stack stack = load(
      "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"j\"},\n"
      " \"spec\": {\"containers\": [{\"name\": \"c\", \"resources\": {\"requests\": {\"memory\": \"1Gi\"}}}]}}\n");
  EXPECT_EQ(mi(stack.services.at(0).resources.memory_request), 1024);
}

TEST(KubeLoader, GenerateNameStandsInForName) {
  Stack stack = load("kind: Job\nmetadata: {generateName: backup-}\nspec:\n  template:\n    spec:\n" +
                     k_one_container);
  EXPECT_EQ(stack.services.at(0).name, "backup-");
}

TEST(KubeLoader, ExtendedResourcesAreIgnored) {
  Stack stack = load(workload("Deployment", "",
                              "      containers:\n      - name: gpu\n        resources:\n"
                              "          limits: {nvidia.com/gpu: \"1\", ephemeral-storage: 10Gi, memory: 10Gi}\n"));
  EXPECT_EQ(mi(stack.services.at(0).resources.memory_limit), 10 * 1024);
}

TEST(KubeLoader, FoldersAreReadRecursivelyAndSorted) {
  testing::TempDir dir;
  dir.write("b/two.yml", workload("Deployment", "", k_one_container));
  dir.write("a.yaml", "kind: Pod\nmetadata: {name: first}\nspec: {containers: [{name: c}]}\n");
  dir.write("c/d/three.json", "{\"kind\": \"Pod\", \"metadata\": {\"name\": \"third\"}, \"spec\": "
                              "{\"containers\": [{\"name\": \"c\"}]}}");
  dir.write("notes.txt", "kind: Pod\n");
  auto stack = load_kubernetes(KubeOptions{{dir.path()}});
  ASSERT_TRUE(stack.has_value()) << stack.error().message;
  ASSERT_EQ(stack->services.size(), 3u);
  EXPECT_EQ(stack->services[0].name, "first");
  EXPECT_EQ(stack->services[1].name, "web");
  EXPECT_EQ(stack->services[2].name, "third");
  EXPECT_EQ(stack->source_files.size(), 3u);
  EXPECT_EQ(stack->services[1].declared_at.to_string(), dir.path() + "/b/two.yml:2:1");
}

TEST(KubeLoader, SeveralPathsLoadInOrder) {
  testing::TempDir dir;
  std::string one = dir.write("1.yaml", "kind: Pod\nmetadata: {name: one}\nspec: {containers: [{name: c}]}\n");
  std::string two = dir.write("2.yaml", "kind: Pod\nmetadata: {name: two}\nspec: {containers: [{name: c}]}\n");
  auto stack = load_kubernetes(KubeOptions{{two, one}});
  ASSERT_TRUE(stack.has_value());
  EXPECT_EQ(stack->services.at(0).name, "two");
  EXPECT_EQ(stack->services.at(1).name, "one");
  EXPECT_EQ(stack->source_files, (std::vector<std::string>{two, one}));
}

TEST(KubeLoader, LongStreamOfManyDocuments) {
  std::string text;
  for (int i = 0; i < 2000; ++i) {
    text += "---\nkind: Deployment\nmetadata: {name: d" + std::to_string(i) +
            "}\nspec:\n  replicas: 2\n  template:\n    spec:\n" + k_one_container;
    text += "---\nkind: Service\nmetadata: {name: s" + std::to_string(i) + "}\n";
  }
  Stack stack = load(text);
  ASSERT_EQ(stack.services.size(), 2000u);
  EXPECT_EQ(stack.services[1999].name, "d1999");
  EXPECT_EQ(skipped(stack, "Service"), 2000);
}

}  // namespace
}  // namespace stackfit

namespace stackfit {
namespace {

TEST(KubeLoaderFolders, KustomizationFilesAreNotManifests) {
  testing::TempDir dir;
  dir.write("kustomization.yaml", "resources: [pod.yaml]\n");
  dir.write("pod.yaml", "kind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}]}\n");
  auto stack = load_kubernetes(KubeOptions{{dir.path()}});
  ASSERT_TRUE(stack.has_value()) << stack.error().message;
  ASSERT_EQ(stack->services.size(), 1u);
  EXPECT_EQ(stack->services[0].name, "p");
  EXPECT_EQ(stack->source_files.size(), 1u);
}

TEST(KubeLoaderFolders, AKustomizeFolderWithoutManifestsGetsTheRenderLine) {
  testing::TempDir dir;
  dir.write("overlays/prod/kustomization.yaml", "resources: [../../base]\n");
  dir.write("overlays/dev/kustomization.yml", "resources: [../../base]\n");
  auto stack = load_kubernetes(KubeOptions{{dir.path() + "/overlays"}, "check"});
  ASSERT_FALSE(stack.has_value());
  EXPECT_EQ(stack.error().code, ErrorCode::not_found);
  EXPECT_EQ(stack.error().message, dir.path() + "/overlays: a kustomize folder (" + dir.path() +
                                       "/overlays/dev/kustomization.yml), not manifests; render it first: "
                                       "kubectl kustomize " + dir.path() + "/overlays/dev | stackfit check -k -");
}

TEST(KubeLoaderFolders, AnEmptyFolderSaysSo) {
  testing::TempDir dir;
  dir.write("README.md", "nothing\n");
  auto stack = load_kubernetes(KubeOptions{{dir.path()}});
  ASSERT_FALSE(stack.has_value());
  EXPECT_EQ(stack.error().message, dir.path() + ": no *.yaml, *.yml or *.json files");
}

TEST(KubeLoader, CustomResourcesNamedLikeWorkloadsAreNotSized) {
  // Argo's Workflow-era CRDs, Crossplane and others reuse built-in kind names.
  Stack stack = load(
      "apiVersion: example.com/v1\nkind: Job\nmetadata: {name: crd-job}\nspec: {}\n---\n"
      "apiVersion: v1\nkind: Deployment\nmetadata: {name: wrong-group}\nspec: {}\n---\n"
      "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: old}\nspec:\n  template:\n    spec:\n" +
      k_one_container +
      "---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: real-job}\nspec:\n  template:\n    spec:\n" +
      k_one_container);
  ASSERT_EQ(stack.services.size(), 2u);
  EXPECT_EQ(stack.services[0].name, "old");
  EXPECT_EQ(stack.services[1].name, "real-job");
  EXPECT_EQ(skipped(stack, "Job (example.com/v1)"), 1);
  EXPECT_EQ(skipped(stack, "Deployment (v1)"), 1);
}

TEST(KubeLoader, ApiVersionMustBeAString) {
  Stack stack;
  auto ok = load_kubernetes_text("apiVersion: [apps, v1]\nkind: Deployment\nmetadata: {name: w}\n", k_file, stack);
  ASSERT_FALSE(ok.has_value());
  EXPECT_EQ(ok.error().message.rfind("k.yaml:1:", 0), 0u) << ok.error().message;
}

}  // namespace
}  // namespace stackfit
