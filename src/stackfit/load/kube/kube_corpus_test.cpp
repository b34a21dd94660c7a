// Every Kubernetes manifest of the real-world corpus loads with the values
// its file declares. Literal values were read from the files by eye; the
// comments give the line numbers in /work/shared/corpus/real.
#include <gtest/gtest.h>

#include <algorithm>

#include "stackfit/load/kube/kube_loader.hpp"
#include "testing/corpus.hpp"
#include "stackfit/util/file_io.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

Stack load_corpus(const std::string& relative) {
  auto stack = load_kubernetes(KubeOptions{{testing::corpus_path("real/" + relative)}});
  EXPECT_TRUE(stack.has_value()) << (stack ? "" : stack.error().message);
  return stack ? std::move(*stack) : Stack{};
}

const Service& find(const Stack& stack, const std::string& name) {
  auto it = std::find_if(stack.services.begin(), stack.services.end(),
                         [&](const Service& s) { return s.name == name; });
  if (it == stack.services.end()) {
    ADD_FAILURE() << "no service " << name;
    static const Service k_none;
    return k_none;
  }
  return *it;
}

std::int64_t mi(const std::optional<Bytes>& b) { return b ? b->count / k_mib : -1; }
std::int64_t milli(const std::optional<Millicores>& m) { return m ? m->count : -1; }

std::int64_t skipped_total(const Stack& stack) {
  std::int64_t n = 0;
  for (const auto& entry : stack.skipped_kinds) n += entry.second;
  return n;
}

std::int64_t skipped(const Stack& stack, const std::string& kind) {
  for (const auto& [k, n] : stack.skipped_kinds) {
    if (k == kind) return n;
  }
  return 0;
}

TEST(KubeCorpus, MicroservicesDemoRelease) {
  STACKFIT_REQUIRE_CORPUS();
  Stack stack = load_corpus("GoogleCloudPlatform__microservices-demo/release__kubernetes-manifests.yaml");
  // 35 documents: 12 Deployments, 12 Services, 11 ServiceAccounts.
  ASSERT_EQ(stack.services.size(), 12u);
  EXPECT_EQ(skipped(stack, "Service"), 12);
  EXPECT_EQ(skipped(stack, "ServiceAccount"), 11);
  EXPECT_EQ(skipped_total(stack), 23);
  const Service& frontend = stack.services[0];  // lines 21-112
  EXPECT_EQ(frontend.name, "frontend");
  EXPECT_EQ(frontend.declared_at.line, 22u);
  EXPECT_EQ(frontend.replicas, 1);
  EXPECT_EQ(milli(frontend.resources.cpu_request), 100);  // line 108
  EXPECT_EQ(mi(frontend.resources.memory_request), 64);   // line 109
  EXPECT_EQ(milli(frontend.resources.cpu_limit), 200);    // line 111
  EXPECT_EQ(mi(frontend.resources.memory_limit), 128);    // line 112
  // redis-cart writes limits before requests (lines 415-421).
  const Service& redis = find(stack, "redis-cart");
  EXPECT_EQ(mi(redis.resources.memory_limit), 256);
  EXPECT_EQ(milli(redis.resources.cpu_limit), 125);
  EXPECT_EQ(milli(redis.resources.cpu_request), 70);
  EXPECT_EQ(mi(redis.resources.memory_request), 200);
  // loadgenerator: an init container without resources (line 486), then main.
  const Service& load = find(stack, "loadgenerator");
  ASSERT_EQ(load.containers.size(), 2u);
  EXPECT_EQ(load.containers[0].name, "frontend-check");
  EXPECT_EQ(load.containers[0].role, ContainerRole::init);
  EXPECT_FALSE(load.containers[0].resources.memory_request.has_value());
  EXPECT_EQ(load.containers[1].name, "main");
  EXPECT_EQ(mi(load.resources.memory_request), 256);  // lines 517-521
  EXPECT_EQ(mi(load.resources.memory_limit), 512);
  EXPECT_EQ(milli(load.resources.cpu_request), 300);
  EXPECT_EQ(milli(load.resources.cpu_limit), 500);
  // Every one of the 12 app containers declares all four values.
  std::int64_t app_containers = 0;
  Resources total;
  total.memory_request = Bytes{0};
  total.memory_limit = Bytes{0};
  total.cpu_request = Millicores{0};
  total.cpu_limit = Millicores{0};
  for (const Service& s : stack.services) {
    for (const Container& c : s.containers) {
      if (c.role != ContainerRole::app) continue;
      ++app_containers;
      ASSERT_TRUE(c.resources.memory_request && c.resources.memory_limit && c.resources.cpu_request &&
                  c.resources.cpu_limit)
          << s.name;
      *total.memory_request = *total.memory_request + *c.resources.memory_request;
      *total.memory_limit = *total.memory_limit + *c.resources.memory_limit;
      *total.cpu_request = *total.cpu_request + *c.resources.cpu_request;
      *total.cpu_limit = *total.cpu_limit + *c.resources.cpu_limit;
    }
  }
  EXPECT_EQ(app_containers, 12);
  // 8 x 64 + 180 + 200 + 256 + 220 Mi; 8 x 128 + 300 + 256 + 512 + 450 Mi;
  // 8 x 100 + 200 + 200 + 70 + 300 m; 8 x 200 + 300 + 300 + 125 + 500 m.
  EXPECT_EQ(mi(total.memory_request), 1368);
  EXPECT_EQ(mi(total.memory_limit), 2542);
  EXPECT_EQ(milli(total.cpu_request), 1570);
  EXPECT_EQ(milli(total.cpu_limit), 2825);
}

TEST(KubeCorpus, ArgoCdInstallDeclaresNoResources) {
  STACKFIT_REQUIRE_CORPUS();
  Stack stack = load_corpus("argoproj__argo-cd/manifests__install.yaml");
  // 59 documents: 6 Deployments and 1 StatefulSet; the CRD schemas' and RBAC
  // rules' `resources:` keys are not compute resources.
  ASSERT_EQ(stack.services.size(), 7u);
  EXPECT_EQ(skipped_total(stack), 52);
  EXPECT_EQ(skipped(stack, "CustomResourceDefinition"), 3);
  EXPECT_EQ(skipped(stack, "NetworkPolicy"), 7);
  for (const Service& s : stack.services) {
    EXPECT_EQ(s.resources, Resources{}) << s.name;
  }
  const Service& controller = find(stack, "argocd-application-controller");
  EXPECT_EQ(controller.kind, "StatefulSet");
  EXPECT_EQ(controller.replicas, 1);
  const Service& dex = find(stack, "argocd-dex-server");
  ASSERT_EQ(dex.containers.size(), 2u);
  EXPECT_EQ(dex.containers[0].name, "copyutil");
  EXPECT_EQ(dex.containers[0].role, ContainerRole::init);
  EXPECT_EQ(dex.containers[1].name, "dex");
}

TEST(KubeCorpus, ArgoCdRedisHaEmptyResources) {
  STACKFIT_REQUIRE_CORPUS();
  Stack stack = load_corpus("argoproj__argo-cd/manifests__ha__base__redis-ha__chart__upstream.yaml");
  ASSERT_EQ(stack.services.size(), 2u);
  const Service& server = find(stack, "argocd-redis-ha-server");
  EXPECT_EQ(server.kind, "StatefulSet");
  EXPECT_EQ(server.namespace_, "argocd");
  EXPECT_EQ(server.replicas, 3);
  EXPECT_EQ(server.containers.size(), 4u);  // config-init + redis, sentinel, split-brain-fix
  EXPECT_EQ(server.resources, Resources{});  // `resources: {}` everywhere
  EXPECT_EQ(find(stack, "argocd-redis-ha-haproxy").replicas, 3);
}

TEST(KubeCorpus, OpenTelemetryDemoHelmRendered) {
  STACKFIT_REQUIRE_CORPUS();
  Stack stack = load_corpus("open-telemetry__opentelemetry-demo/kubernetes__opentelemetry-demo.yaml");
  // 84 documents: 24 Deployments + 1 StatefulSet; 59 other objects.
  ASSERT_EQ(stack.services.size(), 25u);
  EXPECT_EQ(skipped_total(stack), 59);
  EXPECT_EQ(skipped(stack, "ConfigMap"), 17);
  // grafana: three sidecar-style app containers at 100m/100Mi limits (lines
  // 18006-18087) and grafana at 150Mi; requests default to the limits.
  const Service& grafana = find(stack, "grafana");
  EXPECT_EQ(grafana.namespace_, "otel-demo");
  EXPECT_EQ(grafana.containers.size(), 4u);
  EXPECT_EQ(mi(grafana.resources.memory_limit), 450);
  EXPECT_EQ(mi(grafana.resources.memory_request), 450);
  EXPECT_EQ(milli(grafana.resources.cpu_limit), 300);
  EXPECT_EQ(milli(grafana.resources.cpu_request), 300);
  // opensearch StatefulSet (line 20000): limits memory 1100Mi, requests cpu
  // 1000m and memory 100Mi (lines 20116-20119); no cpu limit.
  const Service& opensearch = find(stack, "opensearch");
  EXPECT_EQ(opensearch.kind, "StatefulSet");
  EXPECT_EQ(opensearch.declared_at.line, 20000u);
  EXPECT_EQ(mi(opensearch.resources.memory_limit), 1100);
  EXPECT_EQ(mi(opensearch.resources.memory_request), 100);
  EXPECT_EQ(milli(opensearch.resources.cpu_request), 1000);
  EXPECT_FALSE(opensearch.resources.cpu_limit.has_value());
  EXPECT_EQ(mi(find(stack, "load-generator").resources.memory_limit), 1500);
  EXPECT_EQ(mi(find(stack, "flagd").resources.memory_limit), 75 + 250);
}

TEST(KubeCorpus, KubePrometheus) {
  STACKFIT_REQUIRE_CORPUS();
  Stack blackbox = load_corpus("prometheus-operator__kube-prometheus/manifests__blackboxExporter-deployment.yaml");
  ASSERT_EQ(blackbox.services.size(), 1u);
  EXPECT_EQ(blackbox.services[0].containers.size(), 3u);
  EXPECT_EQ(blackbox.services[0].namespace_, "monitoring");
  EXPECT_EQ(mi(blackbox.services[0].resources.memory_request), 3 * 20);
  EXPECT_EQ(mi(blackbox.services[0].resources.memory_limit), 3 * 40);
  EXPECT_EQ(milli(blackbox.services[0].resources.cpu_request), 3 * 10);
  EXPECT_EQ(milli(blackbox.services[0].resources.cpu_limit), 3 * 20);

  Stack node = load_corpus("prometheus-operator__kube-prometheus/manifests__nodeExporter-daemonset.yaml");
  ASSERT_EQ(node.services.size(), 1u);
  const Service& exporter = node.services[0];
  EXPECT_EQ(exporter.kind, "DaemonSet");
  EXPECT_EQ(exporter.replica_mode, ReplicaMode::per_node);
  // node-exporter 250m/180Mi limits, 102m/180Mi requests (lines 45-49);
  // kube-rbac-proxy 20m/40Mi limits, 10m/20Mi requests (lines 84-88).
  EXPECT_EQ(milli(exporter.resources.cpu_limit), 270);
  EXPECT_EQ(mi(exporter.resources.memory_limit), 220);
  EXPECT_EQ(milli(exporter.resources.cpu_request), 112);
  EXPECT_EQ(mi(exporter.resources.memory_request), 200);

  // A Prometheus custom resource: spec.resources is not a pod's.
  Stack prometheus = load_corpus("prometheus-operator__kube-prometheus/manifests__prometheus-prometheus.yaml");
  EXPECT_TRUE(prometheus.services.empty());
  EXPECT_EQ(skipped(prometheus, "Prometheus"), 1);
}

TEST(KubeCorpus, CassandraStatefulSet) {
  STACKFIT_REQUIRE_CORPUS();
  Stack stack = load_corpus("kubernetes__examples/databases__cassandra__cassandra-statefulset.yaml");
  ASSERT_EQ(stack.services.size(), 1u);
  const Service& cassandra = stack.services[0];
  EXPECT_EQ(cassandra.replicas, 3);  // line 9
  // limits == requests = "500m" / 1Gi (lines 34-38); volumeClaimTemplates'
  // storage request is not memory.
  EXPECT_EQ(milli(cassandra.resources.cpu_limit), 500);
  EXPECT_EQ(milli(cassandra.resources.cpu_request), 500);
  EXPECT_EQ(mi(cassandra.resources.memory_limit), 1024);
  EXPECT_EQ(mi(cassandra.resources.memory_request), 1024);
  EXPECT_EQ(skipped(stack, "StorageClass"), 1);
}

TEST(KubeCorpus, VllmGpuDeploymentAndItsAutoscaler) {
  STACKFIT_REQUIRE_CORPUS();
  Stack stack = load_corpus("kubernetes__examples/AI__vllm-deployment__vllm-deployment.yaml");
  ASSERT_EQ(stack.services.size(), 1u);
  const Resources& r = stack.services[0].resources;  // lines 24-30: cpu "2", memory "10Gi"
  EXPECT_EQ(milli(r.cpu_request), 2000);
  EXPECT_EQ(milli(r.cpu_limit), 2000);
  EXPECT_EQ(mi(r.memory_request), 10 * 1024);
  EXPECT_EQ(mi(r.memory_limit), 10 * 1024);
  EXPECT_EQ(stack.services[0].containers[0].name, "inference-server");
  Stack hpa = load_corpus("kubernetes__examples/AI__vllm-deployment__hpa__horizontal-pod-autoscaler.yaml");
  EXPECT_TRUE(hpa.services.empty());  // `kind: Deployment` under scaleTargetRef is not an object
  EXPECT_EQ(skipped(hpa, "HorizontalPodAutoscaler"), 1);
}

TEST(KubeCorpus, ExclusiveCpuPod) {
  STACKFIT_REQUIRE_CORPUS();
  Stack stack = load_corpus("kubernetes__examples/_archived__cpu-manager__exclusive-1.yaml");
  ASSERT_EQ(stack.services.size(), 1u);
  EXPECT_EQ(stack.services[0].kind, "Pod");
  EXPECT_EQ(milli(stack.services[0].resources.cpu_limit), 1000);           // line 14: cpu: 1
  EXPECT_EQ(stack.services[0].resources.memory_limit->count, 256'000'000);  // line 15: "256M"
}

TEST(KubeCorpus, PodinfoCronJob) {
  STACKFIT_REQUIRE_CORPUS();
  Stack stack = load_corpus("stefanprodan__podinfo/deploy__bases__frontend__cronjob-warm-cache.yaml");
  ASSERT_EQ(stack.services.size(), 1u);
  const Service& job = stack.services[0];
  EXPECT_EQ(job.kind, "CronJob");
  EXPECT_EQ(job.name, "warm-cache");
  EXPECT_EQ(job.replicas, 1);
  ASSERT_EQ(job.containers.size(), 2u);
  EXPECT_EQ(job.containers[0].role, ContainerRole::init);
  // Both containers: limits 100m/32Mi, requests 10m/16Mi (lines 36-40, 56-60);
  // the init container runs alone first, so the pod needs max, not the sum.
  EXPECT_EQ(milli(job.resources.cpu_request), 10);
  EXPECT_EQ(mi(job.resources.memory_request), 16);
  EXPECT_EQ(milli(job.resources.cpu_limit), 100);
  EXPECT_EQ(mi(job.resources.memory_limit), 32);
}

TEST(KubeCorpus, OnePasswordManager) {
  STACKFIT_REQUIRE_CORPUS();
  Stack stack = load_corpus("1Password__onepassword-operator/config__manager__manager.yaml");
  ASSERT_EQ(stack.services.size(), 1u);
  const Service& op = stack.services[0];
  EXPECT_EQ(op.name, "onepassword-connect-operator");
  EXPECT_EQ(op.namespace_, "system");
  EXPECT_EQ(op.declared_at.line, 15u);
  // manager: limits 500m/512Mi, requests 100m/128Mi (lines 126-130).
  EXPECT_EQ(milli(op.resources.cpu_limit), 500);
  EXPECT_EQ(mi(op.resources.memory_limit), 512);
  EXPECT_EQ(milli(op.resources.cpu_request), 100);
  EXPECT_EQ(mi(op.resources.memory_request), 128);
  EXPECT_EQ(skipped(stack, "Namespace"), 1);
}

TEST(KubeCorpus, MicroservicesDemoKustomizeBasesAsAFolder) {
  STACKFIT_REQUIRE_CORPUS();
  // The two base files copied into one folder load together, sorted by name.
  testing::TempDir dir;
  for (const char* name : {"kustomize__base__loadgenerator.yaml", "kustomize__base__cartservice.yaml"}) {
    auto text = read_file(testing::corpus_path(std::string("real/GoogleCloudPlatform__microservices-demo/") + name));
    ASSERT_TRUE(text.has_value());
    dir.write(std::string("base/") + name, *text);
  }
  auto stack = load_kubernetes(KubeOptions{{dir.path()}});
  ASSERT_TRUE(stack.has_value()) << stack.error().message;
  ASSERT_EQ(stack->services.size(), 3u);
  EXPECT_EQ(stack->services[0].name, "cartservice");
  EXPECT_EQ(stack->services[1].name, "redis-cart");
  EXPECT_EQ(stack->services[2].name, "loadgenerator");
  EXPECT_EQ(stack->source_files.size(), 2u);
}

TEST(KubeCorpus, KustomizationWithoutKindIsALocatedError) {
  STACKFIT_REQUIRE_CORPUS();
  // A kustomization may omit `kind`; it is not a Kubernetes object, and
  // stackfit says so instead of guessing (the first key is on line 17).
  std::string path = testing::corpus_path("real/1Password__onepassword-operator/config__default__kustomization.yaml");
  auto stack = load_kubernetes(KubeOptions{{path}});
  ASSERT_FALSE(stack.has_value());
  EXPECT_EQ(stack.error().message, path + ":17:1: kind: required field is missing");
}

TEST(KubeCorpus, OnePasswordPatchReadsAsWritten) {
  STACKFIT_REQUIRE_CORPUS();
  // A strategic-merge patch is a partial Deployment; read as written it has the
  // kube-rbac-proxy container (lines 32-36: limits 500m/128Mi, requests
  // 5m/64Mi) and the manager entry that only adds args (no resources).
  Stack stack = load_corpus("1Password__onepassword-operator/config__default__manager_auth_proxy_patch.yaml");
  ASSERT_EQ(stack.services.size(), 1u);
  const Service& patch = stack.services[0];
  ASSERT_EQ(patch.containers.size(), 2u);
  EXPECT_EQ(patch.containers[0].name, "kube-rbac-proxy");
  EXPECT_EQ(patch.containers[1].name, "manager");
  EXPECT_EQ(patch.containers[1].resources, Resources{});
  EXPECT_EQ(mi(patch.resources.memory_request), 64);
  EXPECT_EQ(milli(patch.resources.cpu_limit), 500);
}

TEST(KubeCorpus, KustomizeComponentWithoutMetadataIsALocatedError) {
  STACKFIT_REQUIRE_CORPUS();
  // The memorystore Component (kind on line 16) has no metadata: not an object
  // the loader sizes, and it says so at the object's first key (line 15).
  std::string path = testing::corpus_path(
      "real/GoogleCloudPlatform__microservices-demo/kustomize__components__memorystore__kustomization.yaml");
  auto stack = load_kubernetes(KubeOptions{{path}});
  ASSERT_FALSE(stack.has_value());
  EXPECT_EQ(stack.error().message, path + ":15:1: metadata: required field is missing");
}

}  // namespace
}  // namespace stackfit
