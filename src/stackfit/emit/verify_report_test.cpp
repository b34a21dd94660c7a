#include "stackfit/emit/verify_report.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace stackfit {
namespace {

VerifyOutcome mismatched() {
  VerifyOutcome o;
  o.project = "shop";
  o.checked = {{"db", "shop_db_1", "abc"}};
  o.mismatches = {{"db", "shop_db_1", "abc", VerifyField::memory_limit, 64 << 20, 128 << 20},
                  {"db", "shop_db_1", "abc", VerifyField::cpu_limit, std::nullopt, 500}};
  o.not_running = {"cache"};
  o.undeclared = {{"old", "shop_old_1", "def"}};
  return o;
}

TEST(VerifyReport, JsonNamesEveryProblem) {
  auto j = nlohmann::json::parse(render_verify(mismatched(), OutputFormat::json));
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["project"], "shop");
  EXPECT_EQ(j["matches"], false);
  ASSERT_EQ(j["mismatches"].size(), 2u);
  EXPECT_EQ(j["mismatches"][0]["field"], "memory_limit");
  EXPECT_EQ(j["mismatches"][0]["unit"], "bytes");
  EXPECT_EQ(j["mismatches"][0]["declared"], 64 << 20);
  EXPECT_EQ(j["mismatches"][0]["running"], 128 << 20);
  EXPECT_EQ(j["mismatches"][1]["unit"], "millicores");
  EXPECT_TRUE(j["mismatches"][1]["declared"].is_null());
  EXPECT_EQ(j["not_running"][0], "cache");
  EXPECT_EQ(j["undeclared"][0]["container"], "shop_old_1");
  EXPECT_EQ(j["checked"][0]["id"], "abc");
}

TEST(VerifyReport, TableHasOneRowPerProblem) {
  std::string text = render_verify(mismatched(), OutputFormat::table);
  EXPECT_EQ(text.rfind("stackfit verify: project shop: MISMATCH (2 differing values, 1 services not running, "
                       "1 containers of undeclared services)\n",
                       0),
            0u)
      << text;
  EXPECT_NE(text.find("memory_limit"), std::string::npos);
  EXPECT_NE(text.find("not running"), std::string::npos);
  EXPECT_NE(text.find("shop_old_1"), std::string::npos);
  EXPECT_NE(text.find("not set"), std::string::npos);
}

TEST(VerifyReport, MatchIsOneLine) {
  VerifyOutcome o;
  o.project = "shop";
  o.checked = {{"db", "shop_db_1", "abc"}};
  std::string text = render_verify(o, OutputFormat::table);
  EXPECT_EQ(text,
            "stackfit verify: project shop: 1 running containers carry the declared memory limit, reservation and "
            "CPU limit\n");
  EXPECT_EQ(nlohmann::json::parse(render_verify(o, OutputFormat::json))["matches"], true);
}

}  // namespace
}  // namespace stackfit
