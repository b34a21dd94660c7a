// `backtest`: every requested strategy replayed over every series of a set
// (analyze/backtest_replay says how), one series at a time, so only the
// compact series set and one series' points are held. Only computes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stackfit/analyze/backtest_replay.hpp"
#include "stackfit/analyze/recommendation.hpp"
#include "stackfit/model/usage_series.hpp"

namespace stackfit {

struct BacktestSeriesResult {
  std::string id;
  std::int64_t points = 0;
  std::vector<ReplayScore> scores;  // one per strategy, in BacktestResult::strategies' order
};

struct BacktestResult {
  ReplayOptions options;
  std::vector<std::string> strategies;  // names (limit_strategy.hpp)
  std::string default_strategy;         // the one `recommend` uses by default
  std::vector<ReplayScore> totals;      // one per strategy: the sums over the series
  std::vector<BacktestSeriesResult> series;
  std::int64_t points = 0;
  std::int64_t series_evaluated = 0;    // series with at least one point past the warm-up
};

// Replays `series` through each of `strategies` (empty: all of
// backtest_strategy_names()). Errors: an unknown strategy name (usage).
[[nodiscard]] Expected<BacktestResult> run_backtest(const UsageSeriesSet& series,
                                                    const std::vector<std::string>& strategies,
                                                    const RecommendOptions& recommend_options,
                                                    const ReplayOptions& replay_options);

}  // namespace stackfit
