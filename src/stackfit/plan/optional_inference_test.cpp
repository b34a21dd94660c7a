#include "stackfit/plan/optional_inference.hpp"

#include <gtest/gtest.h>

#include "stackfit/plan/fit_plan.hpp"

namespace stackfit {
namespace {

Service svc(std::string name, std::string image, std::int64_t limit_mib) {
  Service s;
  s.name = std::move(name);
  s.kind = "service";
  s.image = std::move(image);
  s.resources.memory_limit = Bytes{limit_mib * k_mib};
  Container c;
  c.name = s.name;
  c.image = s.image;
  s.containers.push_back(c);
  return s;
}

Service with_deps(Service s, std::vector<std::string> deps) {
  for (auto& d : deps) s.depends_on.push_back(Dependency{std::move(d), "service_started", true});
  return s;
}

Service with_profile(Service s, std::string profile) {
  s.profiles.push_back(std::move(profile));
  return s;
}

Service executor(std::string name) {
  Service s = svc(std::move(name), "ghcr.io/x/app:1", 320);
  s.containers[0].command = {"celery", "worker"};
  s.containers[0].environment = {{"BROKER", "redis://redis:6379/0"}};
  return with_deps(s, {"redis"});
}

std::vector<std::string> names(const Stack& st, const std::vector<std::size_t>& idx) {
  std::vector<std::string> out;
  for (std::size_t i : idx) out.push_back(st.services[i].name);
  return out;
}

TEST(OptionalInference, CatalogMatchesTheRepositoryNotTheTagOrRegistry) {
  EXPECT_EQ(catalog_ui_name("mher/flower:2.0"), "Flower");
  EXPECT_EQ(catalog_ui_name("grafana/grafana:11.1.0"), "Grafana");
  EXPECT_EQ(catalog_ui_name("gcr.io/cadvisor/cadvisor:v0.49.1"), "cAdvisor");
  EXPECT_EQ(catalog_ui_name("localhost:5000/dpage/pgadmin4@sha256:abc"), "pgAdmin");
  EXPECT_EQ(catalog_ui_name("jaegertracing/all-in-one:1.57"), "Jaeger");
  EXPECT_EQ(catalog_ui_name("example/all-in-one"), std::nullopt);  // not Jaeger's
  EXPECT_EQ(catalog_ui_name("example/myflower"), std::nullopt);    // whole names only
  EXPECT_EQ(datastore_name("redis:7-alpine"), "Redis");
  EXPECT_EQ(datastore_name("postgis/postgis:16-3.4"), "PostgreSQL");
  EXPECT_EQ(datastore_name("ghcr.io/x/app:1"), std::nullopt);
}

TEST(OptionalInference, ProfileAndCatalogServicesGoWithWhatDependsOnThem) {
  Stack st;
  st.services = {svc("redis", "redis:7", 128),
                 with_deps(svc("flower", "mher/flower:2.0", 128), {"redis"}),
                 with_profile(svc("prometheus", "prom/prometheus:v2", 256), "monitoring"),
                 with_deps(with_profile(svc("grafana", "grafana/grafana:11", 192), "monitoring"), {"prometheus"}),
                 svc("adminer", "adminer:4", 64),
                 with_deps(svc("api", "ghcr.io/x/api:1", 256), {"adminer"})};
  OptionalInference inf = infer_optional(st);
  ASSERT_EQ(inf.drops.size(), 2u);
  EXPECT_EQ(names(st, inf.drops[0].services), (std::vector<std::string>{"flower"}));
  EXPECT_EQ(inf.drops[0].kind, InferenceKind::catalog_ui);
  EXPECT_DOUBLE_EQ(inf.drops[0].confidence, k_confidence_catalog_ui);
  EXPECT_EQ(inf.drops[0].evidence.front(), "flower: image mher/flower:2.0 is Flower, a monitoring UI (docs/plan.md catalog)");
  // Prometheus has a dependent (Grafana), which is a candidate too: one group.
  EXPECT_EQ(names(st, inf.drops[1].services), (std::vector<std::string>{"prometheus", "grafana"}));
  EXPECT_EQ(inf.drops[1].kind, InferenceKind::profile);
  EXPECT_DOUBLE_EQ(inf.drops[1].confidence, k_confidence_profile);
  // Adminer is in the catalog, but the API (which stays) depends on it.
  for (const auto& g : inf.drops) EXPECT_EQ(std::count(g.services.begin(), g.services.end(), 4u), 0);
}

TEST(OptionalInference, LabelsWinAndCriticalIsNeverTouched) {
  Stack st;
  st.services = {svc("flower", "mher/flower:2.0", 128), with_profile(svc("grafana", "grafana/grafana", 192), "mon")};
  st.services[0].priority_declared = true;  // stackfit.priority: normal
  st.services[1].priority = Priority::critical;
  st.services[1].priority_declared = true;
  OptionalInference inf = infer_optional(st);
  EXPECT_TRUE(inf.drops.empty());
}

TEST(OptionalInference, IdenticalExecutorsRunFewerProfileCopiesFirst) {
  Stack st;
  st.services = {svc("redis", "redis:7", 128), executor("executor-1"), with_profile(executor("executor-2"), "extra"),
                 executor("executor-3"), executor("other")};
  st.services[4].containers[0].command = {"celery", "worker", "-Q", "slow"};  // different settings
  OptionalInference inf = infer_optional(st);
  ASSERT_EQ(inf.identical.size(), 1u);
  EXPECT_EQ(names(st, inf.identical[0].services),
            (std::vector<std::string>{"executor-2", "executor-3", "executor-1"}));
  EXPECT_NE(inf.identical[0].evidence.find("3 services from image ghcr.io/x/app:1"), std::string::npos);
  // executor-2's profile is handled by the identical group, not twice.
  EXPECT_TRUE(inf.drops.empty());
}

TEST(OptionalInference, SecondRedisMergesIntoTheLargerWithTheRiskStated) {
  Stack st;
  st.services = {svc("redis-cache", "redis:7-alpine", 64), svc("redis", "redis:7-alpine", 128),
                 svc("postgres", "postgres:16", 512)};
  st.services[0].hints.redis_maxmemory_policy = "allkeys-lru";
  st.services[1].hints.redis_maxmemory_policy = "noeviction";
  OptionalInference inf = infer_optional(st);
  ASSERT_EQ(inf.merges.size(), 1u);
  EXPECT_EQ(inf.merges[0].keep, 1u);
  EXPECT_EQ(inf.merges[0].fold, 0u);
  EXPECT_EQ(inf.merges[0].datastore, "Redis");
  EXPECT_NE(inf.merges[0].risk.find("key collisions"), std::string::npos);
  EXPECT_NE(inf.merges[0].risk.find("Celery broker needs a database index of its own"), std::string::npos);
  EXPECT_NE(inf.merges[0].risk.find("redis: noeviction, redis-cache: allkeys-lru"), std::string::npos);
}

// The whole plan: inferred candidates in option B with evidence, a merge
// only as its own option ranked last, and nothing inferred with --no-infer.
TEST(OptionalInference, PlanOffersInferredDropsAndNeverDefaultsToAMerge) {
  Stack st;
  st.services = {svc("redis", "redis:7", 128), svc("cache", "redis:7", 128), svc("api", "ghcr.io/x/api:1", 256),
                 with_deps(svc("flower", "mher/flower:2.0", 128), {"redis"})};
  PlanTarget target{"box", Bytes{560 * k_mib}, Bytes{0}, Millicores{2000}, 0.01};
  Plan p = make_plan(st, target, MachineCatalog::builtin(), {}, PlanSettings{0, true});
  ASSERT_FALSE(p.options.empty());
  const PlanOption* b = nullptr;
  for (const PlanOption& o : p.options) b = o.id == "B" ? &o : b;
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->fits);
  EXPECT_EQ(b->dropped, (std::vector<std::string>{"flower"}));
  ASSERT_EQ(b->changes.size(), 1u);
  EXPECT_TRUE(b->changes[0].inferred);
  EXPECT_EQ(b->changes[0].confidence, k_confidence_catalog_ui);
  EXPECT_EQ(b->changes[0].reason,
            "inferred (no priority label, confidence 0.5): a monitoring/admin/developer UI that nothing else needs");
  EXPECT_FALSE(b->changes[0].evidence.empty());
  EXPECT_EQ(p.options.back().id, "M");
  EXPECT_TRUE(p.options.back().changes_meaning);
  EXPECT_TRUE(p.options.back().fits);
  EXPECT_EQ(p.options.back().changes[0].merged_into, "redis");
  EXPECT_NE(p.options.front().id, "M");

  Plan labels_only = make_plan(st, target, MachineCatalog::builtin(), {}, PlanSettings{0, false});
  for (const PlanOption& o : labels_only.options) {
    EXPECT_NE(o.id, "M");
    EXPECT_NE(o.id, "B");  // nothing labelled, no replicas: B has nothing
  }
}

}  // namespace
}  // namespace stackfit
