// `stackfit cleanup` output: what a dry run would remove, or what --force
// removed. JSON twin documented in docs/cleanup-json.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stackfit/analyze/cleanup_plan.hpp"
#include "stackfit/emit/output_format.hpp"

namespace stackfit {

inline constexpr int k_cleanup_schema_version = 1;

struct CleanupReport {
  bool dry_run = true;
  CleanupPlan plan;
  // --force only: per item (same order as plan.items), "" when removed, else
  // the engine's refusal; and the bytes reclaimed (items removed, build
  // cache as the engine counted it).
  std::vector<std::string> errors;
  Bytes reclaimed;
};

[[nodiscard]] std::string render_cleanup(const CleanupReport& report, OutputFormat format);

}  // namespace stackfit
