// `stackfit plan --startup` output: the waves,
// their expected peaks against the budget, each service's start-up figures
// and what the Compose override changes. JSON twin: docs/startup-json.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stackfit/emit/output_format.hpp"
#include "stackfit/plan/budget_fit.hpp"
#include "stackfit/plan/startup_waves.hpp"

namespace stackfit {

inline constexpr int k_startup_schema_version = 1;

struct StartupReport {
  StartupPlan plan;
  std::vector<StartupOverride> overrides;  // startup_overrides(plan)
  std::optional<Budget> target;            // --budget / --machine; plan.budget is its available()
  std::string history;                     // the store read (--db), "" when none
  std::int64_t window_ms = 0;              // start-up window used for measurements
  std::string written_file;                // --write FILE, "" when none
};

[[nodiscard]] std::string render_startup(const StartupReport& report, OutputFormat format);

}  // namespace stackfit
