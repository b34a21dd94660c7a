#include "stackfit/analyze/decaying_histogram.hpp"

#include <algorithm>
#include <cmath>

#include "stackfit/model/quantity.hpp"

namespace stackfit {

namespace {
// Weights are scaled by 2^((t - reference) / half_life); past this exponent
// the reference moves forward so float weights never overflow (VPA uses 100
// with float64 weights; float's range is 2^127).
constexpr double k_max_decay_exponent = 50;
}  // namespace

std::size_t bucket_count(const HistogramShape& s) {
  double n = std::ceil(std::log(s.max_value * (s.ratio - 1) / s.first_bucket + 1) / std::log(s.ratio));
  return static_cast<std::size_t>(n) + 1;
}

HistogramShape memory_histogram_shape() {
  return HistogramShape{static_cast<double>(k_mib), 1.05, 1e12, 24LL * 3600 * 1'000'000'000};
}

HistogramShape cpu_histogram_shape() { return HistogramShape{1.0, 1.05, 1e6, 24LL * 3600 * 1'000'000'000}; }

template <std::size_t N>
DecayingHistogram<N>::DecayingHistogram(const HistogramShape& shape) : m_shape(shape) {}

template <std::size_t N>
double DecayingHistogram<N>::bucket_start(std::size_t i) const {
  return m_shape.first_bucket * (std::pow(m_shape.ratio, static_cast<double>(i)) - 1) / (m_shape.ratio - 1);
}

template <std::size_t N>
std::size_t DecayingHistogram<N>::bucket_of(double value) const {
  if (value < m_shape.first_bucket) return 0;
  double x = std::log(value * (m_shape.ratio - 1) / m_shape.first_bucket + 1) / std::log(m_shape.ratio);
  double i = std::floor(x);
  std::size_t bucket = i >= static_cast<double>(N - 1) ? N - 1 : static_cast<std::size_t>(i);
  // log() may land a hair on either side of an exact bucket edge: check the
  // edges (pow is dear) only when x is that close to a whole number.
  if (x - i < 1e-9 || x - i > 1 - 1e-9) {
    if (bucket + 1 < N && value >= bucket_start(bucket + 1)) ++bucket;
    if (bucket > 0 && value < bucket_start(bucket)) --bucket;
  }
  return bucket;
}

template <std::size_t N>
void DecayingHistogram<N>::shift_reference(std::int64_t t_ns) {
  double exponent = static_cast<double>(t_ns - m_reference_ns) / static_cast<double>(m_shape.half_life_ns);
  double scale = std::exp2(-exponent);
  for (float& w : m_weights) w = static_cast<float>(w * scale);
  m_total *= scale;
  m_reference_ns = t_ns;
}

template <std::size_t N>
void DecayingHistogram<N>::add(double value, double weight, std::int64_t t_ns) {
  if (!m_has_reference) {
    m_reference_ns = t_ns;
    m_has_reference = true;
  }
  double exponent = static_cast<double>(t_ns - m_reference_ns) / static_cast<double>(m_shape.half_life_ns);
  if (exponent > k_max_decay_exponent) {
    shift_reference(t_ns);
    exponent = 0;
  }
  double w = weight * std::exp2(exponent);
  m_weights[bucket_of(value)] += static_cast<float>(w);
  m_total += w;
}

template <std::size_t N>
double DecayingHistogram<N>::percentile(double p) const {
  if (m_total <= 0) return 0;
  double threshold = std::clamp(p, 0.0, 1.0) * m_total;
  double sum = 0;
  std::size_t last_nonzero = 0;
  for (std::size_t i = 0; i < N; ++i) {
    if (m_weights[i] <= 0) continue;
    last_nonzero = i;
    sum += m_weights[i];
    // Float rounding of the buckets vs the double total: stop at the last
    // non-empty bucket whatever the sum says.
    if (sum >= threshold * (1 - 1e-6)) break;
  }
  return last_nonzero + 1 < N ? bucket_start(last_nonzero + 1) : bucket_start(last_nonzero);
}

template class DecayingHistogram<k_memory_buckets>;
template class DecayingHistogram<k_cpu_buckets>;

}  // namespace stackfit
