// What `stackfit history` prints: per workload and container, the samples,
// peak / p95 / average working set, CPU p95 / peak, the declared limit, OOM
// kills and starts that stackfit read from a history source. JSON twin
// documented in docs/prometheus.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stackfit/analyze/usage_summary.hpp"
#include "stackfit/emit/output_format.hpp"

namespace stackfit {

inline constexpr int k_history_schema_version = 1;

struct HistoryReport {
  std::string source;  // the Prometheus URL
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::int64_t step_ms = 0;
  std::int64_t chunks = 0;
  std::int64_t queries = 0;
  std::int64_t retries = 0;
  std::int64_t points = 0;
  std::vector<std::string> warnings;  // non-empty only with --allow-partial
  std::vector<UsageSummary> workloads;
};

[[nodiscard]] std::string render_history_report(const HistoryReport& report, OutputFormat format);

}  // namespace stackfit
