#include "stackfit/analyze/two_pass_percentile.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace stackfit {

namespace {

constexpr int k_mantissa_bits = 7;  // buckets of at most 1/2^7 relative width
constexpr std::int64_t k_exact_below = std::int64_t{1} << (k_mantissa_bits + 1);
constexpr std::int32_t k_negative_bucket = -1;

// The 1-based nearest rank of the p-th percentile among n > 0 values.
std::int64_t nearest_rank(double p, std::int64_t n) {
  auto rank = static_cast<std::int64_t>(std::ceil(p / 100.0 * static_cast<double>(n)));
  return std::clamp<std::int64_t>(rank, 1, n);
}

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
  Bucket& b = m_buckets[bucket_of(value)];
  ++b.values;
  b.one = value;
  ++m_count;
}

void TwoPassPercentile::start_second_pass() {
  m_second_pass = true;
  if (m_count == 0) return;
  const std::int64_t rank = nearest_rank(m_p, m_count);
  std::int64_t below = 0;
  for (const auto& [bucket, b] : m_buckets) {
    if (below + b.values >= rank) {
      m_target_bucket = bucket;
      m_target_value = b.one;
      break;
    }
    below += b.values;
  }
  m_buckets.clear();
}

void TwoPassPercentile::collect(std::int64_t value) {
  if (!m_second_pass || m_count == 0) return;
  std::int32_t bucket = bucket_of(value);
  if (bucket < m_target_bucket) {
    ++m_below;
  } else if (bucket > m_target_bucket) {
    ++m_above;
  } else {
    ++m_band[value];
    ++m_in_band;
  }
}

std::int64_t TwoPassPercentile::result() const {
  if (m_count == 0) return 0;
  const std::int64_t seen = m_below + m_in_band + m_above;
  if (seen == 0) return m_target_value;
  // Pass 2's own rank: pass 1's when both passes saw the same values.
  const std::int64_t rank = nearest_rank(m_p, seen);
  if (rank <= m_below || rank > m_below + m_in_band) return m_target_value;
  std::int64_t at = m_below;
  for (const auto& [value, n] : m_band) {
    at += n;
    if (at >= rank) return value;
  }
  return m_target_value;  // unreachable: the band holds the rank
}

}  // namespace stackfit
