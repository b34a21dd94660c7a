// Arithmetic and wording the recommender's parts share (recommendation,
// memory_sizing, adaptive_limit, the peers' strategies): sizes clamped far
// from overflow, durations and percentages as the reasons print them.
// Internal to analyze/.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "stackfit/model/quantity.hpp"

namespace stackfit::recommend_detail {

inline constexpr double k_ns_per_hour = 3600.0 * 1e9;
inline constexpr double k_ns_per_day = 24 * k_ns_per_hour;

inline std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

inline std::string duration_text(std::int64_t ns) {
  double hours = static_cast<double>(ns) / k_ns_per_hour;
  if (hours >= 48) return fixed(hours / 24, 1) + " days";
  if (hours >= 1) return fixed(hours, 1) + " hours";
  return fixed(hours * 60, 0) + " minutes";
}

inline std::string percent(double fraction) { return std::to_string(static_cast<int>(std::lround(fraction * 100))) + "%"; }

// Past this, sizes are nonsense from a broken source; clamping keeps the
// arithmetic (margins, rounding) free of overflow (4 EiB).
inline constexpr std::int64_t k_max_size = std::int64_t{1} << 62;

inline std::int64_t clamp_size(double v) {
  if (!(v > 0)) return 0;
  if (v >= static_cast<double>(k_max_size)) return k_max_size;
  return static_cast<std::int64_t>(std::ceil(v));
}

inline Bytes scale(Bytes b, double factor) { return Bytes{clamp_size(static_cast<double>(b.count) * factor)}; }

}  // namespace stackfit::recommend_detail
