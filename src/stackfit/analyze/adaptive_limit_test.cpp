#include "stackfit/analyze/adaptive_limit.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace stackfit {
namespace {

constexpr std::int64_t k_hour_ns = 3600LL * 1'000'000'000;
constexpr std::int64_t k_mib = 1 << 20;

// `hours` hours of 4 readings each at `base` bytes; f(hour) may raise one.
template <class F>
HourlyEnvelope envelope(int hours, std::int64_t base, F f) {
  HourlyEnvelope e;
  for (int h = 0; h < hours; ++h) {
    for (int q = 0; q < 4; ++q) e.add(h * k_hour_ns + q * (k_hour_ns / 4), q == 0 ? f(h) : base, false);
  }
  return e;
}

std::int64_t times(std::int64_t bytes, double factor) {
  return static_cast<std::int64_t>(std::ceil(static_cast<double>(bytes) * factor));
}

// The base model's limit for a peak: +5 %, + min(192 MiB, 30 % of it).
std::int64_t base(std::int64_t peak) { return times(peak, 1.05) + std::min(192 * k_mib, times(peak, 0.3)); }

TEST(AdaptiveLimit, TooFewHoursUseTheBaseModel) {
  HourlyEnvelope e = envelope(5, 100 * k_mib, [](int h) { return (100 + h) * k_mib; });
  auto c = choose_adaptive_limit(e, AdaptiveOptions{});
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->base_model);
  EXPECT_EQ(c->scored_hours, 4);  // the first hour has nothing before it to be scored on
  EXPECT_EQ(c->limit_bytes, base(104 * k_mib));
  EXPECT_EQ(c->model_name(), "base: max 7d x1.05 + 31 MiB");
  EXPECT_FALSE(choose_adaptive_limit(HourlyEnvelope{}, AdaptiveOptions{}));
}

TEST(AdaptiveLimit, AYoungFlatSeriesGetsTheSmallestMargin) {
  HourlyEnvelope e = envelope(20, 100 * k_mib, [](int) { return 100 * k_mib; });
  auto c = choose_adaptive_limit(e, AdaptiveOptions{});
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->base_model);
  EXPECT_EQ(c->scored_hours, 19);
  EXPECT_EQ(c->margin, 1.03);
  EXPECT_EQ(c->overrun_hours, 0);
  EXPECT_EQ(c->limit_bytes, times(100 * k_mib, 1.03));
  EXPECT_EQ(c->window_hours, 24);  // ties (every window holds the whole history) go to the first
  EXPECT_LE(c->cost, c->runner_up_cost);
}

TEST(AdaptiveLimit, RisingSpikesBuyAMargin) {
  // Every fourth hour a spike 30 % above anything before it: every model
  // with a margin under 1.3 is overrun at each one.
  HourlyEnvelope e = envelope(20, 100 * k_mib, [](int h) {
    return h % 4 == 3 ? static_cast<std::int64_t>(100 * k_mib * std::pow(1.3, h / 4 + 1)) : 100 * k_mib;
  });
  auto c = choose_adaptive_limit(e, AdaptiveOptions{});
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->base_model);
  EXPECT_EQ(c->margin, 1.40);
  EXPECT_EQ(c->overrun_hours, 0);
  EXPECT_EQ(c->model_name(), "max 1d x1.40");
}

TEST(AdaptiveLimit, ADayOrMoreOfHistoryIsTheBaseModels) {
  // A spike of the first day weighs for a week, then falls out.
  HourlyEnvelope e = envelope(5 * 24, 100 * k_mib, [](int h) { return h == 10 ? 150 * k_mib : 100 * k_mib; });
  auto c = choose_adaptive_limit(e, AdaptiveOptions{});
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->base_model);
  EXPECT_EQ(c->limit_bytes, base(150 * k_mib));
  for (int h = 5 * 24; h < 8 * 24; ++h) e.add(h * k_hour_ns, 100 * k_mib, false);
  EXPECT_EQ(choose_adaptive_limit(e, AdaptiveOptions{})->limit_bytes, base(100 * k_mib));
  // A large service: the headroom stops at 192 MiB.
  HourlyEnvelope big = envelope(2 * 24, 4096 * k_mib, [](int) { return 4096 * k_mib; });
  EXPECT_EQ(choose_adaptive_limit(big, AdaptiveOptions{})->headroom_bytes, 192 * k_mib);
}

TEST(AdaptiveLimit, AKillHoldsTheLimitAboveIt) {
  const std::int64_t gib = 1024 * k_mib;
  HourlyEnvelope e = envelope(5 * 24, gib, [&](int) { return gib; });
  e.add_oom(5 * 24 * k_hour_ns - 1, gib);
  auto c = choose_adaptive_limit(e, AdaptiveOptions{});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->oom_floor_bytes, times(gib, 1.5));  // x1.5 for a day
  EXPECT_EQ(c->limit_bytes, c->oom_floor_bytes);
  // Two days on, the base model (1.05 GiB + 192 MiB) is above VPA's bump (1.2 GiB).
  for (int h = 5 * 24; h < 7 * 24; ++h) e.add(h * k_hour_ns, gib, false);
  c = choose_adaptive_limit(e, AdaptiveOptions{});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->oom_floor_bytes, 0);
  EXPECT_EQ(c->limit_bytes, base(gib));
  // A small service: the +100 MiB of the bump is the larger step, for a week.
  HourlyEnvelope small = envelope(5 * 24, 50 * k_mib, [](int) { return 50 * k_mib; });
  small.add_oom(5 * 24 * k_hour_ns - 1, 50 * k_mib);
  for (int h = 5 * 24; h < 7 * 24; ++h) small.add(h * k_hour_ns, 50 * k_mib, false);
  EXPECT_EQ(choose_adaptive_limit(small, AdaptiveOptions{})->limit_bytes, 150 * k_mib);
  for (int h = 7 * 24; h < 13 * 24; ++h) small.add(h * k_hour_ns, 50 * k_mib, false);
  EXPECT_EQ(choose_adaptive_limit(small, AdaptiveOptions{})->limit_bytes, base(50 * k_mib));
}

TEST(AdaptiveLimit, StartUpPeaksAreCoveredButKeptApart) {
  HourlyEnvelope e = envelope(5 * 24, 100 * k_mib, [](int) { return 100 * k_mib; });
  e.add(100 * k_hour_ns, 300 * k_mib, true);
  auto c = choose_adaptive_limit(e, AdaptiveOptions{});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->startup_bytes, 300 * k_mib);
  EXPECT_EQ(c->limit_bytes, base(300 * k_mib));  // with the headroom of the peak it covers
  HourlyEnvelope young = envelope(20, 100 * k_mib, [](int) { return 100 * k_mib; });
  young.add(19 * k_hour_ns, 300 * k_mib, true);
  c = choose_adaptive_limit(young, AdaptiveOptions{});
  EXPECT_EQ(c->margin, 1.03);  // the models score steady state only
  EXPECT_EQ(c->limit_bytes, times(300 * k_mib, 1.03));
}

TEST(AdaptiveLimit, ExtremeTimesFromABrokenSourceAreSafe) {
  HourlyEnvelope e;
  e.add(std::numeric_limits<std::int64_t>::min(), 5, false);
  e.add(-1, 6, false);
  e.add(std::numeric_limits<std::int64_t>::max(), 7, false);
  e.add(std::numeric_limits<std::int64_t>::max(), 8, false);
  ASSERT_FALSE(e.hours().empty());
  EXPECT_EQ(e.hours().back().max_bytes, 8);
  EXPECT_EQ(e.hours().back().count, 2u);
  ASSERT_TRUE(choose_adaptive_limit(e, AdaptiveOptions{}));
}

TEST(AdaptiveLimit, EnvelopeKeepsTwentyEightDaysInOrder) {
  HourlyEnvelope e;
  e.add(1000 * k_hour_ns, 5, false);
  e.add(10 * k_hour_ns, 7, false);   // older than the span: dropped
  e.add(990 * k_hour_ns, 6, false);  // out of order, inside the span
  e.add(1000 * k_hour_ns + 1, 9, false);
  ASSERT_EQ(e.hours().size(), 2u);
  EXPECT_EQ(e.hours()[0].hour, 990);
  EXPECT_EQ(e.hours()[1].hour, 1000);
  EXPECT_EQ(e.hours()[1].max_bytes, 9);
  EXPECT_EQ(e.hours()[1].count, 2u);
  e.add((1000 + HourlyEnvelope::k_span_hours) * k_hour_ns, 1, false);
  ASSERT_EQ(e.hours().size(), 1u);  // 990 and 1000 fell out
  EXPECT_EQ(e.hours().front().hour, 1000 + HourlyEnvelope::k_span_hours);
}

}  // namespace
}  // namespace stackfit
