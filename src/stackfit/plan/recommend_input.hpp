// Reads `stackfit recommend --format json` (schema "stackfit.recommend/1",
// /work/recommend-json-contract.md, docs/recommend-json.md) for `plan --from`:
// only the fields option A needs. JSON is read with the YAML tree of load/
// (JSON is YAML 1.2), which gives every error a file:line:col.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "stackfit/model/resource_target.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

struct RecommendedTarget {
  ResourceTarget target;   // memory/cpu request/limit where not null; knobs
  double confidence = 0;   // 0..1
  std::string status;      // "ok" | "trend"
};

// Services whose status is "not_enough_data" are left out. Anything that is
// not the schema (wrong `schema`, wrong types, negative numbers, unknown knob
// or status) is bad_input "file:line:col: services[2].memory.limit_bytes: reason".
[[nodiscard]] Expected<std::vector<RecommendedTarget>> read_recommendations(std::string_view text,
                                                                            const std::string& file);
[[nodiscard]] Expected<std::vector<RecommendedTarget>> read_recommendations_file(const std::string& path);

}  // namespace stackfit
