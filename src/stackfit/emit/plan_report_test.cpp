#include "stackfit/emit/plan_report.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace stackfit {
namespace {

Bytes mib(std::int64_t n) { return Bytes{n * k_mib}; }

Plan sample_plan() {
  Stack st;
  for (auto [name, limit, priority] : {std::tuple{"api", 600, Priority::critical},
                                       std::tuple{"search", 500, Priority::optional}}) {
    Service s;
    s.name = name;
    s.kind = "service";
    s.resources.memory_limit = mib(limit);
    s.priority = priority;
    st.services.push_back(s);
  }
  PlanTarget target{"t3.micro", Bytes{k_gib}, mib(256), Millicores{2000}, 0.0104};
  return make_plan(st, target, MachineCatalog::builtin(), {}, PlanSettings{0.10});
}

// Every change names the service, what changes, why and whether it was
// inferred; a merge names the instance it folds into; --keep adds `core`.
TEST(PlanReport, ChangesSayWhatWhyAndWhetherInferred) {
  Stack st;
  for (auto [name, image, limit] : {std::tuple{"redis", "redis:7", 128}, std::tuple{"cache", "redis:7", 64},
                                    std::tuple{"api", "x/api:1", 512}, std::tuple{"flower", "mher/flower:2", 128}}) {
    Service s;
    s.name = name;
    s.kind = "service";
    s.image = image;
    s.resources.memory_limit = mib(limit);
    st.services.push_back(s);
  }
  st.services[3].depends_on.push_back(Dependency{"redis", "service_started", true});
  auto core = core_stack(st, {"api"});
  ASSERT_TRUE(core);
  Plan p = make_plan(st, PlanTarget{"box", mib(700), Bytes{0}, Millicores{2000}, 0.01}, MachineCatalog::builtin(), {},
                     PlanSettings{0, true, &*core});
  auto j = nlohmann::json::parse(render_plan(p, OutputFormat::json));
  EXPECT_EQ(j["core"]["services"], nlohmann::json::array({"api"}));
  EXPECT_EQ(j["core"]["committed_bytes"], 512 * k_mib);
  EXPECT_EQ(j["core"]["fits"], true);
  EXPECT_EQ(j["core"]["left_out"][2]["feature"], "Flower, a monitoring UI");
  bool saw_b = false;
  bool saw_m = false;
  for (const auto& o : j["options"]) {
    if (o["id"] == "B") {
      saw_b = true;
      const auto& c = o["changes"][0];
      EXPECT_EQ(c["service"], "flower");
      EXPECT_EQ(c["what"], "switch off");
      EXPECT_EQ(c["inferred"], true);
      EXPECT_EQ(c["confidence"], 0.5);
      EXPECT_EQ(c["evidence"][0], "flower: image mher/flower:2 is Flower, a monitoring UI (docs/plan.md catalog)");
      EXPECT_TRUE(c["merged_into"].is_null());
      EXPECT_EQ(o["changes_meaning"], false);
    }
    if (o["id"] == "M") {
      saw_m = true;
      EXPECT_EQ(o["changes_meaning"], true);
      EXPECT_EQ(o["changes"][0]["what"], "merge into redis");
      EXPECT_EQ(o["changes"][0]["merged_into"], "redis");
      EXPECT_EQ(o["dropped"], nlohmann::json::array({"cache"}));
    }
  }
  EXPECT_TRUE(saw_b);
  EXPECT_TRUE(saw_m);
  EXPECT_EQ(j["options"].back()["changes_meaning"], true);
}

TEST(PlanReport, JsonHasTheDocumentedKeys) {
  Plan p = sample_plan();
  auto j = nlohmann::json::parse(render_plan(p, OutputFormat::json));
  EXPECT_EQ(j["schema"], "stackfit.plan/1");
  EXPECT_EQ(j["mode"], "machine");
  EXPECT_EQ(j["fits"], false);
  EXPECT_EQ(j["budget_bytes"], 768 * k_mib);
  EXPECT_EQ(j["committed_bytes"], 1100 * k_mib);
  ASSERT_TRUE(j["options"].is_array());
  ASSERT_GE(j["options"].size(), 2u);
  bool saw_b = false;
  bool saw_c = false;
  for (const auto& o : j["options"]) {
    for (const char* key : {"id", "fits", "committed_bytes", "saved_bytes", "dropped", "machine", "risk", "changes"}) {
      EXPECT_TRUE(o.contains(key)) << key;
    }
    if (o["id"] == "B") {
      saw_b = true;
      EXPECT_EQ(o["dropped"], nlohmann::json::array({"search"}));
      EXPECT_EQ(o["saved_bytes"], 500 * k_mib);
      EXPECT_EQ(o["committed_bytes"], 600 * k_mib);
      EXPECT_TRUE(o["machine"].is_null());
    }
    if (o["id"] == "C") {
      saw_c = true;
      for (const char* key : {"name", "memory_bytes", "vcpus", "price_per_month"}) {
        EXPECT_TRUE(o["machine"].contains(key)) << key;
      }
      EXPECT_TRUE(o["machine"]["price_per_month"].is_number());
      EXPECT_EQ(o["machine"]["price_as_of"], "2024-06");
    }
  }
  EXPECT_TRUE(saw_b);
  EXPECT_TRUE(saw_c);
}

TEST(PlanReport, TableSaysWhetherItFitsAndListsOptions) {
  std::string text = render_plan(sample_plan(), OutputFormat::table);
  EXPECT_NE(text.find("does NOT fit"), std::string::npos) << text;
  EXPECT_NE(text.find("search: switch off (priority optional: switched off)"), std::string::npos) << text;
  std::string md = render_plan(sample_plan(), OutputFormat::markdown);
  EXPECT_NE(md.find("| # | OPTION |"), std::string::npos) << md;
}

}  // namespace
}  // namespace stackfit
