#include "stackfit/plan/startup_waves.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

namespace stackfit {
namespace {

constexpr std::int64_t k_mi = 1024 * 1024;

Healthcheck check_every(std::int64_t interval_ms) {
  Healthcheck hc;
  hc.interval_ms = interval_ms;
  return hc;
}

StartupService svc(const std::string& name, std::int64_t peak_mib, std::int64_t steady_mib, bool healthcheck,
                   std::vector<std::string> deps = {}) {
  StartupService s;
  s.name = name;
  s.startup_peak = Bytes{peak_mib * k_mi};
  s.steady = Bytes{steady_mib * k_mi};
  s.source = StartupSource::measured;
  if (healthcheck) s.healthcheck = check_every(1000);
  s.depends_on = std::move(deps);
  s.declared_at.file = std::make_shared<const std::string>("compose.yml");
  s.declared_at.line = 10;
  s.declared_at.column = 3;
  return s;
}

std::vector<std::vector<std::string>> wave_names(const StartupPlan& plan) {
  std::vector<std::vector<std::string>> out;
  for (const StartupWave& w : plan.waves) {
    out.emplace_back();
    for (std::size_t s : w.services) out.back().push_back(plan.services[s].name);
  }
  return out;
}

using Names = std::vector<std::vector<std::string>>;

TEST(StartupWaves, DependenciesFirstWithoutBudget) {
  auto plan = plan_startup({svc("web", 50, 10, true, {"api"}), svc("api", 50, 10, true, {"db"}),
                            svc("db", 50, 10, true), svc("cache", 50, 10, true)},
                           std::nullopt);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(wave_names(*plan), (Names{{"db", "cache"}, {"api"}, {"web"}}));
  EXPECT_TRUE(plan->fits);
  EXPECT_EQ(plan->all_at_once_peak.count, 200 * k_mi);
  EXPECT_EQ(plan->steady_total.count, 40 * k_mi);
  // Wave 2 starts while db and cache have passed their health checks: steady.
  EXPECT_EQ(plan->waves[1].running.count, 20 * k_mi);
  EXPECT_EQ(plan->waves[1].expected_peak.count, 70 * k_mi);
  EXPECT_EQ(plan->waves[2].cumulative_steady.count, 40 * k_mi);
}

TEST(StartupWaves, LongDependencyChainDoesNotOverflowTheStack) {
  // 100,000 services without health checks, each depending on the next:
  // levels without recursion, and the lists of services still at their peak
  // (n^2 / 2 entries in full) capped.
  constexpr int k_n = 100'000;
  std::vector<StartupService> chain;
  chain.reserve(k_n);
  for (int i = 0; i < k_n; ++i) {
    StartupService s;
    s.name = "s" + std::to_string(i);
    if (i + 1 < k_n) s.depends_on = {"s" + std::to_string(i + 1)};
    chain.push_back(std::move(s));
  }
  auto plan = plan_startup(std::move(chain), std::nullopt);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->waves.size(), static_cast<std::size_t>(k_n));
  EXPECT_EQ(plan->services[0].level, static_cast<std::size_t>(k_n - 1));
  EXPECT_EQ(plan->wave_of[k_n - 1], 0u);
  EXPECT_EQ(plan->waves.back().still_at_peak_count, static_cast<std::size_t>(k_n - 1));
  EXPECT_EQ(plan->waves.back().still_at_peak.size(), k_still_at_peak_names);
}

TEST(StartupWaves, CycleIsAnErrorNamingIt) {
  auto plan = plan_startup({svc("a", 1, 1, true, {"b"}), svc("b", 1, 1, true, {"c"}), svc("c", 1, 1, true, {"a"}),
                            svc("d", 1, 1, true)},
                           std::nullopt);
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, ErrorCode::bad_input);
  EXPECT_EQ(plan.error().message, "compose.yml:10:3: depends_on cycle: a → b → c → a");
}

TEST(StartupWaves, CycleReachedFromOutsideNamesOnlyTheCycle) {
  auto plan = plan_startup({svc("app", 1, 1, true, {"x"}), svc("x", 1, 1, true, {"y"}), svc("y", 1, 1, true, {"x"})},
                           std::nullopt);
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().message, "compose.yml:10:3: depends_on cycle: x → y → x");
}

TEST(StartupWaves, SelfDependencyIsACycle) {
  auto plan = plan_startup({svc("a", 1, 1, true, {"a"})}, std::nullopt);
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().message, "compose.yml:10:3: depends_on cycle: a → a");
}

// Four 400 MiB start-up peaks settling to 100 MiB; 1000 MiB budget.
// Wave 1: s1+s2 = 800. Wave 2: 200 running (steady) + 400 + 400 = 1000.
TEST(StartupWaves, BudgetSplitsALevelCountingStartedServicesAtSteady) {
  auto plan = plan_startup({svc("s1", 400, 100, true), svc("s2", 400, 100, true), svc("s3", 400, 100, true),
                            svc("s4", 400, 100, true)},
                           Bytes{1000 * k_mi});
  ASSERT_TRUE(plan);
  EXPECT_EQ(wave_names(*plan), (Names{{"s1", "s2"}, {"s3", "s4"}}));
  EXPECT_EQ(plan->waves[0].expected_peak.count, 800 * k_mi);
  EXPECT_EQ(plan->waves[1].running.count, 200 * k_mi);
  EXPECT_EQ(plan->waves[1].expected_peak.count, 1000 * k_mi);
  EXPECT_EQ(plan->waves[1].cumulative_steady.count, 400 * k_mi);
  EXPECT_TRUE(plan->fits);
  EXPECT_TRUE(plan->notes.empty());
  EXPECT_EQ(plan->all_at_once_peak.count, 1600 * k_mi);
}

TEST(StartupWaves, LargerPeaksArePlacedFirstAndSmallOnesFillEarlierWaves) {
  // First fit decreasing: 600 | 500+... 400 joins 600 (1000), 300 joins 500.
  auto plan = plan_startup({svc("c", 400, 0, true), svc("d", 300, 0, true), svc("a", 600, 0, true),
                            svc("b", 500, 0, true)},
                           Bytes{1000 * k_mi});
  ASSERT_TRUE(plan);
  EXPECT_EQ(wave_names(*plan), (Names{{"a", "c"}, {"b", "d"}}));
  EXPECT_EQ(plan->waves[1].expected_peak.count, 800 * k_mi);
}

TEST(StartupWaves, DependentsMayJoinALaterWaveWithRoom) {
  // db alone (600) then cache (300 + 100 steady db); api needs db: joins
  // cache's wave only if it fits: 100 + 300 + 500 = 900 > 800, so wave 3.
  auto plan = plan_startup({svc("db", 600, 100, true), svc("cache", 300, 100, true),
                            svc("api", 500, 100, true, {"db"})},
                           Bytes{800 * k_mi});
  ASSERT_TRUE(plan);
  EXPECT_EQ(wave_names(*plan), (Names{{"db"}, {"cache"}, {"api"}}));
  EXPECT_EQ(plan->waves[2].expected_peak.count, 700 * k_mi);

  auto roomy = plan_startup({svc("db", 600, 100, true), svc("cache", 300, 100, true),
                             svc("api", 300, 100, true, {"db"})},
                            Bytes{800 * k_mi});
  ASSERT_TRUE(roomy);
  EXPECT_EQ(wave_names(*roomy), (Names{{"db"}, {"cache", "api"}}));
  EXPECT_EQ(roomy->waves[1].expected_peak.count, 700 * k_mi);
}

TEST(StartupWaves, ServiceWithoutHealthcheckCountsAtPeakUntilAHealthGatedWait) {
  // a (no check) | b (check) | c: while b starts, nothing waited after a: a at
  // its peak; while c starts, b's check was waited on after a started: steady.
  auto plan = plan_startup({svc("a", 500, 100, false), svc("b", 200, 50, true, {"a"}),
                            svc("c", 200, 50, false, {"b"})},
                           std::nullopt);
  ASSERT_TRUE(plan);
  EXPECT_EQ(wave_names(*plan), (Names{{"a"}, {"b"}, {"c"}}));
  EXPECT_EQ(plan->waves[1].running.count, 500 * k_mi);
  EXPECT_EQ(plan->waves[1].still_at_peak, std::vector<std::size_t>{0});
  EXPECT_EQ(plan->waves[1].still_at_peak_count, 1u);
  EXPECT_EQ(plan->waves[2].running.count, 150 * k_mi);
  EXPECT_TRUE(plan->waves[2].still_at_peak.empty());
  EXPECT_EQ(plan->waves[2].still_at_peak_count, 0u);
}

TEST(StartupWaves, NoHealthchecksMeansStagingCannotSeparatePeaks) {
  auto plan = plan_startup({svc("s1", 400, 100, false), svc("s2", 400, 100, false), svc("s3", 400, 100, false)},
                           Bytes{1000 * k_mi});
  ASSERT_TRUE(plan);
  EXPECT_EQ(wave_names(*plan), (Names{{"s1", "s2"}, {"s3"}}));
  EXPECT_EQ(plan->waves[1].expected_peak.count, 1200 * k_mi);
  EXPECT_FALSE(plan->fits);
  ASSERT_EQ(plan->notes.size(), 1u);
  EXPECT_EQ(plan->notes[0], "no service has a health check: nothing makes a wave wait until the previous one has "
                            "settled, so every service counts at its start-up peak; add health checks");
}

TEST(StartupWaves, OversizedServiceIsSaidPlainlyAndStartsAlone) {
  auto plan = plan_startup({svc("small", 300, 100, true), svc("huge", 1500, 200, true)}, Bytes{1000 * k_mi});
  ASSERT_TRUE(plan);
  EXPECT_FALSE(plan->fits);
  // Larger peaks are placed first: huge starts alone, small after it.
  EXPECT_EQ(wave_names(*plan), (Names{{"huge"}, {"small"}}));
  EXPECT_FALSE(plan->waves[0].fits);
  EXPECT_TRUE(plan->waves[1].fits);
  EXPECT_EQ(plan->waves[1].expected_peak.count, 500 * k_mi);
  EXPECT_EQ(plan->oversized, std::vector<std::string>{"huge"});
  ASSERT_EQ(plan->notes.size(), 1u);
  EXPECT_EQ(plan->notes[0],
            "huge: its start-up peak alone (1.5 GiB) exceeds the budget (1000 MiB); no order of start-up can fit it");
}

TEST(StartupWaves, SteadyUsageAboveBudgetIsSaid) {
  auto plan = plan_startup({svc("a", 600, 600, true), svc("b", 600, 600, true)}, Bytes{1000 * k_mi});
  ASSERT_TRUE(plan);
  EXPECT_FALSE(plan->fits);
  ASSERT_EQ(plan->notes.size(), 1u);
  EXPECT_NE(plan->notes[0].find("steady usage (1.2 GiB) exceeds the budget"), std::string::npos) << plan->notes[0];
}

TEST(StartupWaves, ReplicasMultiplyPeaks) {
  StartupService web = svc("web", 300, 100, true);
  web.replicas = 3;
  auto plan = plan_startup({web, svc("db", 200, 100, true)}, Bytes{1000 * k_mi});
  ASSERT_TRUE(plan);
  EXPECT_EQ(wave_names(*plan), (Names{{"web"}, {"db"}}));
  EXPECT_EQ(plan->waves[0].expected_peak.count, 900 * k_mi);
  EXPECT_EQ(plan->waves[1].expected_peak.count, 500 * k_mi);
}

TEST(StartupOverrides, ChainsWavesOnHealthchecksAndStaggersTimings) {
  StartupService s1 = svc("s1", 400, 100, true);
  s1.settle_ms = 2300;
  StartupService s4 = svc("s4", 400, 100, false);
  auto plan = plan_startup({s1, svc("s2", 400, 100, true), svc("s3", 400, 100, true), s4}, Bytes{1000 * k_mi});
  ASSERT_TRUE(plan);
  ASSERT_EQ(wave_names(*plan), (Names{{"s1", "s2"}, {"s3", "s4"}}));
  auto overrides = startup_overrides(*plan);
  ASSERT_EQ(overrides.size(), 4u);
  // s1: first of its wave, interval kept; start_period raised to the settle time.
  EXPECT_EQ(overrides[0].service, "s1");
  EXPECT_TRUE(overrides[0].depends_on.empty());
  ASSERT_TRUE(overrides[0].healthcheck);
  EXPECT_FALSE(overrides[0].healthcheck->interval_ms);
  EXPECT_EQ(overrides[0].healthcheck->start_period_ms, 3000);
  // s2: step = 1000 / (2*2) = 250 -> 200 ms.
  EXPECT_EQ(overrides[1].service, "s2");
  EXPECT_EQ(overrides[1].healthcheck->interval_ms, 1200);
  EXPECT_EQ(overrides[1].healthcheck->start_period_ms, 200);
  // s3 (only checked service of wave 2): no timing change, waits for s1 and s2.
  EXPECT_EQ(overrides[2].service, "s3");
  EXPECT_FALSE(overrides[2].healthcheck);
  ASSERT_EQ(overrides[2].depends_on.size(), 2u);
  EXPECT_EQ(overrides[2].depends_on[0].service, "s1");
  EXPECT_EQ(overrides[2].depends_on[0].condition, "service_healthy");
  EXPECT_EQ(overrides[2].depends_on[1].service, "s2");
  EXPECT_EQ(overrides[3].service, "s4");
  EXPECT_EQ(overrides[3].depends_on.size(), 2u);
}

TEST(StartupOverrides, PreviousWaveWithoutHealthchecksIsAwaitedAsStarted) {
  auto plan = plan_startup({svc("a", 1, 1, false), svc("b", 1, 1, true), svc("c", 1, 1, false, {"a", "b"})},
                           std::nullopt);
  ASSERT_TRUE(plan);
  auto overrides = startup_overrides(*plan);
  ASSERT_EQ(overrides.size(), 1u);
  // Wave 1 has a checked service (b): c waits for b healthy only.
  ASSERT_EQ(overrides[0].depends_on.size(), 1u);
  EXPECT_EQ(overrides[0].depends_on[0].service, "b");

  auto unchecked = plan_startup({svc("a", 1, 1, false), svc("c", 1, 1, false, {"a"})}, std::nullopt);
  ASSERT_TRUE(unchecked);
  auto o = startup_overrides(*unchecked);
  ASSERT_EQ(o.size(), 1u);
  EXPECT_EQ(o[0].depends_on[0].service, "a");
  EXPECT_EQ(o[0].depends_on[0].condition, "service_started");
}

TEST(StartupOverrides, StaggerUsesDockerDefaultIntervalAndKeepsWavesApart) {
  StartupService a = svc("a", 1, 1, true);
  StartupService b = svc("b", 1, 1, true);
  StartupService c = svc("c", 1, 1, true);
  for (StartupService* s : {&a, &b, &c}) s->healthcheck = Healthcheck{};  // no timings: 30 s default
  auto plan = plan_startup({a, b, c}, std::nullopt);
  ASSERT_TRUE(plan);
  auto overrides = startup_overrides(*plan);
  ASSERT_EQ(overrides.size(), 2u);
  // step = 30000 / 6 = 5000 ms.
  EXPECT_EQ(overrides[0].service, "b");
  EXPECT_EQ(overrides[0].healthcheck->interval_ms, 35000);
  EXPECT_EQ(overrides[0].healthcheck->start_period_ms, 5000);
  EXPECT_EQ(overrides[1].healthcheck->interval_ms, 40000);
}

TEST(StartupServices, DeclaredFiguresWithoutHistory) {
  Stack stack;
  Service limited;
  limited.name = "limited";
  limited.resources.memory_limit = Bytes{512 * k_mi};
  limited.resources.memory_request = Bytes{128 * k_mi};
  Service requested;
  requested.name = "requested";
  requested.resources.memory_request = Bytes{64 * k_mi};
  requested.replicas = 2;
  Service bare;
  bare.name = "bare";
  bare.replicas = 5;
  bare.replica_mode = ReplicaMode::per_node;
  bare.depends_on.push_back(Dependency{"limited", "service_healthy", true});
  Service recorded;
  recorded.name = "recorded";
  recorded.resources.memory_limit = Bytes{1024 * k_mi};
  stack.services = {limited, requested, bare, recorded};

  std::map<std::string, MeasuredStartup> measured;
  measured["recorded"] = MeasuredStartup{Bytes{700 * k_mi}, Bytes{200 * k_mi}, 4200, 3};
  auto s = startup_services(stack, measured);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0].source, StartupSource::limit);
  EXPECT_EQ(s[0].startup_peak.count, 512 * k_mi);
  EXPECT_EQ(s[0].steady.count, 128 * k_mi);
  EXPECT_EQ(s[1].source, StartupSource::request);
  EXPECT_EQ(s[1].startup_peak.count, 64 * k_mi);
  EXPECT_EQ(s[1].total_peak().count, 128 * k_mi);
  EXPECT_EQ(s[2].source, StartupSource::none);
  EXPECT_EQ(s[2].replicas, 1);
  EXPECT_EQ(s[2].depends_on, std::vector<std::string>{"limited"});
  EXPECT_EQ(s[3].source, StartupSource::measured);
  EXPECT_EQ(s[3].startup_peak.count, 700 * k_mi);
  EXPECT_EQ(s[3].steady.count, 200 * k_mi);
  EXPECT_EQ(s[3].settle_ms, 4200);
  EXPECT_EQ(s[3].starts_observed, 3);

  auto plan = plan_startup(s, std::nullopt);
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->notes.size(), 1u);
  EXPECT_EQ(plan->notes[0], "bare: no memory limit or request and no recording: counted as 0 B");
}

TEST(StartupWaves, RecordedHealthUsedWhereComposeDeclaresNone) {
  Stack stack;
  Service declared;
  declared.name = "declared";
  declared.healthcheck = check_every(2000);
  Service imaged;  // HEALTHCHECK only in its image
  imaged.name = "imaged";
  Service disabled;  // disabled in Compose: the recording cannot bring one back
  disabled.name = "disabled";
  disabled.healthcheck = Healthcheck{};
  disabled.healthcheck->disabled = true;
  Service app;
  app.name = "app";
  app.depends_on = {Dependency{"declared", "service_started", true}, Dependency{"imaged", "service_started", true},
                    Dependency{"disabled", "service_started", true}};
  stack.services = {declared, imaged, disabled, app};

  const RecordedHealthcheck image_check{R"(["CMD-SHELL","test -f /ready"])", 1'000'000'000, 0, 0, 0};
  std::map<std::string, RecordedHealth> health;
  health["declared"] = RecordedHealth{RecordedHealthcheck{"[\"CMD\",\"true\"]", 2'000'000'000, 0, 0, 0},
                                      MeasuredHealthy{2300, 2100, 2, 0}};
  health["imaged"] = RecordedHealth{image_check, MeasuredHealthy{3400, 3400, 1, 0}};
  health["disabled"] = RecordedHealth{image_check, MeasuredHealthy{9000, 9000, 1, 0}};
  auto s = startup_services(stack, {}, health);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_TRUE(s[0].has_healthcheck());
  EXPECT_FALSE(s[0].recorded_healthcheck.has_value());  // Compose's wins
  EXPECT_EQ(s[0].healthy_ms, 2300);
  EXPECT_EQ(s[0].healthy_starts, 2);
  EXPECT_TRUE(s[1].has_healthcheck());
  ASSERT_TRUE(s[1].recorded_healthcheck.has_value());
  EXPECT_EQ(s[1].recorded_healthcheck->interval_ms, 1000);
  EXPECT_FALSE(s[1].recorded_healthcheck->timeout_ms.has_value());  // 0: the engine's default
  EXPECT_FALSE(s[1].recorded_healthcheck->retries.has_value());
  EXPECT_EQ(s[1].recorded_test, image_check.test);
  EXPECT_FALSE(s[2].has_healthcheck());
  EXPECT_FALSE(s[3].has_healthcheck());

  auto plan = plan_startup(s, std::nullopt);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(wave_names(*plan), (Names{{"declared", "imaged", "disabled"}, {"app"}}));
  // The wave waits for its slowest health-checked service; `disabled` runs no check.
  EXPECT_EQ(plan->waves[0].healthy_ms, 3400);
  EXPECT_FALSE(plan->waves[1].healthy_ms.has_value());
  // Besides the "counted as 0 B" notes of these services without limits, one
  // says where imaged's check comes from.
  const std::string said = "imaged: no health check in the Compose files; the recorded container ran one (from its "
                           "image): " +
                           image_check.test + ", used for the waves";
  EXPECT_EQ(std::count(plan->notes.begin(), plan->notes.end(), said), 1) << ::testing::PrintToString(plan->notes);
  EXPECT_EQ(std::count_if(plan->notes.begin(), plan->notes.end(),
                          [](const std::string& n) { return n.find("health check") != std::string::npos; }),
            1);

  auto overrides = startup_overrides(*plan);
  std::map<std::string, StartupOverride> by_name;
  for (const StartupOverride& o : overrides) by_name[o.service] = o;
  // app waits for both health-checked services, the image's one included.
  ASSERT_EQ(by_name["app"].depends_on.size(), 2u);
  EXPECT_EQ(by_name["app"].depends_on[0].service, "declared");
  EXPECT_EQ(by_name["app"].depends_on[0].condition, "service_healthy");
  EXPECT_EQ(by_name["app"].depends_on[1].service, "imaged");
  EXPECT_EQ(by_name["app"].depends_on[1].condition, "service_healthy");
  // Staggered (n = 2): declared keeps its interval; start_period raised to the
  // time to healthy rounded up to the second. imaged: interval 1 s + step
  // max(100, 1000 / 4 rounded down to 100) = 200 ms; start_period 4 s + 200 ms.
  ASSERT_TRUE(by_name["declared"].healthcheck.has_value());
  EXPECT_FALSE(by_name["declared"].healthcheck->interval_ms.has_value());
  EXPECT_EQ(by_name["declared"].healthcheck->start_period_ms, 3000);
  ASSERT_TRUE(by_name["imaged"].healthcheck.has_value());
  EXPECT_EQ(by_name["imaged"].healthcheck->interval_ms, 1200);
  EXPECT_EQ(by_name["imaged"].healthcheck->start_period_ms, 4200);
  EXPECT_FALSE(by_name.count("disabled"));
}

}  // namespace
}  // namespace stackfit
