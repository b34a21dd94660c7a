// The `adaptive` memory-limit strategy, stackfit's default (docs/recommend.md,
// "adaptive"; proof: docs/backtest.md).
//
// A workload's steady-state readings are kept as one summary per hour (max,
// mean, kills) over the last 28 days. The limit comes from one of two places:
//  - the base model: the largest reading of the last 7 days, plus 5 %, plus a
//    headroom of min(192 MiB, 30 % of that reading) — an absolute cushion for
//    large services, a relative one for small ones;
//  - on a young history (8 to 23 scored hours), Autopilot's ensemble (Rzadca
//    et al., "Autopilot: workload autoscaling at Google", EuroSys 2020, §4.2):
//    50 models, the maximum over a trailing window (1, 3, 7, 14, 28 days) times
//    a margin (2 % to 200 %), replayed over the hours — an hour whose maximum
//    went above a model's limit costs it an overrun, any other hour its unused
//    share; costs decay with a half-life of a week — and the cheapest wins.
//    With a day or more, the base model did better on every real trace
//    (docs/backtest.md says by how much), so it decides from then on.
// Either way the limit covers the start-up peaks of the window, and after an
// OOM kill at limit L it stays at least L x 1.5 for a day and at least VPA's
// bump, max(L x 1.2, L + 100 MiB), for a week.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stackfit {

struct AdaptiveOptions {
  // The ensemble.
  std::array<std::int64_t, 5> window_hours{24, 72, 168, 336, 672};
  std::array<double, 10> margins{1.03, 1.05, 1.08, 1.12, 1.18, 1.25, 1.40, 1.70, 2.20, 3.00};
  double overrun_cost = 40;        // per hour whose maximum went above the model's limit
  double slack_cost = 1;           // per hour, times the unused share of the model's limit
  double half_life_hours = 168;    // costs halve every week
  std::int64_t min_scored_hours = 8;        // fewer: the base model
  std::int64_t ensemble_until_hours = 24;   // this many or more: the base model
  double oom_demand_ratio = 1.2;   // a kill at limit L is taken to have wanted L x this
  // The base model.
  std::int64_t base_window_hours = 168;
  double base_margin = 0.05;
  std::int64_t headroom_bytes = 192LL * 1024 * 1024;
  double headroom_max_share = 0.30;
  // After a kill at limit L.
  double oom_step = 1.5;             // at least L x this ...
  std::int64_t oom_hold_hours = 24;  // ... for this long; then, while the kill is
  std::int64_t oom_bump_hours = 168;  // within this many hours, VPA's bump:
  double oom_bump_ratio = 1.2;        // max(L x ratio, L + min bump)
  std::int64_t oom_min_bump_bytes = 100LL * 1024 * 1024;
};

// One hour of one workload.
struct HourSummary {
  std::int32_t hour = 0;            // hours since the Unix epoch
  std::uint32_t count = 0;          // steady-state readings
  std::int64_t max_bytes = 0;       // largest steady-state reading
  double sum_bytes = 0;             // of the steady-state readings
  std::int64_t startup_max_bytes = 0;  // largest start-up reading
  std::int64_t oom_limit_bytes = -1;   // largest limit in force at a kill this hour; -1: no kill
  std::uint32_t oom_kills = 0;
};

// The hours of one workload, oldest first, the last 28 days (older hours
// fall out as newer ones arrive). Readings may come out of order (replicas).
class HourlyEnvelope {
 public:
  static constexpr std::int32_t k_span_hours = 28 * 24;
  void add(std::int64_t t_ns, std::int64_t bytes, bool startup);
  // A kill at t; `limit_bytes` in force then, -1 when unknown (then the
  // largest reading of that hour stands for it).
  void add_oom(std::int64_t t_ns, std::int64_t limit_bytes, std::int64_t kills = 1);
  [[nodiscard]] const std::vector<HourSummary>& hours() const { return m_hours; }
  [[nodiscard]] std::size_t state_bytes() const { return m_hours.capacity() * sizeof(HourSummary); }

 private:
  HourSummary* bucket(std::int64_t t_ns);  // nullptr: older than the span
  std::vector<HourSummary> m_hours;
  // The last hour's span in ns: readings in it (nearly all) skip the division.
  std::int64_t m_back_from_ns = 0;
  std::int64_t m_back_to_ns = 0;
};

struct AdaptiveChoice {
  std::int64_t limit_bytes = 0;
  bool base_model = false;         // the base model decided (else the ensemble's winner)
  std::int64_t window_hours = 0;   // the deciding model's window
  double margin = 0;               // and its margin (base: 1 + base_margin)
  std::int64_t headroom_bytes = 0; // base model: the headroom added
  double cost = 0;                 // ensemble: the winner's cost ...
  double runner_up_cost = 0;       // ... and the next cheapest
  std::int64_t scored_hours = 0;
  std::int64_t overrun_hours = 0;  // ensemble: the winner's overruns in the scored hours
  std::int64_t startup_bytes = 0;  // start-up peak the limit had to cover (0: none)
  std::int64_t oom_floor_bytes = 0;  // the floor after a recent kill (0: none)
  [[nodiscard]] std::string model_name() const;  // "base: max 7d x1.05 + 192 MiB", "max 3d x1.10"
};

// The limit now for the hours of `envelope`; nullopt without readings.
[[nodiscard]] std::optional<AdaptiveChoice> choose_adaptive_limit(const HourlyEnvelope& envelope,
                                                                  const AdaptiveOptions& options);

}  // namespace stackfit
