#include "stackfit/observe/prometheus_fold.hpp"

#include <gtest/gtest.h>

#include "stackfit/observe/prometheus_client.hpp"
#include "stackfit/observe/prometheus_history.hpp"

namespace stackfit {
namespace {

// Records every call as one line: "kind ns/Kind/name/container instance t_s value".
class RecordingSink final : public UsageSink {
 public:
  std::vector<std::string> calls;
  void memory(const WorkloadKey& k, std::string_view i, std::int64_t t, Bytes b) override { add("memory", k, i, t, b.count); }
  void cpu(const WorkloadKey& k, std::string_view i, std::int64_t t, Millicores m) override { add("cpu", k, i, t, m.count); }
  void oom_kill(const WorkloadKey& k, std::string_view i, std::int64_t t, std::int64_t = 1) override { add("oom", k, i, t, 0); }
  void start(const WorkloadKey& k, std::string_view i, std::int64_t t) override { add("start", k, i, t, 0); }
  void memory_limit(const WorkloadKey& k, std::string_view i, std::int64_t t, Bytes b) override { add("limit", k, i, t, b.count); }
  void cpu_limit(const WorkloadKey& k, std::string_view i, std::int64_t t, Millicores m) override {
    add("cpu_limit", k, i, t, m.count);
  }
  void cpu_throttling(const WorkloadKey& k, std::string_view i, std::int64_t t, const CpuThrottling& th) override {
    add("throttled", k, i, t, th.periods * 1000 + th.throttled_periods);  // periods, throttled: 600 periods 30 -> 600030
  }

 private:
  void add(const char* what, const WorkloadKey& k, std::string_view i, std::int64_t t_ns, std::int64_t v) {
    calls.push_back(std::string(what) + " " + k.namespace_ + "/" + k.kind + "/" + k.name + "/" + k.container + " " +
                    std::string(i) + " " + std::to_string(t_ns / 1000000000) + " " + std::to_string(v));
  }
};

PromSeries series(std::vector<std::pair<std::string, std::string>> labels, std::vector<PromPoint> points) {
  return PromSeries{std::move(labels), std::move(points)};
}

PromSeries container(const std::string& pod, std::vector<PromPoint> points) {
  return series({{"namespace", "shop"}, {"pod", pod}, {"container", "app"}}, std::move(points));
}

PromMatrix matrix(std::vector<PromSeries> s) { return PromMatrix{std::move(s), {}, 0}; }

PromSeries owner(const std::string& pod, const std::string& kind, const std::string& name) {
  return series({{"namespace", "shop"}, {"pod", pod}, {"owner_kind", kind}, {"owner_name", name}}, {{1000, 1}});
}

PromSeries rs_owner(const std::string& rs, const std::string& kind, const std::string& name) {
  return series({{"namespace", "shop"}, {"replicaset", rs}, {"owner_kind", kind}, {"owner_name", name}}, {{1000, 1}});
}

std::string key_text(const WorkloadKey& k) { return k.namespace_ + "/" + k.kind + "/" + k.name + "/" + k.container; }

TEST(PrometheusFold, GroupsPodsIntoWorkloads) {
  PrometheusFold fold;
  fold.set_owners(matrix({owner("web-6b7c9d8f5-x2k4p", "ReplicaSet", "web-6b7c9d8f5"),
                          owner("api-7c5d8b9f4-m2n4p", "ReplicaSet", "api-7c5d8b9f4"),
                          owner("odd-rs-pod", "ReplicaSet", "handmade-rs"),
                          owner("db-0", "StatefulSet", "db"), owner("shell", "<none>", "<none>"),
                          owner("orphan-rs-pod", "ReplicaSet", "orphan")}),
                  matrix({rs_owner("web-6b7c9d8f5", "Deployment", "web"), rs_owner("orphan", "<none>", "<none>")}));
  EXPECT_EQ(key_text(fold.workload_of("shop", "web-6b7c9d8f5-x2k4p", "app")), "shop/Deployment/web/app");
  EXPECT_EQ(key_text(fold.workload_of("shop", "api-7c5d8b9f4-m2n4p", "api")), "shop/Deployment/api/api");
  EXPECT_EQ(key_text(fold.workload_of("shop", "odd-rs-pod", "c")), "shop/ReplicaSet/handmade-rs/c");
  EXPECT_EQ(key_text(fold.workload_of("shop", "orphan-rs-pod", "c")), "shop/ReplicaSet/orphan/c");
  EXPECT_EQ(key_text(fold.workload_of("shop", "db-0", "postgres")), "shop/StatefulSet/db/postgres");
  EXPECT_EQ(key_text(fold.workload_of("shop", "shell", "sh")), "shop/Pod/shell/sh");
  EXPECT_EQ(key_text(fold.workload_of("shop", "unknown-pod", "x")), "shop/Pod/unknown-pod/x");
  EXPECT_EQ(fold.grouping().replicasets_by_owner_metric, 1);
  EXPECT_EQ(fold.grouping().replicasets_by_name, 1);
  EXPECT_EQ(fold.grouping().bare_pods, 2);
}

TEST(PrometheusFold, DeploymentOfReplicaSetNeedsATemplateHash) {
  EXPECT_EQ(deployment_of_replicaset("web-6b7c9d8f5"), "web");
  EXPECT_EQ(deployment_of_replicaset("my-app-5d9f8b7c6x"), "my-app");
  EXPECT_EQ(deployment_of_replicaset("web-abcde"), "");  // vowels never appear in a hash
  EXPECT_EQ(deployment_of_replicaset("web-6b7c"), "");   // too short
  EXPECT_EQ(deployment_of_replicaset("web"), "");
  EXPECT_EQ(deployment_of_replicaset("-6b7c9d8f5"), "");
}

TEST(PrometheusFold, CpuRatesAcrossChunksSkipResets) {
  PrometheusFold fold;
  RecordingSink sink;
  ChunkAnswers first, second;
  // 60 s apart: +30 CPU-seconds = 500m; then a reset (skipped), then +6 s over a 120 s gap = 50m.
  first[static_cast<int>(ChunkQuery::cpu)] = matrix({container("p", {{60000, 100.0}, {120000, 130.0}})});
  second[static_cast<int>(ChunkQuery::cpu)] =
      matrix({container("p", {{180000, 160.000000001}, {240000, 2.0}, {360000, 8.0}})});
  fold.fold_chunk(first, 60000, sink);
  fold.fold_chunk(second, 60000, sink);
  EXPECT_EQ(sink.calls, (std::vector<std::string>{"cpu shop/Pod/p/app p/app 120 500",
                                                  "cpu shop/Pod/p/app p/app 180 500",
                                                  "cpu shop/Pod/p/app p/app 360 50"}));
}

TEST(PrometheusFold, MemoryStartsLimitsInTimeOrder) {
  PrometheusFold fold;
  RecordingSink sink;
  ChunkAnswers a;
  a[static_cast<int>(ChunkQuery::memory)] =
      matrix({container("old", {{0, 10}, {60000, 11}}), container("new", {{60000, 20}, {120000, 21}})});
  a[static_cast<int>(ChunkQuery::memory_limit)] =
      matrix({container("new", {{60000, 1024}, {120000, 1024}}), container("old", {{0, -1}})});
  fold.fold_chunk(a, 60000, sink);
  EXPECT_EQ(sink.calls, (std::vector<std::string>{
                            "limit shop/Pod/new/app new/app 60 1024", "start shop/Pod/new/app new/app 60 0",
                            "memory shop/Pod/new/app new/app 60 20", "memory shop/Pod/new/app new/app 120 21",
                            "start shop/Pod/old/app old/app 0 0", "memory shop/Pod/old/app old/app 0 10",
                            "memory shop/Pod/old/app old/app 60 11"}));
}

TEST(PrometheusFold, OomFromCadvisorCounterWinsOverKubeStateMetrics) {
  PrometheusFold fold;
  RecordingSink sink;
  ChunkAnswers a;
  a[static_cast<int>(ChunkQuery::oom_events)] = matrix({container("p", {{0, 0}, {60000, 2}, {120000, 2}})});
  a[static_cast<int>(ChunkQuery::restarts)] = matrix({container("p", {{0, 0}, {60000, 1}})});
  a[static_cast<int>(ChunkQuery::oom_reason)] = matrix({container("p", {{60000, 1}})});
  fold.fold_chunk(a, 60000, sink);
  EXPECT_EQ(sink.calls, (std::vector<std::string>{"start shop/Pod/p/app p/app 60 0", "oom shop/Pod/p/app p/app 60 0",
                                                  "oom shop/Pod/p/app p/app 60 0"}));
}

TEST(PrometheusFold, OomFromRestartsWhileReasonIsOomKilled) {
  PrometheusFold fold;
  RecordingSink sink;
  ChunkAnswers a;
  // Restart at 60 s with reason OOMKilled reported one scrape later; restart at 180 s for another reason.
  a[static_cast<int>(ChunkQuery::restarts)] = matrix({container("p", {{0, 0}, {60000, 1}, {120000, 1}, {180000, 2}})});
  a[static_cast<int>(ChunkQuery::oom_reason)] = matrix({container("p", {{0, 0}, {60000, 0}, {120000, 1}, {180000, 0}})});
  fold.fold_chunk(a, 60000, sink);
  EXPECT_EQ(sink.calls, (std::vector<std::string>{"start shop/Pod/p/app p/app 60 0", "oom shop/Pod/p/app p/app 60 0",
                                                  "start shop/Pod/p/app p/app 180 0"}));
}

TEST(PrometheusFold, HostileCounterValuesAreSkippedOrCapped) {
  PrometheusFold fold;
  RecordingSink sink;
  ChunkAnswers a;
  a[static_cast<int>(ChunkQuery::cpu)] = matrix({container("p", {{0, 1}, {60000, 1e300}, {120000, 61}})});
  a[static_cast<int>(ChunkQuery::oom_events)] = matrix({container("p", {{0, 0}, {60000, 5000}})});
  fold.fold_chunk(a, 60000, sink);
  std::size_t ooms = std::count_if(sink.calls.begin(), sink.calls.end(), [](const std::string& c) { return c.starts_with("oom"); });
  EXPECT_EQ(ooms, 1000u);
  EXPECT_EQ(fold.capped_oom_increases(), 1);
  EXPECT_EQ(sink.calls.back(), "cpu shop/Pod/p/app p/app 120 500");  // 1e300 skipped: 60 s over 120 s
}

// cAdvisor's CFS counters paired by time across chunks: +600 periods, +30
// throttled; then a reset (skipped); then +600, +700 throttled (cut to 600);
// a point without its partner is skipped. kube-state-metrics' CPU limit
// (0.5 cores) is one event per change.
TEST(PrometheusFold, ThrottlingFromCfsCountersAcrossChunks) {
  PrometheusFold fold;
  RecordingSink sink;
  ChunkAnswers first, second;
  first[static_cast<int>(ChunkQuery::cfs_periods)] = matrix({container("p", {{0, 1000}, {60000, 1600}})});
  first[static_cast<int>(ChunkQuery::cfs_throttled_periods)] = matrix({container("p", {{0, 10}, {60000, 40}})});
  first[static_cast<int>(ChunkQuery::cpu_limit)] = matrix({container("p", {{0, 0.5}, {60000, 0.5}})});
  second[static_cast<int>(ChunkQuery::cfs_periods)] =
      matrix({container("p", {{120000, 5}, {180000, 605}, {240000, 700}})});
  second[static_cast<int>(ChunkQuery::cfs_throttled_periods)] =
      matrix({container("p", {{120000, 0}, {180000, 700}, {300000, 800}})});
  fold.fold_chunk(first, 60000, sink);
  fold.fold_chunk(second, 60000, sink);
  EXPECT_EQ(sink.calls, (std::vector<std::string>{"cpu_limit shop/Pod/p/app p/app 0 500",
                                                  "throttled shop/Pod/p/app p/app 60 600030",
                                                  "throttled shop/Pod/p/app p/app 180 600600"}));
}

TEST(PrometheusFold, SeriesWithoutPodLabelsAreIgnored) {
  PrometheusFold fold;
  RecordingSink sink;
  ChunkAnswers a;
  a[static_cast<int>(ChunkQuery::memory)] = matrix({series({{"container", "app"}}, {{0, 5}})});
  fold.fold_chunk(a, 60000, sink);
  EXPECT_TRUE(sink.calls.empty());
}

// A Compose container as stackfit record --listen exports it, scraped from `target`.
PromSeries compose(const std::string& target, const std::string& service, const std::string& id,
                   std::vector<PromPoint> points) {
  return series({{"host", target.substr(0, target.find(':'))}, {"id", id}, {"instance", target},
                 {"name", id.substr(id.rfind('/') + 1)}, {"service", service}},
                std::move(points));
}

TEST(PrometheusFold, MixedKubernetesAndComposeSeriesEachGroupedOnce) {
  PrometheusFold fold;
  RecordingSink sink;
  ChunkAnswers a;
  a[static_cast<int>(ChunkQuery::memory)] =
      matrix({container("web-1", {{0, 7}}), compose("h1:9101", "web", "/h1/web", {{0, 10}}),
              compose("h2:9102", "web", "/h2/web", {{0, 12}}),
              series({{"id", "/h2/x"}, {"instance", "h2:9102"}, {"name", "x"}}, {{0, 99}})});
  a[static_cast<int>(ChunkQuery::memory_limit)] = matrix({compose("h1:9101", "web", "/h1/web", {{0, 0}, {60000, 64}})});
  fold.fold_chunk(a, 60000, sink);
  EXPECT_EQ(sink.calls, (std::vector<std::string>{
                            "start /service/web/ h1:9101//h1/web 0 0", "memory /service/web/ h1:9101//h1/web 0 10",
                            "limit /service/web/ h1:9101//h1/web 60 64", "start /service/web/ h2:9102//h2/web 0 0",
                            "memory /service/web/ h2:9102//h2/web 0 12", "start shop/Pod/web-1/app web-1/app 0 0",
                            "memory shop/Pod/web-1/app web-1/app 0 7"}));
  EXPECT_EQ(fold.grouping().compose_containers, 2);
  EXPECT_EQ(fold.grouping().compose_without_service, 1);
  EXPECT_EQ(fold.grouping().bare_pods, 1);
}

TEST(PrometheusFold, ByHostSplitsServicesAndCountsSeriesWithoutTheLabel) {
  PrometheusFold fold("host");
  RecordingSink sink;
  ChunkAnswers a, b;
  PromSeries hostless = compose("h3:9103", "web", "/h3/web", {{0, 30}});
  hostless.labels.erase(hostless.labels.begin());  // no "host"
  a[static_cast<int>(ChunkQuery::memory)] = matrix({compose("h1:9101", "web", "/h1/web", {{0, 10}}), hostless});
  a[static_cast<int>(ChunkQuery::cpu)] = matrix({hostless});
  b[static_cast<int>(ChunkQuery::memory)] = matrix({compose("h1:9101", "web", "/h1/web", {{60000, 11}}), hostless});
  fold.fold_chunk(a, 60000, sink);
  fold.fold_chunk(b, 60000, sink);
  EXPECT_EQ(sink.calls, (std::vector<std::string>{"start /service/web@h1/ h1:9101//h1/web 0 0",
                                                  "memory /service/web@h1/ h1:9101//h1/web 0 10",
                                                  "memory /service/web@h1/ h1:9101//h1/web 60 11"}));
  EXPECT_EQ(fold.grouping().compose_without_host, 1);  // one label set, whatever the metric or chunk
  EXPECT_EQ(fold.grouping().compose_containers, 1);
}

TEST(PrometheusQueries, KeepGapsAndJoinMatchers) {
  auto q = prometheus_chunk_queries(R"(namespace="shop")", 60000);
  EXPECT_EQ(q[static_cast<int>(ChunkQuery::memory)],
            R"(last_over_time(container_memory_working_set_bytes{container!="",container!="POD",namespace="shop"}[59999ms]))"
            R"( or last_over_time(container_memory_working_set_bytes{container="",pod="",name!="",namespace="shop"}[59999ms]))");
  EXPECT_EQ(q[static_cast<int>(ChunkQuery::memory_limit)],
            R"(last_over_time(kube_pod_container_resource_limits{resource="memory",namespace="shop"}[59999ms]))"
            R"( or last_over_time(kube_pod_container_resource_limits_memory_bytes{namespace="shop"}[59999ms]))"
            R"( or last_over_time(container_spec_memory_limit_bytes{container="",pod="",name!="",namespace="shop"}[59999ms]))");
  EXPECT_EQ(q[static_cast<int>(ChunkQuery::restarts)],
            R"(last_over_time(kube_pod_container_status_restarts_total{namespace="shop"}[59999ms]))");
  EXPECT_EQ(q[static_cast<int>(ChunkQuery::cfs_throttled_periods)],
            R"(last_over_time(container_cpu_cfs_throttled_periods_total{container!="",container!="POD",namespace="shop"}[59999ms]))"
            R"( or last_over_time(container_cpu_cfs_throttled_periods_total{container="",pod="",name!="",namespace="shop"}[59999ms]))");
  auto o = prometheus_owner_queries("", 600000);
  EXPECT_EQ(o[0], "max by (namespace,pod,owner_kind,owner_name) (last_over_time(kube_pod_owner{}[600000ms]))");
}

TEST(PrometheusChunks, StayUnderThePointBoundAndCoverTheWindow) {
  auto chunks = plan_chunks(0, 999 * 60000, 60000, 400);  // 1000 points
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].start_ms, 0);
  EXPECT_EQ(chunks[0].end_ms, 399 * 60000);
  EXPECT_EQ(chunks[1].start_ms, 400 * 60000);
  EXPECT_EQ(chunks[2].end_ms, 999 * 60000);
  for (const TimeChunk& c : chunks) EXPECT_LE((c.end_ms - c.start_ms) / 60000 + 1, 400);
  EXPECT_EQ(plan_chunks(0, 0, 60000, 400).size(), 1u);
}

TEST(PrometheusClient, NormalizesUrls) {
  EXPECT_EQ(*normalize_prometheus_url("http://127.0.0.1:9090/"), "http://127.0.0.1:9090");
  EXPECT_EQ(*normalize_prometheus_url("https://thanos.example/prom//"), "https://thanos.example/prom");
  EXPECT_EQ(normalize_prometheus_url("127.0.0.1:9090").error().message,
            "--prometheus 127.0.0.1:9090: expected an http:// or https:// URL");
  EXPECT_EQ(normalize_prometheus_url("http://").error().message, "--prometheus http://: no host");
  EXPECT_EQ(normalize_prometheus_url("http://h/?x=1").error().code, ErrorCode::usage);
  EXPECT_EQ(prometheus_time(1700000000500), "1700000000.500");
  EXPECT_EQ(prometheus_time(60000), "60");
}

TEST(PrometheusHistory, RefusesBadOptionsBeforeAnyRequest) {
  RecordingSink sink;
  PrometheusHistoryOptions o;
  o.server.base_url = "http://127.0.0.1:1";
  o.start_ms = 0;
  o.end_ms = 60000;
  o.max_points_per_query = 11001;
  EXPECT_EQ(read_prometheus_history(o, sink).error().message,
            "--max-points must be 2..11000 (Prometheus refuses more per series)");
  o.max_points_per_query = 100;
  o.step_ms = 10;
  EXPECT_EQ(read_prometheus_history(o, sink).error().message, "--step must be at least 1s");
}

}  // namespace
}  // namespace stackfit
