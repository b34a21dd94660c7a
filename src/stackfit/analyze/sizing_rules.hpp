// The lint rules of `check`: each has a stable id and a severity, and runs on
// the declared Stack (with runtime hints already detected).
#pragma once

#include <vector>

#include "stackfit/analyze/finding.hpp"
#include "stackfit/model/stack.hpp"

namespace stackfit {

struct RuleInfo {
  const char* id;
  Severity severity;
  const char* summary;
};

// Every rule, for `check --list-rules` and docs/rules.md.
[[nodiscard]] const std::vector<RuleInfo>& sizing_rules();

// Runs every rule; findings in service order, then stack-wide ones.
[[nodiscard]] std::vector<Finding> run_sizing_rules(const Stack& stack);

// Engine minimum for a memory limit (Docker refuses less than 6 MiB).
inline constexpr std::int64_t k_engine_min_memory_bytes = 6 * 1024 * 1024;

}  // namespace stackfit
