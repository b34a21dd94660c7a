#include "stackfit/analyze/backtest_replay.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace stackfit {
namespace {

constexpr std::int64_t k_hour_ns = 3600LL * 1'000'000'000;

// Answers from a script and writes down what it was shown.
class ScriptedStrategy final : public LimitStrategy {
 public:
  explicit ScriptedStrategy(std::vector<std::optional<std::int64_t>> answers) : m_answers(std::move(answers)) {}
  void observe(std::int64_t t_ns, Bytes seen) override { seen_.emplace_back(t_ns / k_hour_ns, seen.count); }
  void oom_kill(std::int64_t t_ns, Bytes limit) override { kills_.emplace_back(t_ns / k_hour_ns, limit.count); }
  void limit_set(std::int64_t, std::optional<Bytes> limit) override { limits_.push_back(limit ? limit->count : -1); }
  std::optional<Bytes> recommend(std::int64_t t_ns) override {
    asked_.push_back(t_ns / k_hour_ns);
    std::optional<std::int64_t> a = m_next < m_answers.size() ? m_answers[m_next++] : m_answers.back();
    return a ? std::optional<Bytes>(Bytes{*a}) : std::nullopt;
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> seen_, kills_;
  std::vector<std::int64_t> limits_, asked_;

 private:
  std::vector<std::optional<std::int64_t>> m_answers;
  std::size_t m_next = 0;
};

std::vector<UsagePoint> hand_series() {
  // hour, usage, limit in force as the source recorded it
  return {{0, 100, 200}, {1 * k_hour_ns, 150, 200}, {2 * k_hour_ns, 120, 200},
          {3 * k_hour_ns, 260, 200}, {4 * k_hour_ns, 90, 200}, {5 * k_hour_ns, 300, 250}};
}

ReplayOptions two_hours() { return ReplayOptions{2 * k_hour_ns, 2 * k_hour_ns}; }

TEST(BacktestReplay, AStrategyWorkedOutByHand) {
  ScriptedStrategy s({250, 400, 400});
  ReplayScore r = replay_series(hand_series(), &s, two_hours());
  // Warm-up (hours 0, 1): the series' own 200 is in force, nothing counts.
  // Hour 2: first decision, 250 (not a change of its own advice); 120 used: 130 unused.
  // Hour 3: 260 > 250: a kill, it shows 250, nothing unused; asked again at once: 400 (a change).
  // Hour 4: the schedule asks again: 400, no change; 90 used: 310 unused.
  // Hour 5: 300 used: 100 unused.
  EXPECT_EQ(r.oom_events, 1);
  EXPECT_EQ(r.series_with_oom, 1);
  EXPECT_EQ(r.evaluated_points, 4);
  EXPECT_EQ(r.unlimited_points, 0);
  EXPECT_EQ(r.limit_changes, 1);
  EXPECT_EQ(r.recommendations, 3);
  EXPECT_EQ(static_cast<double>(r.slack_bytes), 130 + 0 + 310 + 100);
  EXPECT_EQ(static_cast<double>(r.limit_bytes), 250 + 250 + 400 + 400);
  EXPECT_DOUBLE_EQ(r.slack_ratio(), 540.0 / 1300.0);
  EXPECT_DOUBLE_EQ(r.mean_limit_bytes(), 325.0);
  // What it saw: every reading capped at the limit in force, the kill with its limit.
  using P = std::pair<std::int64_t, std::int64_t>;
  EXPECT_EQ(s.seen_, (std::vector<P>{{0, 100}, {1, 150}, {2, 120}, {3, 250}, {4, 90}, {5, 300}}));
  EXPECT_EQ(s.kills_, (std::vector<P>{{3, 250}}));
  EXPECT_EQ(s.asked_, (std::vector<std::int64_t>{2, 3, 4}));
  EXPECT_EQ(s.limits_, (std::vector<std::int64_t>{200, 250, 400}));
}

TEST(BacktestReplay, DeclaredFollowsTheSeriesOwnLimit) {
  ReplayScore r = replay_series(hand_series(), nullptr, two_hours());
  // Hour 2: 120 of 200 (80 unused); 3: 260 > 200, killed; 4: 90 of 200 (110);
  // 5: the limit became 250 (a change), 300 > 250, killed.
  EXPECT_EQ(r.oom_events, 2);
  EXPECT_EQ(r.limit_changes, 1);
  EXPECT_EQ(static_cast<double>(r.slack_bytes), 80 + 110);
  EXPECT_EQ(static_cast<double>(r.limit_bytes), 200 * 3 + 250);
  EXPECT_EQ(r.recommendations, 0);
}

TEST(BacktestReplay, WarmUpKillsAreShownButNotCounted) {
  std::vector<UsagePoint> pts = {{0, 300, 200}, {1 * k_hour_ns, 100, 200}, {2 * k_hour_ns, 100, 200}};
  ScriptedStrategy s({500});
  ReplayScore r = replay_series(pts, &s, two_hours());
  EXPECT_EQ(r.oom_events, 0);
  ASSERT_EQ(s.kills_.size(), 1u);  // a real system would have seen it
  EXPECT_EQ(s.seen_.front().second, 200);
  EXPECT_EQ(s.asked_, (std::vector<std::int64_t>{2}));  // no decision inside the warm-up
}

TEST(BacktestReplay, ARecordedKillWantedMoreThanItsLimit) {
  // The source recorded a kill at hour 3 under a 200 limit, with usage read at 180.
  std::vector<UsagePoint> pts = {{0, 100, 200}, {2 * k_hour_ns, 100, 200}, {3 * k_hour_ns, 180, 200, true}};
  EXPECT_EQ(replay_series(pts, nullptr, two_hours()).oom_events, 1);
  ScriptedStrategy tight({200});
  EXPECT_EQ(replay_series(pts, &tight, two_hours()).oom_events, 1);
  ScriptedStrategy roomy({201});
  EXPECT_EQ(replay_series(pts, &roomy, two_hours()).oom_events, 0);
}

TEST(BacktestReplay, NoAnswerKeepsTheLimitInForceAndNoLimitIsNotScored) {
  std::vector<UsagePoint> pts = {{0, 100, -1}, {2 * k_hour_ns, 100, -1}, {3 * k_hour_ns, 100, -1},
                                 {4 * k_hour_ns, 100, -1}};
  ScriptedStrategy s({std::nullopt, 150});
  ReplayScore r = replay_series(pts, &s, two_hours());
  EXPECT_EQ(r.evaluated_points, 3);
  EXPECT_EQ(r.unlimited_points, 2);  // hours 2 and 3: no answer yet, no limit known
  EXPECT_EQ(static_cast<double>(r.limit_bytes), 150);
  EXPECT_DOUBLE_EQ(r.slack_ratio(), 50.0 / 150.0);
}

TEST(BacktestReplay, AGapSkipsTheMissedDecisions) {
  std::vector<UsagePoint> pts = {{0, 100, -1}, {2 * k_hour_ns, 100, -1}, {9 * k_hour_ns, 100, -1},
                                 {10 * k_hour_ns, 100, -1}};
  ScriptedStrategy s({150});
  (void)replay_series(pts, &s, two_hours());
  EXPECT_EQ(s.asked_, (std::vector<std::int64_t>{2, 9, 10}));  // due at 2, 4..8 missed, at 9 once, next 10
}

TEST(BacktestPeers, KrrSimpleIsTheTrailingFourteenDayMaxPlusFifteenPercent) {
  auto krr = make_krr_simple_strategy();
  for (int i = 0; i < 99; ++i) krr->observe(i * k_hour_ns, Bytes{1000});
  EXPECT_FALSE(krr->recommend(99 * k_hour_ns));  // points_required = 100
  krr->observe(99 * k_hour_ns, Bytes{2000});
  EXPECT_EQ(krr->recommend(100 * k_hour_ns)->count, 2300);
  // 14 days later the 2000 reading has left the window.
  for (int i = 100; i < 100 + 336; ++i) krr->observe(i * k_hour_ns, Bytes{1000});
  EXPECT_EQ(krr->recommend((99 + 336) * k_hour_ns + 1)->count, 1150);
  krr->oom_kill(436 * k_hour_ns, Bytes{1150});  // ignored, as simple.py does
  EXPECT_EQ(krr->recommend(436 * k_hour_ns)->count, 1150);
}

TEST(BacktestPeers, VpaUpperBoundWithItsConfidenceAndOomBump) {
  auto vpa = make_vpa_strategy();
  const std::int64_t gib = 1LL << 30;
  const std::int64_t minute = k_hour_ns / 60;
  for (int i = 0; i < 2 * 1440; ++i) vpa->observe(i * minute, Bytes{gib});
  // Two days of one-minute readings: confidence min(2 days, 2880/1440) ~ 2,
  // so the upper bound is p95 x 1.15 x ~1.5; p95 is the end of the 1 GiB
  // reading's bucket (at most 5 % above it).
  std::int64_t limit = vpa->recommend(2 * 1440 * minute)->count;
  EXPECT_GT(limit, static_cast<std::int64_t>(gib * 1.15 * 1.5));
  EXPECT_LT(limit, static_cast<std::int64_t>(gib * 1.05 * 1.15 * 1.51));
  // A kill: the interval's peak becomes max(used x 1.2, used + 100 MiB), used
  // = max(the request (its target, p90 x 1.15), the interval's usage peak).
  vpa->oom_kill(2 * 1440 * minute, Bytes{limit});
  EXPECT_GT(vpa->recommend(2 * 1440 * minute)->count, limit);
  // Little history: at least 250 MiB.
  auto small = make_vpa_strategy();
  for (int i = 0; i < 600; ++i) small->observe(i * minute, Bytes{10 << 20});
  EXPECT_GE(small->recommend(600 * minute)->count, 250LL << 20);
}

TEST(BacktestStrategies, HostileReadingsStayFinite) {
  // A broken store: readings and limits of INT64_MAX, and a kill at that limit.
  std::vector<UsagePoint> pts;
  for (int i = 0; i < 300; ++i) {
    pts.push_back(UsagePoint{i * k_hour_ns / 12, i % 2 ? INT64_MAX : 0, INT64_MAX, i == 299});
  }
  for (const std::string& name : backtest_strategy_names()) {
    std::unique_ptr<LimitStrategy> s;
    if (name != "declared") s = *make_limit_strategy(name, RecommendOptions{});
    ReplayScore r = replay_series(pts, s.get(), two_hours());
    EXPECT_GE(r.slack_ratio(), 0.0) << name;
    EXPECT_LE(r.slack_ratio(), 1.0) << name;
  }
}

TEST(BacktestStrategies, UnknownNameIsAUsageError) {
  auto s = make_limit_strategy("krr", RecommendOptions{});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::usage);
  EXPECT_EQ(s.error().message, "unknown strategy \"krr\" (expected krr-simple, vpa, adaptive, peak, percentile)");
}

}  // namespace
}  // namespace stackfit
