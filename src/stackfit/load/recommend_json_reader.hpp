// Reads `stackfit recommend --format json` output (schema
// "stackfit.recommend/1", docs/recommend-json.md) back into ResourceTargets,
// for `apply --from` and `plan --from`. Strict: anything that is not the
// schema is refused with "file:line:col: reason" (bad_input), never guessed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "stackfit/model/resource_target.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

struct RecommendFile {
  // One entry per service with status "ok" or "trend", in file order.
  std::vector<RecommendedTarget> services;
  // Just the targets of `services`, for the writers.
  [[nodiscard]] std::vector<ResourceTarget> targets() const;
  // Services with status "not_enough_data" (nothing recommended), by name.
  std::vector<std::string> not_enough_data;
};

// `text` is the file's content, `file` its name for messages.
[[nodiscard]] Expected<RecommendFile> parse_recommend_json(std::string_view text, const std::string& file);

// Reads and parses a file ("-" reads standard input).
[[nodiscard]] Expected<RecommendFile> read_recommend_json(const std::string& path);

}  // namespace stackfit
