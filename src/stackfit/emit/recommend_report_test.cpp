#include "stackfit/emit/recommend_report.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace stackfit {
namespace {

RecommendReport sample_report() {
  RecommendReport r;
  r.strategy = Strategy::peak;
  r.location = "s.db";
  r.from_ns = 1'764'000'000'000'000'000;
  r.to_ns = r.from_ns + 3600LL * 1'000'000'000;
  Recommendation ok;
  ok.key = WorkloadKey{"", "service", "cache", ""};
  ok.status = RecommendationStatus::ok;
  ok.strategy = Strategy::peak;
  ok.samples = 500;
  ok.history_ns = 3600LL * 1'000'000'000;
  ok.confidence = 0.04166;
  ok.recommended.memory_request = Bytes{64 * k_mib};
  ok.recommended.memory_limit = Bytes{128 * k_mib};
  ok.recommended.cpu_request = Millicores{120};
  ok.declared.memory_limit = Bytes{k_gib};
  ok.peak = Bytes{100 * k_mib};
  ok.knobs.push_back(RuntimeKnobValue{RuntimeKnob::redis_maxmemory, Bytes{96 * k_mib}, "allkeys-lru", "75% of the 128 MiB limit"});
  ok.reasons = {"memory limit: peak 100 MiB, \"quoted\", +15% margin"};
  Recommendation none;
  none.key = WorkloadKey{"", "service", "db", ""};
  none.strategy = Strategy::peak;
  none.reasons = {"no samples in the window: nothing recommended"};
  r.services = {ok, none};
  r.notes = {"service \"old\" was recorded"};
  return r;
}

TEST(RecommendReport, JsonFollowsTheContract) {
  auto j = nlohmann::json::parse(render_recommend_report(sample_report(), OutputFormat::json));
  EXPECT_EQ(j["schema"], "stackfit.recommend/1");
  EXPECT_EQ(j["source"]["kind"], "store");
  EXPECT_EQ(j["source"]["from"], "2025-11-24T16:00:00Z");
  EXPECT_EQ(j["strategy"], "peak");
  EXPECT_EQ(j["profile"], "prod");
  const auto& s = j["services"][0];
  EXPECT_EQ(s["name"], "cache");
  EXPECT_EQ(s["kind"], "service");
  EXPECT_EQ(s["namespace"], "");
  EXPECT_EQ(s["container"], "");
  EXPECT_EQ(s["status"], "ok");
  EXPECT_EQ(s["history_seconds"], 3600);
  EXPECT_DOUBLE_EQ(s["confidence"].get<double>(), 0.04);
  EXPECT_EQ(s["memory"]["request_bytes"], 64 * k_mib);
  EXPECT_EQ(s["memory"]["limit_bytes"], 128 * k_mib);
  EXPECT_TRUE(s["memory"]["declared_request_bytes"].is_null());
  EXPECT_EQ(s["memory"]["declared_limit_bytes"], k_gib);
  EXPECT_TRUE(s["memory"]["trend_bytes_per_hour"].is_null());
  EXPECT_EQ(s["cpu"]["request_millicores"], 120);
  EXPECT_TRUE(s["cpu"]["limit_millicores"].is_null());
  EXPECT_EQ(s["runtime"][0]["knob"], "redis_maxmemory");
  EXPECT_EQ(s["runtime"][0]["bytes"], 96 * k_mib);
  EXPECT_EQ(s["runtime"][0]["policy"], "allkeys-lru");
  EXPECT_EQ(s["oom_kills"], 0);
  EXPECT_EQ(s["reasons"].size(), 1u);
  const auto& n = j["services"][1];
  EXPECT_EQ(n["status"], "not_enough_data");
  EXPECT_TRUE(n["memory"]["request_bytes"].is_null());
  EXPECT_TRUE(n["memory"]["limit_bytes"].is_null());
  EXPECT_TRUE(n["cpu"]["request_millicores"].is_null());
  EXPECT_TRUE(n["runtime"].empty());
  EXPECT_EQ(j["notes"][0], "service \"old\" was recorded");
}

TEST(RecommendReport, CsvQuotesReasonsAndLeavesUnknownEmpty) {
  std::string csv = render_recommend_report(sample_report(), OutputFormat::csv);
  EXPECT_NE(csv.find("cache,ok,peak,500,0.04,67108864,134217728,120,,1073741824,,104857600,0,0,"
                     "\"memory limit: peak 100 MiB, \"\"quoted\"\", +15% margin\"\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("db,not_enough_data,peak,0,0.00,,,,,,,,0,0,no samples in the window: nothing recommended\n"),
            std::string::npos)
      << csv;
}

TEST(RecommendReport, TableShowsDeclaredToRecommendedAndNotes) {
  std::string t = render_recommend_report(sample_report(), OutputFormat::table);
  EXPECT_NE(t.find("1 GiB -> 128 MiB"), std::string::npos) << t;
  EXPECT_NE(t.find("not_enough_data"), std::string::npos);
  EXPECT_NE(t.find("note: service \"old\" was recorded"), std::string::npos);
  EXPECT_NE(t.find("  - no samples in the window: nothing recommended"), std::string::npos);
}

}  // namespace
}  // namespace stackfit
