#include "stackfit/model/cpu_throttling.hpp"

#include <algorithm>
#include <limits>

namespace stackfit {
namespace {

std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  return a > std::numeric_limits<std::int64_t>::max() - b ? std::numeric_limits<std::int64_t>::max() : a + b;
}

}  // namespace

CpuThrottling& CpuThrottling::operator+=(const CpuThrottling& other) {
  periods = saturating_add(periods, other.periods);
  throttled_periods = saturating_add(throttled_periods, other.throttled_periods);
  throttled_ns = saturating_add(throttled_ns, other.throttled_ns);
  return *this;
}

std::optional<Millicores> cpu_rate_between(std::int64_t before_ns, std::int64_t before_cpu_ns, std::int64_t after_ns,
                                           std::int64_t after_cpu_ns) {
  std::int64_t dt = 0;
  std::int64_t dcpu = 0;
  if (__builtin_sub_overflow(after_ns, before_ns, &dt) || __builtin_sub_overflow(after_cpu_ns, before_cpu_ns, &dcpu)) {
    return std::nullopt;
  }
  if (dt <= 0 || dcpu < 0) return std::nullopt;
  std::int64_t scaled = 0;
  if (!__builtin_mul_overflow(dcpu, 1000, &scaled)) return Millicores{scaled / dt};
  long double rate = static_cast<long double>(dcpu) * 1000 / static_cast<long double>(dt);
  constexpr auto k_max = std::numeric_limits<std::int64_t>::max();
  return Millicores{rate >= static_cast<long double>(k_max) ? k_max : static_cast<std::int64_t>(rate)};
}

std::optional<CpuThrottling> throttling_increase(const Sample& before, const Sample& after) {
  std::int64_t periods = after.cpu_periods - before.cpu_periods;
  std::int64_t throttled = after.cpu_throttled_periods - before.cpu_throttled_periods;
  std::int64_t throttled_ns = after.cpu_throttled_ns - before.cpu_throttled_ns;
  // All counters are >= 0 (the parser refuses signs), so these cannot overflow.
  if (periods <= 0 || throttled < 0 || throttled_ns < 0) return std::nullopt;
  return CpuThrottling{periods, std::min(throttled, periods), throttled_ns};
}

std::optional<double> throttled_percent(const CpuThrottling& t) {
  if (t.periods <= 0) return std::nullopt;
  return 100.0 * static_cast<double>(std::min(t.throttled_periods, t.periods)) / static_cast<double>(t.periods);
}

}  // namespace stackfit
