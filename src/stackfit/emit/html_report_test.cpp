#include "stackfit/emit/html_report.hpp"

#include <gtest/gtest.h>

#include "stackfit/emit/svg_chart.hpp"

namespace stackfit {
namespace {

constexpr std::int64_t k_s = 1'000'000'000;
const std::string k_hostile = "<script>alert(\"x\")</script>'a&b";

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

struct Fixture {
  RecommendReport recommend;
  ReportTimelines timelines;
  std::string page(std::optional<ReportBudget> budget = std::nullopt) {
    HtmlReportInput in{"demo", &recommend, &timelines, 60 * k_s, budget, nullptr, nullptr};
    return render_html_report(in);
  }
};

Fixture two_services() {
  TimelineBuilder b(100, k_s);
  WorkloadKey web{"", "service", "web", ""}, hostile{"", "service", k_hostile, ""};
  b.start(web, "c1", 0);
  for (std::int64_t i = 0; i < 20; ++i) b.memory(web, "c1", i * k_s, Bytes{(i + 1) << 20});
  b.oom_kill(web, "c1", 19 * k_s);
  b.start(web, "c1", 20 * k_s);
  b.memory(hostile, "h1", 5 * k_s, Bytes{1 << 20});  // one reading only
  Fixture f;
  f.timelines = b.finish();
  Recommendation r;
  r.key = web;
  r.declared.memory_limit = Bytes{20 << 20};
  r.recommended.memory_limit = Bytes{32 << 20};
  f.recommend.services.push_back(r);
  return f;
}

TEST(HtmlEscape, EscapesEveryCharacterThatCouldOpenMarkup) {
  EXPECT_EQ(html_escape(k_hostile), "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;a&amp;b");
}

TEST(SvgChart, AGapBreaksTheLineAndValuesScaleToTheAxis) {
  SvgChart chart(ChartFrame{0, k_s, 4, 100, true}, "c", "label", 100, 100);
  chart.line({100, -1, 0, 50}, "memory");
  std::string svg = chart.text();
  auto d = svg.substr(svg.find("class=\"memory\" d=\"") + 18);
  d = d.substr(0, d.find('"'));
  // Plot x 64..92 (4 buckets of 7 px, drawn at their middles), y 8 (top = 100) .. 78 (0).
  EXPECT_EQ(d, "M67.5,8M81.5,78L88.5,43");
}

TEST(HtmlReport, OneChartPairPerServiceWithMarkersAndLevels) {
  Fixture f = two_services();
  std::string page = f.page(ReportBudget{"t3.small", Bytes{1 << 30}});
  EXPECT_EQ(count(page, "class=\"service\""), 2u);
  EXPECT_EQ(count(page, "data-service=\"web\""), 1u);
  EXPECT_EQ(count(page, "class=\"chart memory-chart\""), 2u);
  EXPECT_EQ(count(page, "class=\"chart cpu-chart\""), 2u);
  EXPECT_EQ(count(page, "class=\"marker oom\""), 1u);
  EXPECT_EQ(count(page, "class=\"marker restart\""), 1u);
  EXPECT_EQ(count(page, "class=\"startup\""), 2u);  // the first start and the restart
  EXPECT_NE(page.find("limit 20 MiB"), std::string::npos);
  EXPECT_NE(page.find("recommended 32 MiB"), std::string::npos);
  EXPECT_NE(page.find("t3.small after reserve: 1 GiB"), std::string::npos);
  EXPECT_NE(page.find("class=\"memory dot\""), std::string::npos);  // the one-reading service shows a dot
}

TEST(HtmlReport, UserTextNeverBecomesMarkupAndNothingIsFetched) {
  Fixture f = two_services();
  std::string page = f.page();
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find(k_hostile), std::string::npos);
  EXPECT_NE(page.find("data-service=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;a&amp;b\""),
            std::string::npos);
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
  EXPECT_EQ(page.find("src="), std::string::npos);
}

TEST(HtmlReport, AnEmptyHistoryStillGivesAWholePage) {
  Fixture f;
  TimelineBuilder b;
  b.oom_kill(WorkloadKey{"", "service", "gone", ""}, "c1", 5);  // an event, no reading: no bucket at all
  f.timelines = b.finish();
  std::string page = f.page();
  EXPECT_EQ(page.rfind("</html>\n"), page.size() - 8);
  EXPECT_EQ(count(page, "class=\"service\""), 1u);
  EXPECT_EQ(count(page, "class=\"marker oom\""), 1u);
}

}  // namespace
}  // namespace stackfit
