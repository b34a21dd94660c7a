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
// The two passes should see the same values (in any order); then the answer
// is exact. When they do not (a source that gained a late point between two
// reads of one window, or lost one), the answer is still one of the values
// seen: pass 2 counts the values below and above the band too, and the
// nearest rank among pass 2's values is read off the band when it falls
// there (exact for pass 2's values); otherwise a value pass 1 saw in the band
// (within 1/128 of pass 1's exact answer). Never a made-up number. Negative
// values share one bucket.
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
  // The nearest-rank percentile of the values; 0 when pass 1 saw none.
  [[nodiscard]] std::int64_t result() const;

  [[nodiscard]] std::int64_t size() const { return m_count; }

  // The bucket of a value (exposed for tests): equal for values that differ
  // by less than 1/128 of themselves, ordered as the values are.
  [[nodiscard]] static std::int32_t bucket_of(std::int64_t value);

 private:
  double m_p;
  std::int64_t m_count = 0;
  struct Bucket {
    std::int64_t values = 0;  // how many fell in it
    std::int64_t one = 0;     // one of them (the last)
  };
  std::map<std::int32_t, Bucket> m_buckets;  // pass 1
  bool m_second_pass = false;
  std::int32_t m_target_bucket = 0;
  std::int64_t m_target_value = 0;  // a pass-1 value of the target bucket: the fallback
  // Pass 2: values below and above the target bucket, and the bucket's own
  // distinct values -> count.
  std::int64_t m_below = 0;
  std::int64_t m_above = 0;
  std::int64_t m_in_band = 0;
  std::map<std::int64_t, std::int64_t> m_band;
};

}  // namespace stackfit
