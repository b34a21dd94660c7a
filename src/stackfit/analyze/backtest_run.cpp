#include "stackfit/analyze/backtest_run.hpp"

#include <memory>

namespace stackfit {

Expected<BacktestResult> run_backtest(const UsageSeriesSet& set, const std::vector<std::string>& strategies,
                                      const RecommendOptions& recommend_options, const ReplayOptions& replay_options) {
  BacktestResult result;
  result.options = replay_options;
  result.strategies = strategies.empty() ? backtest_strategy_names() : strategies;
  result.default_strategy = to_string(RecommendOptions{}.strategy);
  for (const std::string& name : result.strategies) {
    if (name == "declared") continue;
    auto probe = make_limit_strategy(name, recommend_options);  // names checked before any work
    TRY(probe);
  }
  result.totals.resize(result.strategies.size());
  std::vector<UsagePoint> points;
  for (std::size_t i = 0; i < set.size(); ++i) {
    set.copy_points(i, points);
    BacktestSeriesResult series{set.id(i), static_cast<std::int64_t>(points.size()), {}};
    for (std::size_t k = 0; k < result.strategies.size(); ++k) {
      std::unique_ptr<LimitStrategy> strategy;
      if (result.strategies[k] != "declared") strategy = *make_limit_strategy(result.strategies[k], recommend_options);
      series.scores.push_back(replay_series(points, strategy.get(), replay_options));
      result.totals[k] += series.scores.back();
    }
    result.points += series.points;
    if (!series.scores.empty() && series.scores.front().evaluated_points > 0) ++result.series_evaluated;
    result.series.push_back(std::move(series));
  }
  return result;
}

}  // namespace stackfit
