// The backtest's replay protocol (docs/backtest.md), the same for every
// strategy:
//  1. warm-up (`warmup_ns` from the series' first point): nothing is counted;
//     the limit in force is the series' own limit when known, else none;
//  2. at the end of the warm-up and then every `every_ns`, the strategy
//     recommends a limit from what it has seen so far;
//  3. it sees what a real system records: per point min(usage, limit in
//     force), and an OOM kill whenever usage > limit (a point the source
//     recorded as killed wanted one byte more than the limit it had then);
//  4. after a kill (past the warm-up) it recommends again at once, from the
//     history up to that point (the restart), and the replay goes on;
//  5. scored past the warm-up: OOM kills, slack = sum(limit - min(usage,
//     limit)) / sum(limit) over the points with a limit, mean limit, and
//     changes of the limit in force.
// "declared" is replayed without a strategy: its limit is the series' own.
#pragma once

#include <cstdint>
#include <span>

#include "stackfit/analyze/limit_strategy.hpp"
#include "stackfit/model/usage_series.hpp"

namespace stackfit {

struct ReplayOptions {
  std::int64_t warmup_ns = 24LL * 3600 * 1'000'000'000;  // --warmup, default 1d
  std::int64_t every_ns = 24LL * 3600 * 1'000'000'000;   // --every, default 1d
};

// The figures of one strategy on one series (or, summed, on many).
struct ReplayScore {
  std::int64_t oom_events = 0;
  std::int64_t series_with_oom = 0;   // 0 or 1 for one series; summed over many
  std::int64_t evaluated_points = 0;  // past the warm-up
  std::int64_t unlimited_points = 0;  // past the warm-up with no limit in force
  std::int64_t limit_changes = 0;
  long double slack_bytes = 0;        // sum of limit - min(usage, limit)
  long double limit_bytes = 0;        // sum of the limit in force
  std::int64_t recommendations = 0;   // times the strategy was asked (schedule + kills)

  [[nodiscard]] double slack_ratio() const;           // 0 when no point had a limit
  [[nodiscard]] double mean_limit_bytes() const;      // 0 when no point had a limit
  ReplayScore& operator+=(const ReplayScore& other);
};

// Replays `points` (time order) through `strategy`; nullptr replays "declared".
[[nodiscard]] ReplayScore replay_series(std::span<const UsagePoint> points, LimitStrategy* strategy,
                                        const ReplayOptions& options);

}  // namespace stackfit
