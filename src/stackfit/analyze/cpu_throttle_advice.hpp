// A CPU limit from throttling history: what the recommender keeps about a
// workload's CFS throttling (CpuThrottleHistory, fixed size), and the rule
// that raises, lowers or keeps a declared CPU limit from it
// (advise_cpu_limit). Without a CPU limit in force nothing is advised: a
// service without one is never throttled, and stackfit sets none (KRR and
// VPA set none either). Formulas and defaults: docs/recommend.md, "CPU
// limits from throttling". Only computes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "stackfit/model/quantity.hpp"
#include "stackfit/model/sample.hpp"

namespace stackfit {

// Fewer CFS periods than this (10 s of busy time at the default 100 ms
// period) say too little to move a limit: it is kept, and the reason says so.
inline constexpr std::int64_t k_min_throttle_periods = 100;

struct CpuThrottleHistory {
  CpuThrottling total;                   // summed over the window and the instances
  std::optional<Millicores> limit_seen;  // largest CPU limit the source reported
  void add(const CpuThrottling& t) { total += t; }
  void limit(Millicores m) {
    if (!limit_seen || *limit_seen < m) limit_seen = m;
  }
};

// What the advice is computed from.
struct CpuLimitInputs {
  std::optional<Millicores> declared_limit;  // the stack's (or recorded) limit; else history's limit_seen
  double p99_millicores = 0;                 // steady-state CPU use, 99th percentile
  Millicores peak;                           // highest CPU rate seen
  Millicores request;                        // the CPU request being recommended
};

struct CpuLimitRules {
  double target = 0.05;  // throttled share of periods to stay under (0.01..0.10)
  double margin = 0.15;  // on p99 use when raising
  Millicores step{10};   // round up to a multiple of this
};

enum class CpuLimitChange { none, kept, raised, lowered };
[[nodiscard]] const char* to_string(CpuLimitChange c);

struct CpuLimitAdvice {
  CpuLimitChange change = CpuLimitChange::none;  // none: no limit in force
  std::optional<Millicores> limit_in_force;
  std::optional<Millicores> limit;       // the new limit when raised or lowered
  std::int64_t periods = 0;              // CFS periods in the window
  std::int64_t throttled_periods = 0;
  std::optional<double> throttled_ratio; // throttled_periods / periods (0..1); nullopt without periods
  std::string reason;                    // "" when change is none
};

// The rule (target t, throttled share s, limit L, p99 use p, peak k):
//  - no limit in force: none;
//  - fewer than k_min_throttle_periods periods: kept;
//  - s > t: raised to round_up(max(L * (1 + s), p * (1 + margin), request)),
//    at least L + step: a throttled share is demand the limit cut off;
//  - s <= t / 10 and round_up(max(2 * p, k, request)) < L: lowered to that
//    (twice the p99 leaves room for bursts shorter than a sample);
//  - otherwise kept.
[[nodiscard]] CpuLimitAdvice advise_cpu_limit(const CpuThrottleHistory& history, const CpuLimitInputs& in,
                                              const CpuLimitRules& rules);

}  // namespace stackfit
