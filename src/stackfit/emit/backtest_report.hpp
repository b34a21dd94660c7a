// What `stackfit backtest` prints: per strategy, over all series, OOM kills,
// series killed at least once, slack, mean limit and limit changes; with
// --per-series, the same per series. JSON twin: schema "stackfit.backtest/1",
// documented in docs/backtest-json.md.
#pragma once

#include <string>

#include "stackfit/analyze/backtest_run.hpp"
#include "stackfit/emit/output_format.hpp"

namespace stackfit {

inline constexpr const char* k_backtest_schema = "stackfit.backtest/1";

struct BacktestReport {
  std::string source_kind;  // "csv" | "store" | "prometheus"
  std::string location;     // path or URL
  BacktestResult result;
  bool per_series = false;  // table/markdown/csv: one row per series and strategy too
};

[[nodiscard]] std::string render_backtest_report(const BacktestReport& report, OutputFormat format);

}  // namespace stackfit
