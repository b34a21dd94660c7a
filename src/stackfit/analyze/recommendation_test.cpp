#include "stackfit/analyze/recommendation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

namespace stackfit {
namespace {

constexpr std::int64_t k_min_ns = 60LL * 1'000'000'000;
constexpr std::int64_t k_hour_ns = 60 * k_min_ns;
constexpr std::int64_t k_day_ns = 24 * k_hour_ns;
const WorkloadKey k_api{"", "service", "api", ""};

Bytes mib(double v) { return Bytes{static_cast<std::int64_t>(v * static_cast<double>(k_mib))}; }

// The options of the tests that check `peak`'s own formulas.
RecommendOptions peak() {
  RecommendOptions o;
  o.strategy = Strategy::peak;
  return o;
}

// n samples one minute apart from t0, working set from f(i) MiB.
template <class F>
void feed(Recommender& r, std::string_view instance, std::int64_t t0, int n, F f) {
  for (int i = 0; i < n; ++i) r.memory(k_api, instance, t0 + i * k_min_ns, mib(f(i)));
}

TEST(Recommendation, NotEnoughDataRecommendsNothing) {
  Recommender r(RecommendOptions{});
  feed(r, "c1", 0, 99, [](int) { return 100.0; });
  Recommendation rec = r.recommend(k_api, {});
  EXPECT_EQ(rec.status, RecommendationStatus::not_enough_data);
  EXPECT_FALSE(rec.recommended.memory_limit);
  EXPECT_FALSE(rec.recommended.memory_request);
  EXPECT_FALSE(rec.recommended.cpu_request);
  ASSERT_FALSE(rec.reasons.empty());
  EXPECT_EQ(rec.reasons[0], "only 99 samples over 1.6 hours (need 100): nothing recommended");
  feed(r, "c1", 99 * k_min_ns, 1, [](int) { return 100.0; });
  EXPECT_EQ(r.recommend(k_api, {}).status, RecommendationStatus::ok);
  // A workload never seen.
  Recommendation none = r.recommend(WorkloadKey{"", "service", "gone", ""}, {});
  EXPECT_EQ(none.status, RecommendationStatus::not_enough_data);
  EXPECT_EQ(none.samples, 0);
}

TEST(Recommendation, PeakIsMaxPlus15PercentRoundedTo4MiB) {
  Recommender r(peak());
  feed(r, "c1", 0, 200, [](int i) { return i == 50 ? 200.0 : 100.0; });
  Recommendation rec = r.recommend(k_api, {});
  ASSERT_EQ(rec.status, RecommendationStatus::ok);
  // 200 MiB * 1.15 = 230 MiB -> 232 MiB (next multiple of 4 MiB).
  EXPECT_EQ(rec.recommended.memory_limit, mib(232));
  EXPECT_EQ(rec.recommended.memory_request, mib(232));  // no start-up: steady peak is the peak
  EXPECT_EQ(rec.peak, mib(200));
  EXPECT_FALSE(rec.startup_peak);
  EXPECT_FALSE(rec.recommended.cpu_limit);
  EXPECT_EQ(rec.reasons[0], "memory limit: peak 200 MiB over 3.3 hours, +15% margin");
}

TEST(Recommendation, StartupPeakSetsLimitSteadyStateSetsRequest) {
  Recommender r(peak());
  r.start(k_api, "c1", 0);
  // Minutes 0..4 are inside the 5-minute start-up window.
  feed(r, "c1", 0, 200, [](int i) { return i < 5 ? 300.0 : 100.0; });
  Recommendation rec = r.recommend(k_api, {});
  EXPECT_EQ(rec.startup_peak, mib(300));
  EXPECT_EQ(rec.steady_peak, mib(100));
  EXPECT_EQ(rec.recommended.memory_limit, mib(348));    // 345 -> 348
  EXPECT_EQ(rec.recommended.memory_request, mib(116));  // 115 -> 116
  EXPECT_EQ(rec.restarts, 0);
  // A second start of the same instance is a restart with its own window.
  r.start(k_api, "c1", 300 * k_min_ns);
  r.memory(k_api, "c1", 301 * k_min_ns, mib(400));
  rec = r.recommend(k_api, {});
  EXPECT_EQ(rec.restarts, 1);
  EXPECT_EQ(rec.startup_peak, mib(400));
  EXPECT_EQ(rec.steady_peak, mib(100));
}

TEST(Recommendation, OomKillBumpsLimitAboveTheOneThatKilled) {
  EXPECT_EQ(oom_bump(mib(256), RecommendOptions{}), mib(356));        // +100 MiB wins
  EXPECT_EQ(oom_bump(Bytes{k_gib}, RecommendOptions{}), Bytes{1288490189});  // x1.2 wins
  Recommender r(peak());
  r.memory_limit(k_api, "c1", 0, mib(256));
  feed(r, "c1", 0, 200, [](int) { return 250.0; });
  r.oom_kill(k_api, "c1", 200 * k_min_ns);
  Recommendation rec = r.recommend(k_api, {});
  EXPECT_EQ(rec.oom_kills, 1);
  // Peak would say 287.5 -> 288 MiB, below what killed it: max(307.2, 356) = 356 MiB.
  EXPECT_EQ(rec.recommended.memory_limit, mib(356));
  EXPECT_EQ(rec.recommended.memory_request, mib(288));
  bool found = false;
  for (const auto& reason : rec.reasons) {
    found |= reason == "OOM-killed 1 time with a 256 MiB limit: limit raised to max(x1.2, +100 MiB) = 356 MiB";
  }
  EXPECT_TRUE(found);
}

TEST(Recommendation, OomKillUsesDeclaredLimitWhenSourceHasNone) {
  Recommender r(peak());
  feed(r, "c1", 0, 200, [](int) { return 500.0; });
  r.oom_kill(k_api, "c1", 200 * k_min_ns);
  WorkloadContext ctx;
  ctx.declared.memory_limit = Bytes{k_gib};
  Recommendation rec = r.recommend(k_api, ctx);
  EXPECT_EQ(rec.recommended.memory_limit, mib(1232));  // 1228.8 MiB -> 1232 MiB
}

TEST(Recommendation, TrendFlaggedWithSlope) {
  Recommender r(RecommendOptions{});
  // 10 hours, +6 MiB/hour from 100 MiB.
  feed(r, "c1", 0, 600, [](int i) { return 100.0 + 6.0 * i / 60.0; });
  Recommendation rec = r.recommend(k_api, {});
  EXPECT_EQ(rec.status, RecommendationStatus::trend);
  ASSERT_TRUE(rec.trend_bytes_per_hour);
  EXPECT_NEAR(*rec.trend_bytes_per_hour / static_cast<double>(k_mib), 6.0, 0.01);
  EXPECT_TRUE(rec.recommended.memory_limit);  // still sized, but flagged
}

TEST(Recommendation, FlatNoisyUsageIsNotATrend) {
  Recommender r(RecommendOptions{});
  feed(r, "c1", 0, 600, [](int i) { return 100.0 + ((i * 37) % 11); });
  Recommendation rec = r.recommend(k_api, {});
  EXPECT_EQ(rec.status, RecommendationStatus::ok);
  EXPECT_FALSE(rec.trend_bytes_per_hour);
}

TEST(Recommendation, SawtoothOfRestartsIsNotATrendWhenSmall) {
  Recommender r(RecommendOptions{});
  // Rises 2 MiB/hour for 2 hours then restarts, five times: R^2 is low.
  feed(r, "c1", 0, 600, [](int i) { return 200.0 + 2.0 * (i % 120) / 60.0; });
  EXPECT_EQ(r.recommend(k_api, {}).status, RecommendationStatus::ok);
}

TEST(Recommendation, CpuRequestIsP95BucketEndRoundedTo10m) {
  Recommender r(RecommendOptions{});
  feed(r, "c1", 0, 200, [](int) { return 100.0; });
  for (int i = 1; i <= 200; ++i) r.cpu(k_api, "c1", i * k_min_ns, Millicores{i});
  Recommendation rec = r.recommend(k_api, {});
  // 190 lies in bucket 48, which ends at 198.43m -> 199 -> 200m.
  EXPECT_EQ(rec.recommended.cpu_request, Millicores{200});
  EXPECT_EQ(rec.cpu_peak, Millicores{200});
  EXPECT_FALSE(rec.recommended.cpu_limit);
}

TEST(Recommendation, CpuNeedsItsOwnPoints) {
  Recommender r(RecommendOptions{});
  feed(r, "c1", 0, 200, [](int) { return 100.0; });
  for (int i = 1; i <= 50; ++i) r.cpu(k_api, "c1", i * k_min_ns, Millicores{100});
  Recommendation rec = r.recommend(k_api, {});
  EXPECT_TRUE(rec.recommended.memory_limit);
  EXPECT_FALSE(rec.recommended.cpu_request);
}

TEST(Recommendation, PercentileStrategyFollowsVpaEstimators) {
  RecommendOptions o;
  o.strategy = Strategy::percentile;
  Recommender r(o);
  // Exactly two days at 100 MiB: every percentile is the end of the bucket
  // holding 100 MiB, 101.63 MiB; confidence c = min(2 days, 2881 / 1440) = 2.
  feed(r, "c1", 0, 2881, [](int) { return 100.0; });
  Recommendation rec = r.recommend(k_api, {});
  EXPECT_EQ(rec.strategy, Strategy::percentile);
  // target 101.63 * 1.15 = 116.9 -> 120 MiB; upper 116.9 * (1 + 1/2) = 175.3 -> 176 MiB.
  EXPECT_EQ(rec.recommended.memory_request, mib(120));
  EXPECT_EQ(rec.recommended.memory_limit, mib(176));
  EXPECT_NEAR(rec.confidence, 2.0 / 3.0, 1e-3);
}

TEST(Recommendation, PercentileUpperBoundMultiplierCappedAtThree) {
  RecommendOptions o;
  o.strategy = Strategy::percentile;
  Recommender r(o);
  // 100 minutes: c = 0.069, VPA's multiplier would be x15.4; capped at x3:
  // 101.63 MiB * 1.15 * 3 = 350.6 -> 352 MiB (under a 1 GiB declared limit,
  // which lifts the cap of what history backs, 2 x the peak).
  feed(r, "c1", 0, 100, [](int) { return 100.0; });
  WorkloadContext ctx;
  ctx.declared.memory_limit = mib(1024);
  EXPECT_EQ(r.recommend(k_api, ctx).recommended.memory_limit, mib(352));
}

TEST(Recommendation, PerServiceStrategyOverride) {
  Recommender r(RecommendOptions{});
  feed(r, "c1", 0, 2881, [](int) { return 100.0; });
  WorkloadContext ctx;
  ctx.strategy = Strategy::percentile;
  EXPECT_EQ(r.recommend(k_api, ctx).recommended.memory_limit, mib(176));
  // The default, adaptive: two days are the base model's, 105 + 30 -> 136 MiB.
  EXPECT_EQ(r.recommend(k_api, {}).recommended.memory_limit, mib(136));
  ctx.strategy = Strategy::peak;
  EXPECT_EQ(r.recommend(k_api, ctx).recommended.memory_limit, mib(116));  // peak: 115 -> 116
}

TEST(Recommendation, DevProfileLowersRequestKeepsLimit) {
  RecommendOptions o = peak();
  o.profile = Profile::dev;
  Recommender dev(o);
  Recommender prod(peak());
  for (Recommender* r : {&dev, &prod}) {
    // Half at 300 MiB, then half at 100 MiB: the newer half weighs more, so
    // the decaying median lies in the 100 MiB bucket.
    feed(*r, "c1", 0, 200, [](int i) { return i < 100 ? 300.0 : 100.0; });
    for (int i = 1; i <= 200; ++i) r->cpu(k_api, "c1", i * k_min_ns, Millicores{i <= 100 ? 500 : 50});
  }
  Recommendation d = dev.recommend(k_api, {});
  Recommendation p = prod.recommend(k_api, {});
  EXPECT_EQ(d.recommended.memory_limit, p.recommended.memory_limit);  // 345 -> 348 MiB
  EXPECT_EQ(p.recommended.memory_limit, mib(348));
  EXPECT_EQ(p.recommended.memory_request, mib(348));
  // dev: the median's bucket end (101.63 MiB), no margin -> 104 MiB.
  EXPECT_EQ(d.recommended.memory_request, mib(104));
  EXPECT_LT(d.recommended.cpu_request, p.recommended.cpu_request);
}

TEST(Recommendation, MinimumsAndRounding) {
  Recommender r(peak());
  feed(r, "c1", 0, 200, [](int) { return 1.0; });
  for (int i = 1; i <= 200; ++i) r.cpu(k_api, "c1", i * k_min_ns, Millicores{1});
  Recommendation rec = r.recommend(k_api, {});
  EXPECT_EQ(rec.recommended.memory_limit, mib(8));  // 6 MiB minimum, then up to 4 MiB steps
  EXPECT_EQ(rec.recommended.cpu_request, Millicores{10});
  RecommendOptions o = peak();
  o.min_memory = mib(1);
  o.memory_step = mib(1);
  Recommender fine(o);
  feed(fine, "c1", 0, 200, [](int) { return 10.0; });
  EXPECT_EQ(fine.recommend(k_api, {}).recommended.memory_limit, mib(12));  // 11.5 -> 12
}

TEST(Recommendation, ConfidenceGrowsWithHistoryAndSamples) {
  EXPECT_DOUBLE_EQ(confidence_of(0, 1000), 0);
  EXPECT_DOUBLE_EQ(confidence_of(k_day_ns, 1440), 0.5);
  EXPECT_DOUBLE_EQ(confidence_of(3 * k_day_ns, 100000), 0.75);
  EXPECT_DOUBLE_EQ(confidence_of(7 * k_day_ns, 1440), 0.5);  // few samples cap it
}

TEST(Recommendation, KnobsFollowTheRecommendedLimit) {
  Recommender r(peak());
  feed(r, "c1", 0, 200, [](int) { return 400.0; });
  WorkloadContext ctx;
  ctx.hints.kind = RuntimeKind::redis;
  ctx.hints.redis_save = false;  // `--save ""`: an evident cache
  Recommendation rec = r.recommend(k_api, ctx);
  ASSERT_EQ(rec.recommended.memory_limit, mib(460));
  ASSERT_EQ(rec.knobs.size(), 1u);
  EXPECT_EQ(rec.knobs[0].value, mib(345));  // 75% of 460 MiB
  EXPECT_EQ(rec.knobs[0].policy, "allkeys-lru");
}

TEST(Recommendation, RedisThatKeepsDataGetsALimitItsMaxmemoryHoldsTheDataIn) {
  Recommender r(RecommendOptions{});
  feed(r, "c1", 0, 200, [](int) { return 400.0; });
  WorkloadContext ctx;
  ctx.hints.kind = RuntimeKind::redis;  // default save rules: it forks, it keeps data
  Recommendation rec = r.recommend(k_api, ctx);
  // 400 MiB seen -> 460 MiB from usage; maxmemory is 50% and must hold 400 MiB.
  EXPECT_EQ(rec.recommended.memory_limit, mib(800));
  ASSERT_EQ(rec.knobs.size(), 1u);
  EXPECT_EQ(rec.knobs[0].value, mib(400));
  EXPECT_EQ(rec.knobs[0].policy, "noeviction");
  EXPECT_NE(std::find(rec.reasons.begin(), rec.reasons.end(),
                      "limit raised to 800 MiB so maxmemory still holds the 400 MiB seen: this Redis keeps data and "
                      "refuses writes past maxmemory"),
            rec.reasons.end());
}

TEST(Recommendation, StateStaysSmallHoweverLongTheHistory) {
  EXPECT_LT(sizeof(WorkloadState), 4096u);
  Recommender r(RecommendOptions{});
  r.start(k_api, "container-1", 0);
  r.memory(k_api, "container-1", 0, mib(10));
  EXPECT_LT(r.state(k_api)->state_bytes(), 4096u);
  // The hourly summaries of `adaptive` grow with the first 28 days, then stop.
  const int four_weeks = 28 * 24 * 60;
  std::size_t at_four_weeks = 0;
  for (int i = 1; i < 100'000; ++i) {
    r.memory(k_api, "container-1", i * k_min_ns, mib(10 + i % 50));
    r.cpu(k_api, "container-1", i * k_min_ns, Millicores{i % 300});
    if (i == four_weeks) at_four_weeks = r.state(k_api)->state_bytes();
  }
  EXPECT_EQ(r.state(k_api)->state_bytes(), at_four_weeks);
  EXPECT_LE(at_four_weeks, 4096u + HourlyEnvelope::k_span_hours * sizeof(HourSummary));
  EXPECT_EQ(r.state(k_api)->hours.hours().size(), static_cast<std::size_t>(HourlyEnvelope::k_span_hours));
}

TEST(Recommendation, AdaptiveIsTheDefaultWithItsBaseModelOnShortHistory) {
  Recommender r(RecommendOptions{});
  feed(r, "c1", 0, 200, [](int i) { return i == 50 ? 200.0 : 100.0; });
  Recommendation rec = r.recommend(k_api, {});
  EXPECT_EQ(rec.strategy, Strategy::adaptive);
  ASSERT_TRUE(rec.adaptive);
  EXPECT_TRUE(rec.adaptive->base_model);
  // 200 MiB x 1.05 + min(192 MiB, 60 MiB) = 270 -> 272 MiB.
  EXPECT_EQ(rec.recommended.memory_limit, mib(272));
  EXPECT_EQ(rec.recommended.memory_request, mib(232));  // the steady peak + 15 %, as peak
  EXPECT_EQ(rec.reasons[0], "memory limit: adaptive's base model, the largest reading of the last 7 days +5% + 60 MiB "
                            "headroom (min(192 MiB, 30% of that reading)); 3 scored hours, too few for the ensemble "
                            "(need 8); less than a day of history: a spike it has not seen yet will be OOM-killed "
                            "once, then the limit steps up x1.5");
}

TEST(Recommendation, AdaptiveOnAYoungHistoryNamesTheModelThatWon) {
  Recommender r(RecommendOptions{});
  // 20 hours of a flat 400 MiB with one 500 MiB reading in hour 5.
  feed(r, "c1", 0, 20 * 60, [](int i) { return i == 5 * 60 + 7 ? 500.0 : 400.0; });
  Recommendation rec = r.recommend(k_api, {});
  ASSERT_TRUE(rec.adaptive);
  EXPECT_FALSE(rec.adaptive->base_model);
  // Hour 5 overran every model under x1.25 of 400 MiB; x1.25 wastes least of the rest.
  EXPECT_EQ(rec.adaptive->model_name(), "max 1d x1.25");
  EXPECT_EQ(rec.recommended.memory_limit, mib(628));  // 625 -> 628
  EXPECT_EQ(rec.reasons[0].rfind("memory limit: model \"max 1d x1.25\" won: cheapest of 50 on 19 scored hours", 0),
            0u)
      << rec.reasons[0];
  // The risk of a young history is said, not left to be found.
  EXPECT_NE(rec.reasons[0].find("less than a day of history: a spike it has not seen yet will be OOM-killed once, then "
                                "the limit steps up x1.5"),
            std::string::npos)
      << rec.reasons[0];
}

TEST(Recommendation, KilledWithTooFewSamplesStillGetsTheOomBump) {
  Recommender r(RecommendOptions{});
  r.memory_limit(k_api, "c1", 0, mib(256));
  feed(r, "c1", 0, 16, [](int) { return 250.0; });
  r.oom_kill(k_api, "c1", 16 * k_min_ns);
  Recommendation rec = r.recommend(k_api, {});
  EXPECT_EQ(rec.status, RecommendationStatus::oom_only);
  EXPECT_EQ(rec.recommended.memory_limit, mib(356));  // max(256 x 1.2, 256 + 100)
  EXPECT_FALSE(rec.recommended.memory_request);
  ASSERT_EQ(rec.reasons.size(), 2u);
  EXPECT_EQ(rec.reasons[0], "only 16 samples over 15 minutes (need 100 for a strategy)");
  EXPECT_EQ(rec.reasons[1], "OOM-killed 1 time with a 256 MiB limit: too few samples for a strategy, so the limit is "
                            "the OOM bump alone, max(x1.2, +100 MiB) = 356 MiB; record longer for a sized one");
}

TEST(Recommendation, PercentileUpperBoundIsCappedAtWhatHistoryBacks) {
  RecommendOptions o;
  o.strategy = Strategy::percentile;
  Recommender r(o);
  feed(r, "c1", 0, 200, [](int) { return 100.0; });  // 3.3 hours: the x3 multiplier
  Recommendation rec = r.recommend(k_api, {});
  EXPECT_EQ(rec.recommended.memory_limit, mib(200));  // not ~360 MiB
  EXPECT_NE(rec.reasons[0].find("capped at 200 MiB = max(declared limit, 2 x the observed peak 100 MiB)"),
            std::string::npos)
      << rec.reasons[0];
  WorkloadContext ctx;
  ctx.declared.memory_limit = mib(1024);
  EXPECT_GT(r.recommend(k_api, ctx).recommended.memory_limit, mib(300));  // a larger declared limit stands
}

TEST(Recommendation, KeysFromAnySourceAddressLandInOneState) {
  // Sources may pass a fresh key object per point (or reuse one address for
  // different keys): the address cache must never mix workloads up.
  Recommender r(RecommendOptions{});
  for (int i = 0; i < 300; ++i) {
    auto a = std::make_unique<WorkloadKey>(WorkloadKey{"", "service", "a", ""});
    r.memory(*a, "c1", i * k_min_ns, mib(10));
    WorkloadKey b{"", "service", i % 2 ? "b" : "c", ""};
    r.memory(b, "c1", i * k_min_ns, mib(20));
  }
  EXPECT_EQ(r.state(WorkloadKey{"", "service", "a", ""})->samples, 300);
  EXPECT_EQ(r.state(WorkloadKey{"", "service", "b", ""})->samples, 150);
  EXPECT_EQ(r.state(WorkloadKey{"", "service", "c", ""})->samples, 150);
  EXPECT_EQ(r.state(WorkloadKey{"", "service", "c", ""})->peak, mib(20));
  EXPECT_EQ(r.workloads().size(), 3u);
}

TEST(Recommendation, HostileValuesFromABrokenSourceStayFinite) {
  for (Strategy strategy : {Strategy::adaptive, Strategy::peak, Strategy::percentile}) {
    RecommendOptions o;
    o.strategy = strategy;
    Recommender r(o);
    r.memory_limit(k_api, "c1", 0, Bytes{INT64_MAX});
    for (int i = 0; i < 200; ++i) {
      r.memory(k_api, "c1", i * k_min_ns, Bytes{i % 2 ? INT64_MAX : -5});
      r.cpu(k_api, "c1", i * k_min_ns, Millicores{INT64_MAX});
    }
    r.oom_kill(k_api, "c1", 200 * k_min_ns);
    Recommendation rec = r.recommend(k_api, {});
    ASSERT_TRUE(rec.recommended.memory_limit);
    EXPECT_GT(rec.recommended.memory_limit->count, 0);
    EXPECT_LE(rec.recommended.memory_limit->count, std::int64_t{1} << 62);
    EXPECT_LE(rec.recommended.memory_request, rec.recommended.memory_limit);
    ASSERT_TRUE(rec.recommended.cpu_request);
    EXPECT_GT(rec.recommended.cpu_request->count, 0);
  }
}

TEST(Recommendation, ParseStrategyAndProfile) {
  EXPECT_EQ(parse_strategy("peak").value(), Strategy::peak);
  EXPECT_EQ(parse_strategy("percentile").value(), Strategy::percentile);
  EXPECT_EQ(parse_strategy("adaptive").value(), Strategy::adaptive);
  EXPECT_EQ(parse_strategy("p95").error().message,
            "unknown strategy \"p95\" (expected adaptive, peak or percentile)");
  EXPECT_EQ(parse_profile("dev").value(), Profile::dev);
  EXPECT_EQ(parse_profile("").error().message, "unknown profile \"\" (expected prod or dev)");
}

}  // namespace
}  // namespace stackfit
