#include "stackfit/plan/fit_plan.hpp"

#include <gtest/gtest.h>

#include "stackfit/plan/tighten.hpp"

namespace stackfit {
namespace {

Bytes mib(std::int64_t n) { return Bytes{n * k_mib}; }

Service svc(std::string name, std::int64_t limit_mib, Priority priority = Priority::normal, std::int64_t replicas = 1) {
  Service s;
  s.name = std::move(name);
  s.kind = "service";
  s.resources.memory_limit = mib(limit_mib);
  s.priority = priority;
  s.replicas = replicas;
  return s;
}

PlanTarget target(std::int64_t memory_mib, std::int64_t reserve_mib) {
  return PlanTarget{"box", mib(memory_mib), mib(reserve_mib), Millicores{2000}, 0.02};
}

const PlanOption* option(const Plan& p, const std::string& id) {
  for (const PlanOption& o : p.options) {
    if (o.id == id) return &o;
  }
  return nullptr;
}

TEST(FitPlan, FitsWithHeadroomAndTheLargestServiceThatCouldBeAdded) {
  Stack st;
  st.services = {svc("api", 256), svc("db", 512)};
  Plan p = make_plan(st, target(2048, 48), MachineCatalog::builtin(), {}, PlanSettings{0.10});
  EXPECT_TRUE(p.fits);
  EXPECT_EQ(p.budget, mib(2000));
  EXPECT_EQ(p.usable, mib(1800));
  EXPECT_EQ(p.committed, mib(768));
  EXPECT_EQ(p.headroom_left, mib(1032));
  EXPECT_EQ(p.largest_addable, mib(1032));
  EXPECT_TRUE(p.options.empty());
}

TEST(FitPlan, DropTakesOptionalServicesByExactKnapsack) {
  // 1000 MiB usable, 1400 committed: "metrics" + "mail" (300) are not enough;
  // switching off "search" (600) alone is, and costs one service.
  Stack st;
  st.services = {svc("api", 500, Priority::critical), svc("search", 600, Priority::optional),
                 svc("metrics", 200, Priority::optional), svc("mail", 100, Priority::optional)};
  Plan p = make_plan(st, target(1000, 0), MachineCatalog::builtin(), {}, PlanSettings{0});
  EXPECT_FALSE(p.fits);
  const PlanOption* b = option(p, "B");
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->fits);
  EXPECT_EQ(b->dropped, (std::vector<std::string>{"search"}));
  EXPECT_EQ(b->committed, mib(800));
  EXPECT_EQ(b->saved, mib(600));
  ASSERT_EQ(b->targets.size(), 1u);
  EXPECT_EQ(b->targets[0].service, "search");
  EXPECT_EQ(b->targets[0].replicas, 0);
}

TEST(FitPlan, DropPrefersFewerReplicasOfOptionalOverSwitchingOff) {
  Stack st;
  st.services = {svc("api", 400, Priority::critical), svc("worker", 100, Priority::optional, 4)};
  Plan p = make_plan(st, target(700, 0), MachineCatalog::builtin(), {}, PlanSettings{0});
  const PlanOption* b = option(p, "B");
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->fits);
  EXPECT_TRUE(b->dropped.empty());
  ASSERT_EQ(b->changes.size(), 1u);
  EXPECT_EQ(b->changes[0].replicas_after, 3);
}

TEST(FitPlan, MoveListsTheCheapestMachinesThatFit) {
  Stack st;
  st.services = {svc("api", 3000, Priority::critical)};
  MachineCatalog c = MachineCatalog::builtin();
  Plan p = make_plan(st, target(1024, 256), c, {}, PlanSettings{0.10});
  const PlanOption* move = option(p, "C");
  ASSERT_NE(move, nullptr);
  ASSERT_TRUE(move->machine);
  EXPECT_GE(move->candidates.size(), 3u);
  for (std::size_t i = 1; i < move->candidates.size(); ++i) {
    EXPECT_LE(*move->candidates[i - 1].price_per_month, *move->candidates[i].price_per_month);
  }
  for (const PlanMachine& m : move->candidates) EXPECT_GE(m.usable, mib(3000)) << m.name;
  // Nothing is cheaper among the catalog's priced machines that fit.
  for (const Machine& m : c.machines()) {
    if (!m.price_per_hour_usd) continue;
    if (usable_memory(m.memory, m.os_reserve, 0.10) < mib(3000)) continue;
    EXPECT_GE(*m.price_per_hour_usd * k_hours_per_month + 0.006, *move->machine->price_per_month) << m.name;
  }
  // Nothing else can help: the plain-language note names the smallest machine.
  ASSERT_FALSE(p.notes.empty());
  EXPECT_NE(p.notes[0].find("Nothing can be dropped or tightened"), std::string::npos) << p.notes[0];
  ASSERT_TRUE(p.smallest_fitting);
  EXPECT_NE(p.notes[0].find(p.smallest_fitting->name), std::string::npos);
}

TEST(FitPlan, TightenWithoutHistoryUsesTheRuntimeSetting) {
  Stack st;
  Service jvm = svc("app", 2048, Priority::critical);
  jvm.hints.kind = RuntimeKind::jvm;
  jvm.hints.jvm_max_heap = mib(512);
  st.services = {jvm, svc("db", 300, Priority::critical)};
  Plan p = make_plan(st, target(1200, 0), MachineCatalog::builtin(), {}, PlanSettings{0});
  const PlanOption* a = option(p, "A");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->fits);
  // 512 MiB heap + max(128, 160) MiB = 672 MiB, already a multiple of 16 MiB.
  EXPECT_EQ(a->committed, mib(672 + 300));
  EXPECT_EQ(a->saved, mib(2048 - 672));
  EXPECT_EQ(a->risk, Risk::high);
  ASSERT_EQ(a->targets.size(), 1u);
  EXPECT_EQ(a->targets[0].resources.memory_limit, mib(672));
}

TEST(FitPlan, TightenFromRecommendationsThenDropWhenNeitherAloneFits) {
  Stack st;
  st.services = {svc("api", 1000, Priority::critical), svc("search", 800, Priority::optional)};
  RecommendedTarget rec;
  rec.target.service = "api";
  rec.target.resources.memory_limit = mib(400);
  rec.confidence = 0.9;
  rec.status = "ok";
  Plan p = make_plan(st, target(600, 0), MachineCatalog::builtin(), {rec}, PlanSettings{0});
  const PlanOption* a = option(p, "A");
  const PlanOption* b = option(p, "B");
  const PlanOption* ab = option(p, "A+B");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_NE(ab, nullptr);
  EXPECT_FALSE(a->fits);  // 400 + 800
  EXPECT_FALSE(b->fits);  // 1000
  EXPECT_TRUE(ab->fits);  // 400
  EXPECT_EQ(ab->committed, mib(400));
  EXPECT_EQ(ab->saved, mib(1400));
  EXPECT_EQ(ab->dropped, (std::vector<std::string>{"search"}));
  EXPECT_EQ(a->risk, Risk::low);
  // Ranked: options that fit come first.
  EXPECT_TRUE(p.options.front().fits);
}

TEST(Tighten, RequestFollowsALowerLimit) {
  // Declared 450 MiB request and limit (a Kubernetes limit-only container
  // gets request = limit); recommended limit 225 MiB: the request must not
  // stay at 450 MiB (request > limit is invalid), it becomes 225 MiB. CPU
  // request 500m above a recommended 200m limit likewise.
  Stack st;
  Service s = svc("grafana", 450);
  s.resources.memory_request = mib(450);
  s.resources.cpu_request = Millicores{500};
  st.services = {s};
  RecommendedTarget rec;
  rec.target.service = "grafana";
  rec.target.resources.memory_limit = mib(225);
  rec.target.resources.cpu_limit = Millicores{200};
  TightenResult t = tighten(st, {rec});
  ASSERT_EQ(t.changed.size(), 1U);
  EXPECT_EQ(t.stack.services[0].resources.memory_request, mib(225));
  EXPECT_EQ(t.stack.services[0].resources.memory_limit, mib(225));
  EXPECT_EQ(t.stack.services[0].resources.cpu_request, Millicores{200});
}

TEST(FitPlan, TightenThenMoveIsCheaperThanMoveAlone) {
  Stack st;
  st.services = {svc("api", 6000, Priority::critical)};
  RecommendedTarget rec;
  rec.target.service = "api";
  rec.target.resources.memory_limit = mib(1500);
  rec.confidence = 0.9;
  rec.status = "ok";
  Plan p = make_plan(st, target(1024, 256), MachineCatalog::builtin(), {rec}, PlanSettings{0.10});
  const PlanOption* c = option(p, "C");
  const PlanOption* ac = option(p, "A+C");
  ASSERT_NE(c, nullptr);
  ASSERT_NE(ac, nullptr);
  EXPECT_LT(*ac->machine->price_per_month, *c->machine->price_per_month);
  EXPECT_EQ(ac->committed, mib(1500));
}

TEST(TightenHeuristic, PerRuntimeKind) {
  RuntimeHints es;
  es.kind = RuntimeKind::elasticsearch;
  es.jvm_max_heap = mib(1024);
  EXPECT_EQ(heuristic_memory(es), mib(2048));
  RuntimeHints redis;
  redis.kind = RuntimeKind::redis;
  redis.redis_maxmemory = mib(100);
  EXPECT_EQ(heuristic_memory(redis), mib(160));  // 150 rounded up to 16 MiB
  RuntimeHints pg;
  pg.kind = RuntimeKind::postgres;
  pg.postgres_shared_buffers = mib(128);
  EXPECT_EQ(heuristic_memory(pg), mib(512));
  RuntimeHints node;
  node.kind = RuntimeKind::node;
  node.node_max_old_space = mib(1024);
  EXPECT_EQ(heuristic_memory(node), mib(1280));
  RuntimeHints none;
  EXPECT_FALSE(heuristic_memory(none));
}

}  // namespace
}  // namespace stackfit
