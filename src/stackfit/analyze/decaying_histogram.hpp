// A decaying exponential histogram, the structure the Kubernetes Vertical Pod
// Autoscaler's recommender keeps per container (vertical-pod-autoscaler/pkg/
// recommender/util/histogram.go, decaying_histogram.go): bucket i starts at
// first * (ratio^i - 1) / (ratio - 1), so each bucket is `ratio` times wider
// than the one before and a percentile is off by at most (ratio - 1) of its
// value; a sample at time t weighs 2^((t - reference) / half_life), so a fresh
// sample counts twice as much as one half a life older.
//
// Fixed size (no heap): N buckets of float weights. Values are plain doubles in
// the caller's unit (bytes, millicores). Not thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace stackfit {

struct HistogramShape {
  double first_bucket = 1;   // width of bucket 0, in the value's unit
  double ratio = 1.05;       // growth of each bucket's width (VPA: 1 + 0.05)
  double max_value = 1;      // values above land in the last bucket
  std::int64_t half_life_ns = 24LL * 3600 * 1'000'000'000;  // VPA: 24 h
};

// Buckets needed to cover [0, max_value] with `shape` (VPA's formula:
// ceil(log(max * (ratio - 1) / first + 1) / log(ratio)) + 1).
[[nodiscard]] std::size_t bucket_count(const HistogramShape& shape);

template <std::size_t N>
class DecayingHistogram {
 public:
  explicit DecayingHistogram(const HistogramShape& shape);

  // Adds `value` seen at t_ns with `weight` (before decay). Times may come in
  // any order; weights are relative to the reference time, moved forward (and
  // every bucket scaled down) when they would grow too large for a float.
  void add(double value, double weight, std::int64_t t_ns);
  // Smallest bucket end below which at least `p` (0..1) of the weight lies,
  // as VPA's Percentile(): the end of the bucket (start of the next), so the
  // answer errs upward. 0 when empty.
  [[nodiscard]] double percentile(double p) const;
  [[nodiscard]] bool empty() const { return m_total <= 0; }
  [[nodiscard]] double bucket_start(std::size_t i) const;
  [[nodiscard]] std::size_t bucket_of(double value) const;

 private:
  void shift_reference(std::int64_t t_ns);
  HistogramShape m_shape;
  std::int64_t m_reference_ns = 0;
  bool m_has_reference = false;
  double m_total = 0;
  std::array<float, N> m_weights{};
};

// The two shapes the recommender uses. Memory: bytes, first bucket 1 MiB (VPA
// uses 1e7 B; Compose services of a few tens of MiB need the finer start),
// up to 1e12 B. CPU: millicores, first bucket 1m (VPA: 0.001 core), up to
// 1000 cores. Both grow by 5% per bucket and halve their weight every 24 h.
inline constexpr std::size_t k_memory_buckets = 222;
inline constexpr std::size_t k_cpu_buckets = 223;
[[nodiscard]] HistogramShape memory_histogram_shape();
[[nodiscard]] HistogramShape cpu_histogram_shape();
using MemoryHistogram = DecayingHistogram<k_memory_buckets>;
using CpuHistogram = DecayingHistogram<k_cpu_buckets>;

extern template class DecayingHistogram<k_memory_buckets>;
extern template class DecayingHistogram<k_cpu_buckets>;

}  // namespace stackfit
