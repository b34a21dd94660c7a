#include "stackfit/analyze/cpu_throttle_advice.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "stackfit/model/cpu_throttling.hpp"

namespace stackfit {
namespace {

// Past this a CPU figure is a broken source's (a million cores).
constexpr double k_max_millicores = 1e9;

std::int64_t round_up_millicores(double value, Millicores step) {
  double v = std::clamp(value, 0.0, k_max_millicores);
  std::int64_t m = static_cast<std::int64_t>(std::ceil(v));
  std::int64_t s = std::max<std::int64_t>(step.count, 1);
  return (m + s - 1) / s * s;
}

std::string percent_text(double ratio) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", ratio * 100);
  return buf;
}

std::string cores(Millicores m) { return format_human_cpu(m); }
std::string cores(double millicores) { return cores(Millicores{std::llround(millicores)}); }

std::string share_text(const CpuLimitAdvice& a) {
  return "throttled in " + percent_text(*a.throttled_ratio) + " of " + std::to_string(a.periods) + " CFS periods";
}

void raise(CpuLimitAdvice& a, const CpuLimitInputs& in, const CpuLimitRules& r) {
  const double limit = static_cast<double>(a.limit_in_force->count);
  const double s = *a.throttled_ratio;
  double wanted = std::max({limit * (1 + s), in.p99_millicores * (1 + r.margin), static_cast<double>(in.request.count)});
  std::int64_t next = std::max(round_up_millicores(wanted, r.step), a.limit_in_force->count + r.step.count);
  a.change = CpuLimitChange::raised;
  a.limit = Millicores{next};
  a.reason = "CPU limit: " + share_text(a) + " (target under " + percent_text(r.target) + "): raised from " +
             cores(*a.limit_in_force) + " to " + cores(*a.limit) + " = max(limit x (1 + " + percent_text(s) +
             "), p99 " + cores(in.p99_millicores) + " + " + percent_text(r.margin) +
             "); record again to see whether the throttling is gone";
}

void lower(CpuLimitAdvice& a, std::int64_t next, const CpuLimitInputs& in) {
  a.change = CpuLimitChange::lowered;
  a.limit = Millicores{next};
  a.reason = "CPU limit: " + share_text(a) + " and p99 use " + cores(in.p99_millicores) + " (peak " + cores(in.peak) +
             ") far below the limit " + cores(*a.limit_in_force) + ": lowered to " + cores(*a.limit) +
             " = max(2 x p99, peak); a limit frees CPU for the others only when it is close to use";
}

}  // namespace

const char* to_string(CpuLimitChange c) {
  switch (c) {
    case CpuLimitChange::none: return "none";
    case CpuLimitChange::kept: return "kept";
    case CpuLimitChange::raised: return "raised";
    case CpuLimitChange::lowered: return "lowered";
  }
  return "none";
}

CpuLimitAdvice advise_cpu_limit(const CpuThrottleHistory& history, const CpuLimitInputs& in, const CpuLimitRules& r) {
  CpuLimitAdvice a;
  a.limit_in_force = in.declared_limit ? in.declared_limit : history.limit_seen;
  a.periods = history.total.periods;
  a.throttled_periods = std::min(history.total.throttled_periods, history.total.periods);
  if (a.periods > 0) a.throttled_ratio = *throttled_percent(history.total) / 100;
  if (!a.limit_in_force || a.limit_in_force->count <= 0) {
    a.limit_in_force.reset();
    return a;  // no limit: never throttled, nothing to advise
  }
  a.change = CpuLimitChange::kept;
  const std::string kept = "CPU limit " + cores(*a.limit_in_force) + " kept: ";
  if (a.periods < k_min_throttle_periods) {
    a.reason = kept + (a.periods == 0 ? std::string("no CFS period counted (it never ran under the limit, or the history has no "
                                                  "throttling figures)")
                                      : "only " + std::to_string(a.periods) + " CFS periods (need " +
                                            std::to_string(k_min_throttle_periods) + ")");
    return a;
  }
  if (*a.throttled_ratio > r.target) {
    raise(a, in, r);
    return a;
  }
  std::int64_t lower_to = round_up_millicores(
      std::max({2 * in.p99_millicores, static_cast<double>(in.peak.count), static_cast<double>(in.request.count)}),
      r.step);
  if (*a.throttled_ratio <= r.target / 10 && lower_to < a.limit_in_force->count) {
    lower(a, lower_to, in);
    return a;
  }
  a.reason = kept + share_text(a) + " (target under " + percent_text(r.target) + ")";
  return a;
}

}  // namespace stackfit
