// `stackfit report`'s page: one self-contained HTML file (inline CSS and
// SVG, no script, nothing fetched) with the stack's total over time against
// its budget, one memory and one CPU chart per workload (element with
// data-service="NAME"), the recommendation and the plan's options as tables.
// Layout and reading guide: docs/report.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "stackfit/analyze/recommend_report.hpp"
#include "stackfit/analyze/report_timeline.hpp"
#include "stackfit/plan/fit_plan.hpp"
#include "stackfit/plan/startup_waves.hpp"

namespace stackfit {

// The memory the stack's total is drawn against.
struct ReportBudget {
  std::string name;  // machine name, or "budget 2 GiB"
  Bytes after_reserve;
};

struct HtmlReportInput {
  std::string title;                         // the project, or the source
  const RecommendReport* recommend = nullptr;  // location, window and per-workload figures (required)
  const ReportTimelines* timelines = nullptr;  // required
  std::int64_t startup_window_ns = 0;        // shaded after each start
  std::optional<ReportBudget> budget;
  const Plan* plan = nullptr;                // options, when a stack and target were given
  const StartupPlan* startup = nullptr;      // start-up waves, when measured
};

[[nodiscard]] std::string render_html_report(const HtmlReportInput& input);

}  // namespace stackfit
