// A memory-limit strategy as `backtest` replays it (analyze/backtest_replay):
// it sees what a real system records — each reading capped at the limit in
// force, and an OOM kill whenever usage went above it — and, when asked,
// recommends the limit to set from then on.
//
// The strategies: stackfit's own (`adaptive`, `peak`, `percentile`: the
// Recommender itself, fed as `recommend` feeds it) and the peers' formulas as
// their sources compute them (`krr-simple`, `vpa`; constants and files cited
// in docs/backtest.md and beside each constant). Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stackfit/analyze/recommendation.hpp"
#include "stackfit/model/quantity.hpp"

namespace stackfit {

class LimitStrategy {
 public:
  virtual ~LimitStrategy() = default;
  // A reading at t: usage as recorded, never above the limit in force.
  virtual void observe(std::int64_t t_ns, Bytes seen) = 0;
  // The container was OOM-killed at t with `limit` in force; it restarts at once.
  virtual void oom_kill(std::int64_t t_ns, Bytes limit) = 0;
  // The limit in force changed to `limit` at t (nullopt: none).
  virtual void limit_set(std::int64_t t_ns, std::optional<Bytes> limit) = 0;
  // The limit to set from t on, from what was seen before t; nullopt: no
  // recommendation (the limit in force stays).
  [[nodiscard]] virtual std::optional<Bytes> recommend(std::int64_t t_ns) = 0;
};

// Names the backtest knows, in the order its reports list them:
// "declared" (the series' own limit; replayed without a strategy object),
// "krr-simple", "vpa", then stackfit's: "adaptive" (the default), "peak", "percentile".
[[nodiscard]] const std::vector<std::string>& backtest_strategy_names();
// The strategy named `name` (not "declared"); `options` configure stackfit's
// own. Unknown names: usage error listing the known ones.
[[nodiscard]] Expected<std::unique_ptr<LimitStrategy>> make_limit_strategy(std::string_view name,
                                                                          const RecommendOptions& options);

// KRR `simple`: 1.15 x the largest reading of the trailing 14 days, once at
// least 100 readings are in that window (robusta-dev/krr
// robusta_krr/strategies/simple.py, memory_buffer_percentage 15;
// history_duration 336 h and points_required 100 in
// robusta_krr/core/abstract/strategies.py). KRR ignores OOM kills by default.
[[nodiscard]] std::unique_ptr<LimitStrategy> make_krr_simple_strategy();
// The VPA recommender (kubernetes/autoscaler vertical-pod-autoscaler/pkg/
// recommender): one peak per 24 h aggregation interval per container, in a
// decaying histogram (half-life 24 h, first bucket 1e7 B, +5 % per bucket);
// an OOM kill adds the peak max(used x 1.2, used + 100 MiB), used = max(the
// request, the interval's peak); the limit is the upper bound: p95 x 1.15 x
// (1 + 1/confidence), at least 250 MiB.
[[nodiscard]] std::unique_ptr<LimitStrategy> make_vpa_strategy();

}  // namespace stackfit
