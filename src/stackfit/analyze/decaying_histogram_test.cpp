#include "stackfit/analyze/decaying_histogram.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

constexpr std::int64_t k_day_ns = 24LL * 3600 * 1'000'000'000;

TEST(DecayingHistogram, BucketCountsFollowVpaFormula) {
  // ceil(log(1e12 * 0.05 / 2^20 + 1) / log 1.05) + 1 and the same for 1e6 m / 1 m.
  EXPECT_EQ(bucket_count(memory_histogram_shape()), k_memory_buckets);
  EXPECT_EQ(bucket_count(cpu_histogram_shape()), k_cpu_buckets);
  EXPECT_EQ(k_memory_buckets, 222u);
  EXPECT_EQ(k_cpu_buckets, 223u);
}

TEST(DecayingHistogram, BucketEdgesGrowByRatio) {
  CpuHistogram h(cpu_histogram_shape());
  EXPECT_DOUBLE_EQ(h.bucket_start(0), 0);
  EXPECT_DOUBLE_EQ(h.bucket_start(1), 1);
  EXPECT_NEAR(h.bucket_start(2), 2.05, 1e-9);
  EXPECT_EQ(h.bucket_of(0.5), 0u);
  EXPECT_EQ(h.bucket_of(1), 1u);
  EXPECT_EQ(h.bucket_of(2.05), 2u);
  EXPECT_EQ(h.bucket_of(2.04), 1u);
  EXPECT_EQ(h.bucket_of(1e9), k_cpu_buckets - 1);  // above max: last bucket
}

TEST(DecayingHistogram, PercentileReturnsEndOfBucket) {
  CpuHistogram h(cpu_histogram_shape());
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.percentile(0.5), 0);
  for (int v = 1; v <= 100; ++v) h.add(v, 1, 0);
  // 50 lies in bucket 25 = [47.73, 51.11): the answer is that bucket's end.
  EXPECT_NEAR(h.percentile(0.5), 51.1135, 1e-3);
  EXPECT_NEAR(h.percentile(1.0), h.bucket_start(h.bucket_of(100) + 1), 1e-9);
}

TEST(DecayingHistogram, NewerSamplesWeighTwicePerHalfLife) {
  CpuHistogram h(cpu_histogram_shape());
  h.add(10, 1, 0);
  h.add(1000, 1, k_day_ns);  // one half-life later: weight 2 against 1
  EXPECT_NEAR(h.percentile(0.5), h.bucket_start(h.bucket_of(1000) + 1), 1e-6);
  EXPECT_NEAR(h.percentile(0.3), h.bucket_start(h.bucket_of(10) + 1), 1e-6);
  // Without decay the median would have been the older value.
  CpuHistogram flat(cpu_histogram_shape());
  flat.add(10, 1, 0);
  flat.add(1000, 1, 0);
  EXPECT_NEAR(flat.percentile(0.5), flat.bucket_start(flat.bucket_of(10) + 1), 1e-6);
}

TEST(DecayingHistogram, ReferenceShiftKeepsRatiosOverLongHistories) {
  CpuHistogram h(cpu_histogram_shape());
  h.add(10, 1, 0);
  h.add(1000, 1, 60 * k_day_ns);  // 2^60 would overflow the float weights without a shift
  h.add(10, 1, 60 * k_day_ns);
  // The first sample now weighs 2^-60 against 1 and 1: median splits at the two fresh ones.
  EXPECT_NEAR(h.percentile(0.49), h.bucket_start(h.bucket_of(10) + 1), 1e-6);
  EXPECT_NEAR(h.percentile(0.99), h.bucket_start(h.bucket_of(1000) + 1), 1e-6);
}

}  // namespace
}  // namespace stackfit
