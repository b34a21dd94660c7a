// Pod-level plan targets split per container, on workloads read by the real
// Kubernetes loader and folded by the loader's own scheduler fold. Expected
// values are worked out by hand in the comments.
#include "stackfit/plan/container_split.hpp"

#include <gtest/gtest.h>

#include "stackfit/load/kube/kube_loader.hpp"
#include "stackfit/load/kube/pod_resources.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

const PodFold k_fold = [](const std::vector<Container>& cs) {
  return kube::effective_pod_resources(cs, kube::PodLevel{});
};

std::string deployment(const std::string& name, const std::string& pod_spec) {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + name +
         "}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: "
         "x}}\n    spec:\n" +
         pod_spec;
}

Stack load(testing::TempDir& dir, const std::string& text) {
  KubeOptions o;
  o.paths.push_back(dir.write("app.yaml", text));
  auto s = load_kubernetes(o);
  EXPECT_TRUE(s) << s.error().message;
  return s ? *s : Stack{};
}

ResourceTarget pod_target(const std::string& workload) {
  ResourceTarget t;
  t.service = workload;
  t.kind = "Deployment";
  return t;
}

Bytes mib(std::int64_t n) { return Bytes{n * k_mib}; }

const ResourceTarget* find(const std::vector<ResourceTarget>& ts, const std::string& container) {
  for (const ResourceTarget& t : ts) {
    if (t.container == container) return &t;
  }
  return nullptr;
}

// The fold of the containers with the split values applied.
Resources folded_after(const Service& s, const std::vector<ResourceTarget>& ts) {
  std::vector<Container> cs = s.containers;
  for (Container& c : cs) {
    const ResourceTarget* t = find(ts, c.name);
    if (!t) continue;
    if (t->resources.memory_request) c.resources.memory_request = t->resources.memory_request;
    if (t->resources.memory_limit) c.resources.memory_limit = t->resources.memory_limit;
    if (t->resources.cpu_request) c.resources.cpu_request = t->resources.cpu_request;
    if (t->resources.cpu_limit) c.resources.cpu_limit = t->resources.cpu_limit;
  }
  return k_fold(cs);
}

TEST(ContainerSplit, SingleContainerTakesThePodValue) {
  testing::TempDir dir;
  Stack stack = load(dir, deployment("web", "      containers:\n        - name: web\n          image: nginx\n"
                                            "          resources: {requests: {memory: 512Mi}, limits: {memory: 1Gi}}\n"));
  ResourceTarget t = pod_target("web");
  t.resources.memory_limit = mib(768);
  auto out = split_pod_targets(stack, {t}, {}, k_fold);
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_EQ(out->size(), 1U);
  EXPECT_EQ((*out)[0].container, "web");
  EXPECT_EQ((*out)[0].resources.memory_limit, mib(768));
  EXPECT_EQ((*out)[0].resources.memory_request, std::nullopt);  // 512 Mi <= 768 Mi: left as declared
}

TEST(ContainerSplit, InitStepDecidesTheFoldAndScales) {
  // app 300 Mi + sidecar 100 Mi = 400 Mi; init step migrate 700 + sidecar 100 = 800 Mi -> pod 800 Mi.
  // Planned 600 Mi = x 0.75: app 225, sidecar 75, migrate 525 -> max(300, 600) = 600 Mi.
  testing::TempDir dir;
  Stack stack = load(dir, deployment("api",
                                     "      initContainers:\n"
                                     "        - {name: proxy, image: envoy, restartPolicy: Always,"
                                     " resources: {limits: {memory: 100Mi}}}\n"
                                     "        - {name: migrate, image: app, resources: {limits: {memory: 700Mi}}}\n"
                                     "      containers:\n"
                                     "        - {name: app, image: app, resources: {limits: {memory: 300Mi}}}\n"));
  ASSERT_EQ(stack.services.at(0).resources.memory_limit, mib(800));
  ResourceTarget t = pod_target("api");
  t.resources.memory_limit = mib(600);
  auto out = split_pod_targets(stack, {t}, {}, k_fold);
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_EQ(out->size(), 3U);
  EXPECT_EQ(find(*out, "proxy")->resources.memory_limit, mib(75));
  EXPECT_EQ(find(*out, "migrate")->resources.memory_limit, mib(525));
  EXPECT_EQ(find(*out, "app")->resources.memory_limit, mib(225));
  EXPECT_EQ(folded_after(stack.services[0], *out).memory_limit, mib(600));
}

TEST(ContainerSplit, RemainderGoesWhereTheFoldMoves) {
  // Three app containers of 100 Mi = 300 Mi; planned 200 Mi: 66.67 each ->
  // 66 Mi each (198) and the 2 Mi left to the first: 68 + 66 + 66 = 200.
  testing::TempDir dir;
  Stack stack = load(dir, deployment("trio",
                                     "      containers:\n"
                                     "        - {name: a, image: x, resources: {limits: {memory: 100Mi}}}\n"
                                     "        - {name: b, image: x, resources: {limits: {memory: 100Mi}}}\n"
                                     "        - {name: c, image: x, resources: {limits: {memory: 100Mi}}}\n"));
  ResourceTarget t = pod_target("trio");
  t.resources.memory_limit = mib(200);
  auto out = split_pod_targets(stack, {t}, {}, k_fold);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(find(*out, "a")->resources.memory_limit, mib(68));
  EXPECT_EQ(find(*out, "b")->resources.memory_limit, mib(66));
  EXPECT_EQ(find(*out, "c")->resources.memory_limit, mib(66));
}

TEST(ContainerSplit, RequestIsLoweredToANewLimitAndCpuSplitsInMillicores) {
  // Limits 500 + 1000 = 1500 Mi, planned 750 Mi (x 0.5): 250 and 500 Mi;
  // a's request 500 Mi > its new limit 250 Mi -> 250 Mi. b's 100 Mi stays.
  // CPU requests 300m + 100m = 400m, planned 250m: 187.5 -> 187m, 62.5 -> 62m, 1m left to a: 188m + 62m.
  testing::TempDir dir;
  Stack stack = load(dir, deployment("pair",
                                     "      containers:\n"
                                     "        - {name: a, image: x, resources: {requests: {memory: 500Mi, cpu: 300m},"
                                     " limits: {memory: 500Mi}}}\n"
                                     "        - {name: b, image: x, resources: {requests: {memory: 100Mi, cpu: 100m},"
                                     " limits: {memory: 1000Mi}}}\n"));
  ResourceTarget t = pod_target("pair");
  t.resources.memory_limit = mib(750);
  t.resources.cpu_request = Millicores{250};
  auto out = split_pod_targets(stack, {t}, {}, k_fold);
  ASSERT_TRUE(out) << out.error().message;
  const ResourceTarget* a = find(*out, "a");
  const ResourceTarget* b = find(*out, "b");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->resources.memory_limit, mib(250));
  EXPECT_EQ(a->resources.memory_request, mib(250));
  EXPECT_EQ(b->resources.memory_limit, mib(500));
  EXPECT_EQ(b->resources.memory_request, std::nullopt);
  EXPECT_EQ(a->resources.cpu_request, Millicores{188});
  EXPECT_EQ(b->resources.cpu_request, Millicores{62});
}

TEST(ContainerSplit, UndeclaredFieldFollowsTheOtherOne) {
  // No limits; requests 300 Mi and 100 Mi -> a planned 800 Mi limit splits 3:1 = 600 + 200 Mi.
  testing::TempDir dir;
  Stack stack = load(dir, deployment("nolimit",
                                     "      containers:\n"
                                     "        - {name: a, image: x, resources: {requests: {memory: 300Mi}}}\n"
                                     "        - {name: b, image: x, resources: {requests: {memory: 100Mi}}}\n"));
  ResourceTarget t = pod_target("nolimit");
  t.resources.memory_limit = mib(800);
  auto out = split_pod_targets(stack, {t}, {}, k_fold);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(find(*out, "a")->resources.memory_limit, mib(600));
  EXPECT_EQ(find(*out, "b")->resources.memory_limit, mib(200));
}

TEST(ContainerSplit, ContainerRecommendationsWinAndCarryKnobs) {
  testing::TempDir dir;
  Stack stack = load(dir, deployment("api",
                                     "      containers:\n"
                                     "        - {name: app, image: x, resources: {limits: {memory: 1Gi}}}\n"
                                     "        - {name: cache, image: redis, resources: {limits: {memory: 512Mi}}}\n"));
  RecommendedTarget rec;
  rec.target.service = "api";
  rec.target.container = "cache";
  rec.target.resources.memory_limit = mib(200);
  rec.target.knobs.push_back({RuntimeKnob::redis_maxmemory, mib(150), "allkeys-lru", ""});
  ResourceTarget t = pod_target("api");
  t.resources.memory_limit = mib(200);  // tighten's sum of the recommendations
  auto out = split_pod_targets(stack, {t}, {rec}, k_fold);
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_EQ(out->size(), 1U);
  EXPECT_EQ((*out)[0].container, "cache");
  EXPECT_EQ((*out)[0].resources.memory_limit, mib(200));
  ASSERT_EQ((*out)[0].knobs.size(), 1U);
}

TEST(ContainerSplit, ReplicasGoToTheFirstAppContainer) {
  testing::TempDir dir;
  Stack stack = load(dir, deployment("opt",
                                     "      initContainers: [{name: wait, image: busybox}]\n"
                                     "      containers: [{name: main, image: x}, {name: side, image: y}]\n"));
  ResourceTarget t = pod_target("opt");
  t.replicas = 0;
  auto out = split_pod_targets(stack, {t}, {}, k_fold);
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_EQ(out->size(), 1U);
  EXPECT_EQ((*out)[0].container, "main");
  EXPECT_EQ((*out)[0].replicas, 0);
  EXPECT_EQ((*out)[0].resources, Resources{});
}

TEST(ContainerSplit, OverheadStaysOutOfTheContainers) {
  // Request 256 Mi + overhead 64 Mi = pod 320 Mi; planned 192 Mi -> container 128 Mi.
  testing::TempDir dir;
  Stack stack = load(dir, deployment("rc",
                                     "      overhead: {memory: 64Mi}\n"
                                     "      containers:\n"
                                     "        - {name: a, image: x, resources: {requests: {memory: 256Mi}}}\n"));
  ASSERT_EQ(stack.services.at(0).resources.memory_request, mib(320));
  ResourceTarget t = pod_target("rc");
  t.resources.memory_request = mib(192);
  auto out = split_pod_targets(stack, {t}, {}, k_fold);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(find(*out, "a")->resources.memory_request, mib(128));
  t.resources.memory_request = mib(64);
  out = split_pod_targets(stack, {t}, {}, k_fold);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, ErrorCode::bad_input);
  EXPECT_EQ(out.error().message, "workload \"rc\": the planned value 67108864 is not above the pod's overhead 67108864");
}

TEST(ContainerSplit, UnknownWorkload) {
  testing::TempDir dir;
  Stack stack = load(dir, deployment("web", "      containers: [{name: web, image: nginx}]\n"));
  ResourceTarget t = pod_target("nope");
  t.replicas = 0;
  auto out = split_pod_targets(stack, {t}, {}, k_fold);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().message, "workload \"nope\" is not in the manifests");
}

}  // namespace
}  // namespace stackfit
