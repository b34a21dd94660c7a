#include "stackfit/emit/startup_report.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace stackfit {
namespace {

constexpr std::int64_t k_mi = 1024 * 1024;

StartupReport two_wave_report() {
  auto service = [](const std::string& name, bool checked) {
    StartupService s;
    s.name = name;
    s.startup_peak = Bytes{400 * k_mi};
    s.steady = Bytes{100 * k_mi};
    s.source = StartupSource::measured;
    s.settle_ms = 2300;
    s.starts_observed = 1;
    if (checked) s.healthcheck = Healthcheck{false, 1000, std::nullopt, std::nullopt, std::nullopt};
    return s;
  };
  StartupReport r;
  r.target = Budget{"budget 1000 MiB", Bytes{1000 * k_mi}, Bytes{0}, std::nullopt};
  auto plan = plan_startup({service("s1", true), service("s2", true), service("s3", false)}, r.target->available());
  EXPECT_TRUE(plan);
  r.plan = *plan;
  r.overrides = startup_overrides(r.plan);
  r.history = "rec.db";
  r.window_ms = 10000;
  r.written_file = "docker-compose.startup.yml";
  return r;
}

TEST(StartupReport, JsonCarriesWavesServicesAndOverrides) {
  auto j = nlohmann::json::parse(render_startup(two_wave_report(), OutputFormat::json));
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["budget_bytes"], 1000 * k_mi);
  EXPECT_EQ(j["fits"], true);
  EXPECT_EQ(j["all_at_once_peak_bytes"], 1200 * k_mi);
  EXPECT_EQ(j["all_at_once_fits"], false);
  EXPECT_EQ(j["steady_bytes"], 300 * k_mi);
  ASSERT_EQ(j["waves"].size(), 2u);
  EXPECT_EQ(j["waves"][0]["services"], nlohmann::json::array({"s1", "s2"}));
  EXPECT_EQ(j["waves"][1]["running_bytes"], 200 * k_mi);
  EXPECT_EQ(j["waves"][1]["expected_peak_bytes"], 600 * k_mi);
  EXPECT_EQ(j["waves"][1]["settle_ms"], 2300);
  EXPECT_EQ(j["services"][2]["wave"], 2);
  EXPECT_EQ(j["services"][2]["waits_for"][0]["service"], "s1");
  EXPECT_EQ(j["services"][2]["waits_for"][0]["condition"], "service_healthy");
  EXPECT_EQ(j["services"][1]["healthcheck_override"]["interval_ms"], 1200);
  EXPECT_EQ(j["services"][1]["healthcheck_override"]["start_period_ms"], 3200);
  EXPECT_EQ(j["services"][2]["healthcheck_override"], nullptr);
  EXPECT_EQ(j["override_file"], "docker-compose.startup.yml");
  EXPECT_EQ(j["startup_window_ms"], 10000);
  EXPECT_EQ(j["expected_wait_ms"], nullptr);  // no time to healthy measured
}

TEST(StartupReport, TableShowsVerdictsAndSchedule) {
  std::string text = render_startup(two_wave_report(), OutputFormat::table);
  EXPECT_NE(text.find("all at once: start-up peak 1.2 GiB (does NOT fit), steady 300 MiB\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("staged: 2 waves, highest expected peak 800 MiB (fits)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("s1, s2"), std::string::npos);
  EXPECT_NE(text.find("s1 (healthy), s2 (healthy)"), std::string::npos) << text;
  EXPECT_NE(text.find("interval 1.2 s, start_period 3.2 s"), std::string::npos) << text;
  EXPECT_NE(text.find("- wrote docker-compose.startup.yml"), std::string::npos);
  std::string md = render_startup(two_wave_report(), OutputFormat::markdown);
  EXPECT_NE(md.find("| WAVE |"), std::string::npos) << md;
}

TEST(StartupReport, RecordedHealthIsShownAndSaidToComeFromTheImage) {
  StartupService checked;
  checked.name = "db";
  checked.healthcheck = Healthcheck{false, 1000, std::nullopt, std::nullopt, std::nullopt};
  checked.healthy_ms = 2300;
  checked.healthy_starts = 2;
  StartupService imaged;
  imaged.name = "web";
  imaged.recorded_healthcheck = Healthcheck{false, 1000, std::nullopt, std::nullopt, std::nullopt};
  imaged.recorded_test = R"(["CMD-SHELL","test -f /ready"])";
  imaged.healthy_ms = 4040;
  imaged.healthy_starts = 1;
  StartupService plain;
  plain.name = "app";
  plain.depends_on = {"db", "web"};
  StartupReport r;
  auto plan = plan_startup({checked, imaged, plain}, std::nullopt);
  ASSERT_TRUE(plan);
  r.plan = *plan;
  r.overrides = startup_overrides(r.plan);
  auto j = nlohmann::json::parse(render_startup(r, OutputFormat::json));
  EXPECT_EQ(j["waves"][0]["healthy_ms"], 4040);
  EXPECT_EQ(j["waves"][1]["healthy_ms"], nullptr);
  EXPECT_EQ(j["expected_wait_ms"], 4040);
  EXPECT_EQ(j["services"][0]["healthcheck_source"], "compose");
  EXPECT_EQ(j["services"][0]["healthy_ms"], 2300);
  EXPECT_EQ(j["services"][0]["healthy_starts"], 2);
  EXPECT_EQ(j["services"][1]["healthcheck"], true);
  EXPECT_EQ(j["services"][1]["healthcheck_source"], "recorded");
  EXPECT_EQ(j["services"][2]["healthcheck_source"], nullptr);
  EXPECT_EQ(j["services"][2]["healthy_ms"], nullptr);
  EXPECT_EQ(j["services"][1]["healthcheck_override"]["start_period_ms"], 5200);  // 5 s + the stagger step
  std::string text = render_startup(r, OutputFormat::table);
  EXPECT_NE(text.find("HEALTHY IN"), std::string::npos) << text;
  EXPECT_NE(text.find("staged: 2 waves, highest expected peak 0 B, last wave starts after about 4.0 s (measured "
                      "times to healthy)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("4.0 s"), std::string::npos) << text;
  EXPECT_NE(text.find("image's; interval 1.2 s, start_period 5.2 s"), std::string::npos) << text;
  EXPECT_NE(text.find("web: no health check in the Compose files"), std::string::npos) << text;
}

}  // namespace
}  // namespace stackfit
