#include "stackfit/plan/core_stack.hpp"

#include <gtest/gtest.h>

#include "stackfit/plan/fit_plan.hpp"
#include "stackfit/plan/startup_waves.hpp"

namespace stackfit {
namespace {

Service svc(std::string name, std::string image, std::int64_t limit_mib, std::vector<std::string> deps = {}) {
  Service s;
  s.name = std::move(name);
  s.kind = "service";
  s.image = std::move(image);
  s.resources.memory_limit = Bytes{limit_mib * k_mib};
  for (auto& d : deps) s.depends_on.push_back(Dependency{std::move(d), "service_started", true});
  return s;
}

Stack shop() {
  Stack st;
  st.services = {svc("postgres", "postgres:16", 512),
                 svc("redis", "redis:7", 128),
                 svc("api", "x/api", 320, {"postgres", "redis"}),
                 svc("nginx", "nginx:1", 64, {"api"}),
                 svc("worker", "x/api", 320, {"redis"}),
                 svc("flower", "mher/flower:2", 128, {"redis"})};
  return st;
}

TEST(CoreStack, TheClosureOfDependsOnIsTheCore) {
  auto core = core_stack(shop(), {"nginx"});
  ASSERT_TRUE(core) << core.error().message;
  EXPECT_EQ(core->services, (std::vector<std::string>{"postgres", "redis", "api", "nginx"}));
  ASSERT_EQ(core->left_out.size(), 2u);
  EXPECT_EQ(core->left_out[0].service, "worker");
  EXPECT_EQ(core->left_out[0].feature, "what worker serves");
  EXPECT_EQ(core->left_out[1].feature, "Flower, a monitoring UI");
  EXPECT_EQ(core->stack.services[4].replicas, 0);
}

TEST(CoreStack, BadInputIsOneLine) {
  auto unknown = core_stack(shop(), {"apii"});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message,
            "--keep: unknown service \"apii\" (services: postgres, redis, api, nginx, worker, flower)");
  auto empty = parse_keep_list("api,,nginx");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message, "--keep: empty service name in \"api,,nginx\"");
  EXPECT_EQ(*parse_keep_list("api, nginx"), (std::vector<std::string>{"api", "nginx"}));
  Stack cyclic = shop();
  cyclic.services[0].depends_on.push_back(Dependency{"api", "service_started", true});
  cyclic.services[0].declared_at = SourceLocation{std::make_shared<const std::string>("compose.yaml"), 2, 3};
  auto acyclic = check_depends_on_acyclic(cyclic);
  ASSERT_FALSE(acyclic);
  EXPECT_EQ(acyclic.error().message, "compose.yaml:2:3: depends_on cycle: postgres → api → postgres");
}

TEST(CoreStack, RunOnlyTheCoreIsOfferedWhenNothingElseFits) {
  Stack st = shop();
  auto core = core_stack(st, {"nginx"});
  ASSERT_TRUE(core);
  PlanSettings settings{0, false, &*core};
  // 1472 MiB committed; the core commits 1024 MiB; 1100 MiB usable.
  Plan p = make_plan(st, PlanTarget{"box", Bytes{1100 * k_mib}, Bytes{0}, Millicores{4000}, 0.01},
                     MachineCatalog::builtin(), {}, settings);
  ASSERT_TRUE(p.core);
  EXPECT_EQ(p.core->committed, Bytes{1024 * k_mib});
  EXPECT_TRUE(p.core->fits);
  const PlanOption* k = nullptr;
  for (const PlanOption& o : p.options) k = o.id == "K" ? &o : k;
  ASSERT_NE(k, nullptr);
  EXPECT_TRUE(k->fits);
  EXPECT_EQ(k->dropped, (std::vector<std::string>{"worker", "flower"}));
  EXPECT_EQ(k->changes[1].reason, "not in the core: Flower, a monitoring UI is gone");
  // With inference, B (flower, an unlabelled UI) is not enough either; with a
  // larger box B fits and K is not offered.
  Plan roomy = make_plan(st, PlanTarget{"box", Bytes{1400 * k_mib}, Bytes{0}, Millicores{4000}, 0.01},
                         MachineCatalog::builtin(), {}, PlanSettings{0, true, &*core});
  for (const PlanOption& o : roomy.options) EXPECT_NE(o.id, "K");
}

}  // namespace
}  // namespace stackfit
