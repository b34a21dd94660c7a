#include "stackfit/analyze/sizing_rules.hpp"

#include <gtest/gtest.h>

#include <set>

#include "stackfit/util/file_io.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

Service service(std::string name, std::optional<Bytes> limit = std::nullopt) {
  Service s;
  s.name = std::move(name);
  s.kind = "service";
  s.resources.memory_limit = limit;
  s.declared_at = SourceLocation{std::make_shared<const std::string>("compose.yaml"), 3, 3};
  return s;
}

Stack compose(std::vector<Service> services) {
  Stack st;
  st.kind = StackKind::compose;
  st.services = std::move(services);
  return st;
}

// "id|severity|service|message" for compact, exact comparisons.
std::vector<std::string> lines(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) {
    out.push_back(f.rule_id + "|" + to_string(f.severity) + "|" + f.service + "|" + f.message);
  }
  return out;
}

using Lines = std::vector<std::string>;

TEST(SizingRules, ListHasUniqueIdsAndSummaries) {
  std::set<std::string> ids;
  for (const RuleInfo& r : sizing_rules()) {
    EXPECT_TRUE(ids.insert(r.id).second) << r.id;
    EXPECT_NE(std::string(r.summary), "");
  }
  EXPECT_EQ(ids.size(), 12u);
  EXPECT_TRUE(ids.count("healthcheck-storm"));
}

TEST(SizingRules, ComposeServiceWithoutLimit) {
  auto f = run_sizing_rules(compose({service("worker")}));
  EXPECT_EQ(lines(f), Lines{"memory-limit-missing|warning|worker|no memory limit declared: the service can take "
                            "all the memory of the host"});
  EXPECT_EQ(f[0].where.to_string(), "compose.yaml:3:3");
}

TEST(SizingRules, ZeroLimitMeansNoLimit) {
  auto f = run_sizing_rules(compose({service("worker", Bytes{0})}));
  EXPECT_EQ(lines(f).size(), 1u);
  EXPECT_EQ(f[0].rule_id, "memory-limit-missing");
}

TEST(SizingRules, KubernetesRequestsMissingOnlyWhenNeitherRequestNorLimit) {
  Stack st;
  st.kind = StackKind::kubernetes;
  Service bare = service("bare");
  bare.kind = "Deployment";
  Service limited = service("limited", Bytes{256 * k_mib});
  limited.resources.cpu_limit = Millicores{500};
  st.services = {bare, limited};
  EXPECT_EQ(lines(run_sizing_rules(st)),
            (Lines{"memory-limit-missing|warning|bare|no memory limit declared: a container can take all the memory "
                   "of its node",
                   "memory-request-missing|warning|bare|no memory request declared: the scheduler places the pod as "
                   "if it needed no memory",
                   "cpu-request-missing|warning|bare|no CPU request declared: the scheduler places the pod as if it "
                   "needed no CPU"}));
}

TEST(SizingRules, RequestAboveLimitMemoryAndCpu) {
  Service s = service("api", Bytes{256 * k_mib});
  s.resources.memory_request = Bytes{512 * k_mib};
  s.resources.cpu_request = Millicores{2000};
  s.resources.cpu_limit = Millicores{500};
  EXPECT_EQ(lines(run_sizing_rules(compose({s}))),
            (Lines{"request-above-limit|failure|api|memory request 512 MiB is above the memory limit 256 MiB",
                   "request-above-limit|failure|api|CPU request 2 is above the CPU limit 0.5"}));
}

TEST(SizingRules, LimitBelowEngineMinimum) {
  EXPECT_EQ(lines(run_sizing_rules(compose({service("tiny", Bytes{4 * k_mib})}))),
            Lines{"limit-below-engine-minimum|failure|tiny|memory limit 4 MiB is below the 6 MiB minimum the "
                  "container engine accepts"});
  EXPECT_TRUE(run_sizing_rules(compose({service("ok", Bytes{6 * k_mib})})).empty());
}

Service with_hints(Service s, RuntimeHints h) {
  Container c;
  c.name = s.name;
  c.hints = h;
  s.hints = h;
  s.containers = {c};
  return s;
}

TEST(SizingRules, JvmHeapTooLarge) {
  RuntimeHints h;
  h.kind = RuntimeKind::jvm;
  h.jvm_max_heap = Bytes{900 * k_mib};
  EXPECT_EQ(lines(run_sizing_rules(compose({with_hints(service("api", Bytes{k_gib}), h)}))),
            Lines{"jvm-heap-too-large|failure|api|JVM max heap 900 MiB is 88% of the 1 GiB memory limit (keep it at "
                  "or below 75%)"});
  h.jvm_max_heap = Bytes{768 * k_mib};  // exactly 75%: allowed
  EXPECT_TRUE(run_sizing_rules(compose({with_hints(service("api", Bytes{k_gib}), h)})).empty());
  h.jvm_max_heap = Bytes{771 * k_mib};  // 75.3% shows its decimal
  EXPECT_EQ(run_sizing_rules(compose({with_hints(service("api", Bytes{k_gib}), h)}))[0].message,
            "JVM max heap 771 MiB is 75.3% of the 1 GiB memory limit (keep it at or below 75%)");
}

TEST(SizingRules, JvmMaxRamPercentageAboveThreshold) {
  RuntimeHints h;
  h.kind = RuntimeKind::elasticsearch;
  h.jvm_max_ram_percentage = 90.0;
  EXPECT_EQ(lines(run_sizing_rules(compose({with_hints(service("es", Bytes{2 * k_gib}), h)}))),
            Lines{"jvm-heap-too-large|failure|es|JVM -XX:MaxRAMPercentage=90 sizes the heap at 90% of the 2 GiB "
                  "memory limit (keep it at or below 75%)"});
  h.jvm_max_ram_percentage = 75.0;
  EXPECT_TRUE(run_sizing_rules(compose({with_hints(service("es", Bytes{2 * k_gib}), h)})).empty());
}

TEST(SizingRules, JvmUncappedOnlyUnderALimit) {
  RuntimeHints h;
  h.kind = RuntimeKind::jvm;
  EXPECT_EQ(lines(run_sizing_rules(compose({with_hints(service("kafka", Bytes{k_gib}), h)}))),
            Lines{"jvm-heap-uncapped|warning|kafka|JVM sets neither -Xmx nor -XX:MaxRAMPercentage under the 1 GiB "
                  "memory limit: its default heap depends on the JVM version (set it explicitly)"});
  auto unlimited = lines(run_sizing_rules(compose({with_hints(service("kafka"), h)})));
  EXPECT_EQ(unlimited.size(), 1u);
  EXPECT_TRUE(unlimited[0].starts_with("memory-limit-missing|"));
}

TEST(SizingRules, Neo4jHeapCountsAsJvmHeap) {
  RuntimeHints h;
  h.kind = RuntimeKind::neo4j;
  h.neo4j_heap_max = Bytes{k_gib};
  EXPECT_EQ(run_sizing_rules(compose({with_hints(service("graph", Bytes{k_gib}), h)}))[0].message,
            "JVM max heap 1 GiB is 100% of the 1 GiB memory limit (keep it at or below 75%)");
}

TEST(SizingRules, PostgresSharedBuffersWarnAndFail) {
  RuntimeHints h;
  h.kind = RuntimeKind::postgres;
  h.postgres_shared_buffers = Bytes{256 * k_mib};
  EXPECT_TRUE(run_sizing_rules(compose({with_hints(service("db", Bytes{k_gib}), h)})).empty());
  h.postgres_shared_buffers = Bytes{384 * k_mib};
  EXPECT_EQ(lines(run_sizing_rules(compose({with_hints(service("db", Bytes{k_gib}), h)}))),
            Lines{"postgres-shared-buffers-too-large|warning|db|PostgreSQL shared_buffers 384 MiB is 38% of the "
                  "1 GiB memory limit (keep it at or below 25%)"});
  h.postgres_shared_buffers = Bytes{512 * k_mib};
  EXPECT_EQ(lines(run_sizing_rules(compose({with_hints(service("db", Bytes{k_gib}), h)}))),
            Lines{"postgres-shared-buffers-too-large|failure|db|PostgreSQL shared_buffers 512 MiB is 50% of the "
                  "1 GiB memory limit (keep it at or below 25%)"});
}

TEST(SizingRules, RedisMaxmemoryMissingZeroAndAboveLimit) {
  RuntimeHints h;
  h.kind = RuntimeKind::redis;
  const std::string missing =
      "redis-maxmemory-missing|warning|cache|Redis has no maxmemory under the 512 MiB memory limit: it grows until "
      "the container is OOM-killed (set --maxmemory below the limit)";
  EXPECT_EQ(lines(run_sizing_rules(compose({with_hints(service("cache", Bytes{512 * k_mib}), h)}))), Lines{missing});
  h.redis_maxmemory = Bytes{0};  // redis: 0 means no limit
  EXPECT_EQ(lines(run_sizing_rules(compose({with_hints(service("cache", Bytes{512 * k_mib}), h)}))), Lines{missing});
  h.redis_maxmemory = Bytes{k_gib};
  EXPECT_EQ(lines(run_sizing_rules(compose({with_hints(service("cache", Bytes{512 * k_mib}), h)}))),
            Lines{"redis-maxmemory-above-limit|failure|cache|Redis maxmemory 1 GiB is above the 512 MiB memory "
                  "limit (keep it well below: Redis needs room beyond its data)"});
  h.redis_maxmemory = Bytes{384 * k_mib};
  EXPECT_TRUE(run_sizing_rules(compose({with_hints(service("cache", Bytes{512 * k_mib}), h)})).empty());
}

TEST(SizingRules, NodeHeapAboveLimit) {
  RuntimeHints h;
  h.kind = RuntimeKind::node;
  h.node_max_old_space = Bytes{2 * k_gib};
  EXPECT_EQ(lines(run_sizing_rules(compose({with_hints(service("web", Bytes{k_gib}), h)}))),
            Lines{"node-heap-above-limit|failure|web|Node.js --max-old-space-size 2 GiB is above the 1 GiB memory "
                  "limit"});
  h.node_max_old_space = Bytes{k_gib};
  EXPECT_TRUE(run_sizing_rules(compose({with_hints(service("web", Bytes{k_gib}), h)})).empty());
}

TEST(SizingRules, KubernetesContainersAreCheckedOneByOneWithTheirNames) {
  Stack st;
  st.kind = StackKind::kubernetes;
  Service s = service("search", Bytes{3 * k_gib});
  s.resources.memory_request = Bytes{3 * k_gib};
  s.resources.cpu_request = Millicores{1000};
  Container es;
  es.name = "es";
  es.resources.memory_limit = Bytes{2 * k_gib};
  es.hints.kind = RuntimeKind::elasticsearch;
  es.hints.jvm_max_heap = Bytes{2 * k_gib};
  Container exporter;
  exporter.name = "exporter";
  exporter.role = ContainerRole::sidecar;
  exporter.resources.memory_limit = Bytes{k_gib};
  exporter.resources.memory_request = Bytes{2 * k_gib};
  s.containers = {es, exporter};
  st.services = {s};
  EXPECT_EQ(lines(run_sizing_rules(st)),
            (Lines{"request-above-limit|failure|search|container exporter: memory request 2 GiB is above the memory "
                   "limit 1 GiB",
                   "jvm-heap-too-large|failure|search|container es: JVM max heap 2 GiB is 100% of the 2 GiB memory "
                   "limit (keep it at or below 75%)"}));
}

Service checked(std::string name, std::optional<std::int64_t> interval_ms) {
  Service s = service(std::move(name), Bytes{128 * k_mib});
  s.healthcheck = Healthcheck{};
  s.healthcheck->interval_ms = interval_ms;
  return s;
}

TEST(SizingRules, HealthcheckStormNamesTheServicesAfterPerServiceFindings) {
  Service off = checked("off", 5000);
  off.healthcheck->disabled = true;
  auto f = run_sizing_rules(compose({service("nolimit"), checked("api", 5000), checked("db", 5000), off,
                                     checked("redis", 5000), checked("web", 10000), checked("a", std::nullopt),
                                     checked("b", std::nullopt)}));
  EXPECT_EQ(lines(f), (Lines{"memory-limit-missing|warning|nolimit|no memory limit declared: the service can take "
                             "all the memory of the host",
                             "healthcheck-storm|warning||3 services check health every 5 s in step: api, db, redis "
                             "(stagger intervals or start periods so the checks do not pile up at start-up)"}));
  EXPECT_EQ(f[1].where.line, 0u);
}

TEST(SizingRules, HealthcheckStormCountsComposeDefaultInterval) {
  auto f = run_sizing_rules(compose({checked("a", std::nullopt), checked("b", 30000), checked("c", std::nullopt)}));
  EXPECT_EQ(lines(f), Lines{"healthcheck-storm|warning||3 services check health every 30 s in step: a, b, c "
                            "(stagger intervals or start periods so the checks do not pile up at start-up)"});
}

}  // namespace
}  // namespace stackfit

namespace stackfit {
namespace {

TEST(SizingRules, DocsRulesMdDescribesEveryRule) {
  auto doc = read_file(testing::source_path("docs/rules.md"));
  ASSERT_TRUE(doc) << doc.error().message;
  for (const RuleInfo& r : sizing_rules()) {
    EXPECT_NE(doc->find(std::string("### ") + r.id + " — "), std::string::npos) << r.id;
  }
  for (const char* id : {"budget-exceeded", "limits-overcommit", "requests-exceed-limits-budget", "cpu-exceeds-budget",
                         "budget-unbounded"}) {
    EXPECT_NE(doc->find(std::string("`") + id + "`"), std::string::npos) << id;
  }
}

}  // namespace
}  // namespace stackfit
