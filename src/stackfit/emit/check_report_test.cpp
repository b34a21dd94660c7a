#include "stackfit/emit/check_report.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace stackfit {
namespace {

CheckOutcome outcome_with_unbounded_service() {
  CheckOutcome o;
  FitResult fit;
  fit.budget = Budget{"t3.small", Bytes{2 * k_gib}, Bytes{384 * k_mib}, Millicores{2000}};
  fit.totals.memory_committed = Bytes{512 * k_mib};
  fit.totals.unbounded_memory = {"worker"};
  fit.fits = true;
  fit.headroom = Bytes{fit.budget.available().count - 512 * k_mib};
  o.totals = fit.totals;
  o.fit = fit;
  o.findings = {Finding{"memory-limit-missing", Severity::warning, "worker", "no memory limit declared", {}}};
  o.passed = true;
  return o;
}

TEST(CheckReport, VerdictSaysWhenUnlimitedServicesMakeItAFloor) {
  std::string text = render_check(outcome_with_unbounded_service(), OutputFormat::table);
  EXPECT_NE(text.find("target: t3.small: 2 GiB, reserve 384 MiB for OS and engine, 1.6 GiB available, 2 CPUs\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("fits: yes, headroom 1.1 GiB (1 service without a memory limit counted at their request or 0 B)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("result: PASS (0 failures, 1 warnings)\n"), std::string::npos) << text;
}

TEST(CheckReport, JsonCarriesTargetVerdictAndFindings) {
  auto json = nlohmann::json::parse(render_check(outcome_with_unbounded_service(), OutputFormat::json));
  EXPECT_EQ(json["schema_version"], 1);
  EXPECT_EQ(json["passed"], true);
  EXPECT_EQ(json["target"]["available_bytes"], 2 * k_gib - 384 * k_mib);
  EXPECT_EQ(json["fits"], true);
  EXPECT_EQ(json["committed_memory_bytes"], 512 * k_mib);
  ASSERT_EQ(json["findings"].size(), 1u);
  EXPECT_EQ(json["findings"][0]["rule"], "memory-limit-missing");
  EXPECT_EQ(json["findings"][0]["service"], "worker");
  EXPECT_TRUE(json["findings"][0]["location"].is_null());
}

TEST(CheckReport, WithoutTargetTheFitFieldsAreNull) {
  CheckOutcome o;
  o.passed = true;
  auto json = nlohmann::json::parse(render_check(o, OutputFormat::json));
  EXPECT_TRUE(json["target"].is_null());
  EXPECT_TRUE(json["fits"].is_null());
}

}  // namespace
}  // namespace stackfit
