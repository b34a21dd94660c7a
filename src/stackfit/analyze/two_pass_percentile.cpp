#include "stackfit/analyze/two_pass_percentile.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace stackfit {

namespace {

constexpr int k_mantissa_bits = 7;  // buckets of at most 1/2^7 relative width
constexpr std::int64_t k_exact_below = std::int64_t{1} << (k_mantissa_bits + 1);
constexpr std::int32_t k_negative_bucket = -1;

}  // namespace

std::int32_t TwoPassPercentile::bucket_of(std::int64_t value) {
  if (value < 0) return k_negative_bucket;
  if (value < k_exact_below) return static_cast<std::int32_t>(value);
  // The value's bit length and the k_mantissa_bits bits below its top bit:
  // 2^k_mantissa_bits buckets per power of two, in the values' order.
  auto v = static_cast<std::uint64_t>(value);
  int width = std::bit_width(v);
  auto mantissa = static_cast<std::int32_t>((v >> (width - 1 - k_mantissa_bits)) & ((1U << k_mantissa_bits) - 1));
  return static_cast<std::int32_t>(k_exact_below + ((width - k_mantissa_bits - 2) << k_mantissa_bits)) + mantissa;
}

void TwoPassPercentile::count(std::int64_t value) {
  ++m_buckets[bucket_of(value)];
  ++m_count;
}

void TwoPassPercentile::start_second_pass() {
  m_second_pass = true;
  if (m_count == 0) return;
  auto rank = static_cast<std::int64_t>(std::ceil(m_p / 100.0 * static_cast<double>(m_count)));
  rank = std::clamp<std::int64_t>(rank, 1, m_count);
  std::int64_t below = 0;
  for (const auto& [bucket, n] : m_buckets) {
    if (below + n >= rank) {
      m_target_bucket = bucket;
      m_rank_in_bucket = rank - below;
      break;
    }
    below += n;
  }
  m_buckets.clear();
}

void TwoPassPercentile::collect(std::int64_t value) {
  if (m_second_pass && bucket_of(value) == m_target_bucket) ++m_band[value];
}

std::int64_t TwoPassPercentile::result() const {
  std::int64_t seen = 0;
  for (const auto& [value, n] : m_band) {
    seen += n;
    if (seen >= m_rank_in_bucket) return value;
  }
  return 0;
}

}  // namespace stackfit
