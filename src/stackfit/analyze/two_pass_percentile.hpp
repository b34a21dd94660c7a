// An exact nearest-rank percentile over values streamed twice, in memory
// bounded by how spread the values are rather than by how many there are.
//
// Pass 1 counts the values in buckets of at most 1/128 relative width
// (values below 256 each have their own bucket); that tells which bucket
// holds the wanted rank and how many values lie below it. Pass 2 keeps only
// the values that fall in that bucket, as distinct value -> count, and the
// answer is read off them. So a recording of any length costs a few hundred
// buckets plus the distinct values of one narrow band: memory figures are
// page multiples (a band of a 1 GiB working set holds at most 2,048 of them),
// CPU rates whole millicores. Used by the `record` summary, whose exact p95
// once needed every sample in memory (analyze/usage_summary).
//
// The two passes must see the same values (in any order). Negative values
// share one bucket.
#pragma once

#include <cstdint>
#include <map>

namespace stackfit {

class TwoPassPercentile {
 public:
  // 0 < p <= 100, as nearest_rank_percentile.
  explicit TwoPassPercentile(double p) : m_p(p) {}

  // Pass 1: every value once.
  void count(std::int64_t value);
  // Ends pass 1: from here on, collect() the same values again.
  void start_second_pass();
  // Pass 2.
  void collect(std::int64_t value);
  // The nearest-rank percentile of the values; 0 when there were none.
  [[nodiscard]] std::int64_t result() const;

  [[nodiscard]] std::int64_t size() const { return m_count; }

  // The bucket of a value (exposed for tests): equal for values that differ
  // by less than 1/128 of themselves, ordered as the values are.
  [[nodiscard]] static std::int32_t bucket_of(std::int64_t value);

 private:
  double m_p;
  std::int64_t m_count = 0;
  std::map<std::int32_t, std::int64_t> m_buckets;  // pass 1: bucket -> values in it
  bool m_second_pass = false;
  std::int32_t m_target_bucket = 0;
  std::int64_t m_rank_in_bucket = 0;  // 1-based rank of the answer among the target bucket's values
  std::map<std::int64_t, std::int64_t> m_band;  // pass 2: distinct values of the target bucket -> count
};

}  // namespace stackfit
