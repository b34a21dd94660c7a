// What `stackfit recommend` prints: per service declared vs recommended
// memory request/limit and CPU request, confidence, status, then the reasons.
// JSON twin: schema "stackfit.recommend/1", documented in docs/recommend-json.md
// (read by `apply --from` and `plan --from`; field names are a contract).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stackfit/analyze/recommendation.hpp"
#include "stackfit/emit/output_format.hpp"

namespace stackfit {

inline constexpr const char* k_recommend_schema = "stackfit.recommend/1";

struct RecommendReport {
  std::string source_kind = "store";  // "store" | "prometheus"
  std::string location;               // store path or server URL
  std::int64_t from_ns = 0;
  std::int64_t to_ns = 0;
  Strategy strategy = Strategy::adaptive;
  Profile profile = Profile::prod;
  std::vector<Recommendation> services;
  // One line each, printed under the table (and as "notes" in JSON), e.g. a
  // recorded service that is no longer in the stack.
  std::vector<std::string> notes;
};

[[nodiscard]] std::string render_recommend_report(const RecommendReport& report, OutputFormat format);

// "2026-11-20T10:00:00Z"
[[nodiscard]] std::string format_utc(std::int64_t t_ns);

}  // namespace stackfit
