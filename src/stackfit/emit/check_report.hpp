// `stackfit check` output: the target, the fit verdict and the findings of
// the sizing rules. JSON twin documented in docs/check-json.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stackfit/analyze/finding.hpp"
#include "stackfit/emit/output_format.hpp"
#include "stackfit/plan/budget_fit.hpp"

namespace stackfit {

inline constexpr int k_check_schema_version = 1;

struct CheckOutcome {
  std::optional<FitResult> fit;   // absent when no --budget/--machine was given
  StackTotals totals;
  std::vector<Finding> findings;  // budget findings first, then rule findings
  bool passed = false;            // exit 0 when true, 1 otherwise
  Severity fail_on = Severity::failure;
  std::optional<std::string> usage_db;  // --db: the store whose history the usage rules judged
};

[[nodiscard]] std::string render_check(const CheckOutcome& outcome, OutputFormat format);

}  // namespace stackfit
