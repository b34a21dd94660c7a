#include "stackfit/analyze/backtest_replay.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace stackfit {

double ReplayScore::slack_ratio() const {
  return limit_bytes > 0 ? static_cast<double>(slack_bytes / limit_bytes) : 0.0;
}

double ReplayScore::mean_limit_bytes() const {
  std::int64_t limited = evaluated_points - unlimited_points;
  return limited > 0 ? static_cast<double>(limit_bytes / static_cast<long double>(limited)) : 0.0;
}

ReplayScore& ReplayScore::operator+=(const ReplayScore& o) {
  oom_events += o.oom_events;
  series_with_oom += o.series_with_oom;
  evaluated_points += o.evaluated_points;
  unlimited_points += o.unlimited_points;
  limit_changes += o.limit_changes;
  slack_bytes += o.slack_bytes;
  limit_bytes += o.limit_bytes;
  recommendations += o.recommendations;
  return *this;
}

namespace {

constexpr std::int64_t k_no_limit = -1;

// One replay's moving parts: the limit in force and the running score.
class Replay {
 public:
  Replay(LimitStrategy* strategy, ReplayScore& score) : m_strategy(strategy), m_score(score) {}

  // `limit` in bytes, or k_no_limit.
  void set_limit(std::int64_t t_ns, std::int64_t limit, bool evaluated) {
    if (limit < 0) limit = k_no_limit;
    if (limit == m_limit) return;
    // Changes count past the warm-up. A strategy's first decision, which
    // replaces the warm-up's limit, is not a change of its own advice.
    if (evaluated && (m_decided || m_strategy == nullptr)) ++m_score.limit_changes;
    m_limit = limit;
    if (m_strategy) m_strategy->limit_set(t_ns, limit >= 0 ? std::optional<Bytes>(Bytes{limit}) : std::nullopt);
  }

  // Asks the strategy; keeps the limit in force when it has no answer.
  void decide(std::int64_t t_ns) {
    ++m_score.recommendations;
    std::optional<Bytes> r = m_strategy->recommend(t_ns);
    if (r) set_limit(t_ns, r->count, true);
    m_decided = true;
  }

  void point(const UsagePoint& p, bool evaluated) {
    // What the point wanted: a recorded kill wanted more than the limit it had.
    std::int64_t wanted = p.usage_bytes;
    if (p.killed && p.limit_bytes >= 0 && p.limit_bytes < INT64_MAX) wanted = std::max(wanted, p.limit_bytes + 1);
    const bool limited = m_limit != k_no_limit;
    const bool killed = limited && wanted > m_limit;
    const std::int64_t seen = killed ? m_limit : wanted;
    if (evaluated) {
      ++m_score.evaluated_points;
      if (!limited) {
        ++m_score.unlimited_points;
      } else {
        m_score.limit_bytes += m_limit;
        m_score.slack_bytes += m_limit - seen;
      }
    }
    if (!m_strategy) {
      if (killed && evaluated) ++m_score.oom_events;
      return;
    }
    m_strategy->observe(p.t_ns, Bytes{seen});
    if (!killed) return;
    m_strategy->oom_kill(p.t_ns, Bytes{m_limit});
    if (!evaluated) return;  // warm-up: the series' own limit stays in force
    ++m_score.oom_events;
    decide(p.t_ns);
  }

 private:
  LimitStrategy* m_strategy;
  ReplayScore& m_score;
  std::int64_t m_limit = k_no_limit;
  bool m_decided = false;
};

}  // namespace

ReplayScore replay_series(std::span<const UsagePoint> points, LimitStrategy* strategy, const ReplayOptions& o) {
  ReplayScore score;
  if (points.empty()) return score;
  Replay replay(strategy, score);
  const std::int64_t warmup_end = points.front().t_ns + o.warmup_ns;
  std::int64_t next_decision = warmup_end;
  for (const UsagePoint& p : points) {
    const bool evaluated = p.t_ns >= warmup_end;
    if (!evaluated || !strategy) {
      replay.set_limit(p.t_ns, p.limit_bytes, evaluated);
    } else if (p.t_ns >= next_decision) {
      replay.decide(p.t_ns);
      // The schedule: warm-up end + k * every; a gap skips the missed ones.
      std::int64_t every = std::max<std::int64_t>(o.every_ns, 1);
      next_decision += ((p.t_ns - next_decision) / every + 1) * every;
    }
    replay.point(p, evaluated);
  }
  score.series_with_oom = score.oom_events > 0 ? 1 : 0;
  return score;
}

}  // namespace stackfit
