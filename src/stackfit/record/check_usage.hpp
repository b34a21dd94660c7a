// `check --db`: the usage rules (analyze/usage_rules.hpp) over the history a
// store recorded, each container judged against what it declared then.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stackfit/analyze/finding.hpp"
#include "stackfit/analyze/usage_rules.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

struct UsageCheckRequest {
  std::string db_path;
  std::int64_t from_ns = 0;
  std::int64_t to_ns = 0;
  std::optional<std::string> project;  // only this Compose project's containers
  UsageRuleOptions options;
};

// One scan of the window (memory: one small struct per container). Errors:
// not_found "<db>: no sample store (record history first with `stackfit
// record`)" when the file does not exist; the store's open and read errors.
[[nodiscard]] Expected<std::vector<Finding>> check_recorded_usage(const UsageCheckRequest& request);

}  // namespace stackfit
