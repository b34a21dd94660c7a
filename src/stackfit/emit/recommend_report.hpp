// What `stackfit recommend` prints: per service declared vs recommended
// memory request/limit and CPU request, confidence, status, then the reasons.
// JSON twin: schema "stackfit.recommend/1", documented in docs/recommend-json.md
// (read by `apply --from` and `plan --from`; field names are a contract).
#pragma once

#include <cstdint>
#include <string>

#include "stackfit/analyze/recommend_report.hpp"
#include "stackfit/emit/output_format.hpp"
#include "stackfit/util/clock.hpp"  // format_utc, which the reports share

namespace stackfit {

inline constexpr const char* k_recommend_schema = "stackfit.recommend/1";

[[nodiscard]] std::string render_recommend_report(const RecommendReport& report, OutputFormat format);

}  // namespace stackfit
