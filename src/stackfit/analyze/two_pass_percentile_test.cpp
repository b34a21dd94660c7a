#include "stackfit/analyze/two_pass_percentile.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <vector>

#include "stackfit/analyze/usage_summary.hpp"

namespace stackfit {
namespace {

std::int64_t two_pass(const std::vector<std::int64_t>& values, double p) {
  TwoPassPercentile percentile(p);
  for (std::int64_t v : values) percentile.count(v);
  percentile.start_second_pass();
  // The second pass in another order: only the values matter.
  std::vector<std::int64_t> again(values.rbegin(), values.rend());
  for (std::int64_t v : again) percentile.collect(v);
  return percentile.result();
}

TEST(TwoPassPercentile, EmptyAndSingle) {
  EXPECT_EQ(two_pass({}, 95), 0);
  EXPECT_EQ(two_pass({42}, 95), 42);
  EXPECT_EQ(two_pass({0}, 50), 0);
}

TEST(TwoPassPercentile, BucketsAreOrderedAndNarrow) {
  std::int32_t previous = TwoPassPercentile::bucket_of(0);
  for (std::int64_t v = 1; v < (1 << 20); ++v) {
    std::int32_t b = TwoPassPercentile::bucket_of(v);
    ASSERT_GE(b, previous) << v;
    ASSERT_LE(b, previous + 1) << v;  // no bucket skipped
    previous = b;
  }
  // Large values: ordered, and a value 1/64 higher is always in a later
  // bucket (a bucket spans at most 1/128 of its values).
  std::mt19937_64 random(7);
  for (int i = 0; i < 100000; ++i) {
    auto v = static_cast<std::int64_t>(random() >> (2 + random() % 40));
    ASSERT_LE(TwoPassPercentile::bucket_of(v), TwoPassPercentile::bucket_of(v + 1)) << v;
    ASSERT_LT(TwoPassPercentile::bucket_of(v), TwoPassPercentile::bucket_of(v + v / 64 + 1)) << v;
  }
  EXPECT_EQ(TwoPassPercentile::bucket_of(std::numeric_limits<std::int64_t>::max()), 7295);
  EXPECT_EQ(TwoPassPercentile::bucket_of(255), 255);
  EXPECT_EQ(TwoPassPercentile::bucket_of(256), 256);
  EXPECT_EQ(TwoPassPercentile::bucket_of(-5), TwoPassPercentile::bucket_of(-1 << 20));
  EXPECT_LT(TwoPassPercentile::bucket_of(-1), TwoPassPercentile::bucket_of(0));
}

// Whatever the data, the answer is nearest_rank_percentile's, exactly.
TEST(TwoPassPercentile, AgreesWithTheFullSort) {
  std::mt19937_64 random(20261130);
  for (int round = 0; round < 300; ++round) {
    std::size_t n = 1 + random() % (round < 100 ? 20 : 3000);
    std::vector<std::int64_t> values(n);
    switch (round % 5) {
      case 0:  // working sets: page multiples around 100 MiB
        for (auto& v : values) v = (25600 + static_cast<std::int64_t>(random() % 512)) * 4096;
        break;
      case 1:  // spread over many powers of two
        for (auto& v : values) v = static_cast<std::int64_t>(random() >> (random() % 62));
        break;
      case 2:  // few distinct values (idle containers)
        for (auto& v : values) v = 7 * k_mib + static_cast<std::int64_t>(random() % 3) * 4096;
        break;
      case 3:  // CPU rates in millicores, with zeros
        for (auto& v : values) v = random() % 4 == 0 ? 0 : static_cast<std::int64_t>(random() % 4000);
        break;
      default:  // some negatives
        for (auto& v : values) v = static_cast<std::int64_t>(random() % 2001) - 1000;
        break;
    }
    for (double p : {50.0, 90.0, 95.0, 99.0, 100.0}) {
      ASSERT_EQ(two_pass(values, p), nearest_rank_percentile(values, p)) << "round " << round << " p" << p;
    }
  }
}

TEST(TwoPassPercentile, AConstantSeriesKeepsOneValue) {
  TwoPassPercentile percentile(95);
  for (int i = 0; i < 100000; ++i) percentile.count(12 * k_mib);
  percentile.start_second_pass();
  for (int i = 0; i < 100000; ++i) percentile.collect(12 * k_mib);
  EXPECT_EQ(percentile.result(), 12 * k_mib);
  EXPECT_EQ(percentile.size(), 100000);
}

// A second pass that does not see the first pass's values exactly (points
// that arrived, vanished or changed between two reads of one window): the
// answer is the exact nearest rank of pass 2's values when that falls in the
// band pass 1 chose, else a pass-1 value of that band; always a value that
// was seen, never 0 or garbage.
TEST(TwoPassPercentile, ASecondPassThatDiffersStillGivesASeenValueNearTheRank) {
  std::mt19937_64 random(16);
  for (int round = 0; round < 400; ++round) {
    std::size_t n = 1 + random() % (round < 100 ? 30 : 2000);
    std::vector<std::int64_t> first(n);
    for (auto& v : first) v = round % 2 == 0 ? (25600 + static_cast<std::int64_t>(random() % 512)) * 4096
                                             : static_cast<std::int64_t>(random() % 3000);
    std::vector<std::int64_t> second = first;
    const int changes = 1 + static_cast<int>(random() % 5);
    for (int c = 0; c < changes; ++c) {
      switch (random() % 3) {
        case 0: second.push_back(first[random() % n] + static_cast<std::int64_t>(random() % 8192)); break;  // late point
        case 1: if (!second.empty()) second.erase(second.begin() + static_cast<std::ptrdiff_t>(random() % second.size())); break;
        default: if (!second.empty()) second[random() % second.size()] += 4096; break;  // a value changed
      }
    }
    TwoPassPercentile percentile(95);
    for (std::int64_t v : first) percentile.count(v);
    percentile.start_second_pass();
    for (std::int64_t v : second) percentile.collect(v);
    const std::int64_t got = percentile.result();
    const bool seen = std::find(first.begin(), first.end(), got) != first.end() ||
                      std::find(second.begin(), second.end(), got) != second.end();
    ASSERT_TRUE(seen) << "round " << round << ": " << got << " was never fed";
    const bool exact_for_pass_2 = !second.empty() && got == nearest_rank_percentile(second, 95);
    const bool in_pass_1_band =
        TwoPassPercentile::bucket_of(got) == TwoPassPercentile::bucket_of(nearest_rank_percentile(first, 95));
    ASSERT_TRUE(exact_for_pass_2 || in_pass_1_band) << "round " << round << ": " << got;
  }
}

TEST(TwoPassPercentile, ABandEmptiedInPassTwoFallsBackToAPassOneValue) {
  TwoPassPercentile percentile(95);
  for (std::int64_t v = 1; v <= 100; ++v) percentile.count(v);  // p95 = 95
  percentile.start_second_pass();
  for (std::int64_t v = 1; v <= 100; ++v) {
    if (v != 95) percentile.collect(v);  // 95 is gone: rank 95 of 99 lands on 96, outside 95's band
  }
  EXPECT_EQ(percentile.result(), 95);

  TwoPassPercentile nothing_again(95);
  for (std::int64_t v = 1; v <= 100; ++v) nothing_again.count(v * k_mib);
  nothing_again.start_second_pass();  // pass 2 saw nothing at all
  EXPECT_EQ(nothing_again.result(), 95 * k_mib);
}

}  // namespace
}  // namespace stackfit
