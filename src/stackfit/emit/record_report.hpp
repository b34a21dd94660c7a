// The summary `stackfit record` prints at the end: per service peak, p95 and
// average working set, CPU, OOM kills, restarts, samples, time to healthy. JSON twin
// documented in docs/record-json.md.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "stackfit/analyze/startup_profile.hpp"
#include "stackfit/analyze/usage_summary.hpp"
#include "stackfit/emit/output_format.hpp"

namespace stackfit {

inline constexpr int k_record_schema_version = 1;

struct RecordReport {
  std::string db_path;
  std::int64_t from_ns = 0;
  std::int64_t to_ns = 0;
  std::vector<UsageSummary> services;
  // Time to healthy of the services whose recorded starts turned healthy,
  // by (project, service).
  std::map<std::pair<std::string, std::string>, MeasuredHealthy> time_to_healthy;
};

[[nodiscard]] std::string render_record_report(const RecordReport& report, OutputFormat format);

}  // namespace stackfit
