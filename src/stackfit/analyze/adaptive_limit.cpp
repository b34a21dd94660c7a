#include "stackfit/analyze/adaptive_limit.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>

#include "stackfit/analyze/recommend_text.hpp"

namespace stackfit {

namespace {

constexpr std::int64_t k_ns_per_hour = 3600LL * 1'000'000'000;

std::int64_t hour_of(std::int64_t t_ns) {
  // Floor division: readings before 1970 (tests) land in the right hour;
  // no negation, so INT64_MIN from a broken source is safe too.
  return t_ns >= 0 ? t_ns / k_ns_per_hour : (t_ns + 1) / k_ns_per_hour - 1;
}

std::int64_t scaled(std::int64_t bytes, double factor) {
  return recommend_detail::clamp_size(static_cast<double>(bytes) * factor);
}

// a + b (both >= 0), at most k_max_size as clamp_size: a broken source's
// limit of INT64_MAX must not overflow.
std::int64_t plus(std::int64_t a, std::int64_t b) {
  using recommend_detail::k_max_size;
  return a >= k_max_size - b ? k_max_size : a + b;
}

}  // namespace

HourSummary* HourlyEnvelope::bucket(std::int64_t t_ns) {
  if (t_ns >= m_back_from_ns && t_ns < m_back_to_ns) return &m_hours.back();
  const std::int64_t hour = hour_of(t_ns);
  if (m_hours.empty() || hour > m_hours.back().hour) {
    // Drop what falls out of the span, then grow at most to the span.
    const std::int64_t oldest = hour - k_span_hours + 1;
    auto keep = std::find_if(m_hours.begin(), m_hours.end(), [&](const HourSummary& h) { return h.hour >= oldest; });
    m_hours.erase(m_hours.begin(), keep);
    if (m_hours.size() == m_hours.capacity()) {
      m_hours.reserve(std::min<std::size_t>(std::max<std::size_t>(2 * m_hours.capacity(), 8), k_span_hours));
    }
    m_hours.push_back(HourSummary{static_cast<std::int32_t>(hour)});
    // The hour's start saturates at the first representable time (INT64_MIN's
    // hour begins before it).
    if (__builtin_mul_overflow(hour, k_ns_per_hour, &m_back_from_ns)) {
      m_back_from_ns = std::numeric_limits<std::int64_t>::min();
    }
    const bool last_hour = m_back_from_ns > std::numeric_limits<std::int64_t>::max() - k_ns_per_hour;
    m_back_to_ns = last_hour ? std::numeric_limits<std::int64_t>::max() : m_back_from_ns + k_ns_per_hour;
    return &m_hours.back();
  }
  if (hour < m_hours.back().hour - k_span_hours + 1) return nullptr;
  auto it = std::lower_bound(m_hours.begin(), m_hours.end(), hour,
                             [](const HourSummary& h, std::int64_t v) { return h.hour < v; });
  if (it == m_hours.end() || it->hour != hour) it = m_hours.insert(it, HourSummary{static_cast<std::int32_t>(hour)});
  return &*it;
}

void HourlyEnvelope::add(std::int64_t t_ns, std::int64_t bytes, bool startup) {
  HourSummary* h = bucket(t_ns);
  if (h == nullptr) return;
  if (startup) {
    h->startup_max_bytes = std::max(h->startup_max_bytes, bytes);
    return;
  }
  ++h->count;
  h->max_bytes = std::max(h->max_bytes, bytes);
  h->sum_bytes += static_cast<double>(bytes);
}

void HourlyEnvelope::add_oom(std::int64_t t_ns, std::int64_t limit_bytes, std::int64_t kills) {
  HourSummary* h = bucket(t_ns);
  if (h == nullptr) return;
  const std::int64_t room = std::numeric_limits<std::uint32_t>::max() - h->oom_kills;
  h->oom_kills += static_cast<std::uint32_t>(std::clamp<std::int64_t>(kills, 0, room));
  std::int64_t at = limit_bytes >= 0 ? limit_bytes : std::max(h->max_bytes, h->startup_max_bytes);
  h->oom_limit_bytes = std::max(h->oom_limit_bytes, at);
}

std::string AdaptiveChoice::model_name() const {
  using recommend_detail::fixed;
  std::string name = "max " + std::to_string(window_hours / 24) + "d x" + fixed(margin, 2);
  if (!base_model) return name;
  return "base: " + name + " + " + std::to_string((headroom_bytes + (1 << 19)) >> 20) + " MiB";
}

namespace {

// The maximum of the steady readings in a trailing window, as a sweep over
// the hours moves forward (a monotonic deque: each hour enters and leaves once).
class WindowMax {
 public:
  explicit WindowMax(std::int64_t window_hours) : m_window(window_hours) {}
  void push(const HourSummary& h) {
    if (h.count == 0) return;
    while (!m_max.empty() && m_max.back().second <= h.max_bytes) m_max.pop_back();
    m_max.emplace_back(h.hour, h.max_bytes);
  }
  // The maximum over the hours in [hour - window, hour), or 0 when none.
  std::int64_t before(std::int64_t hour) {
    while (!m_max.empty() && m_max.front().first < hour - m_window) m_max.pop_front();
    return m_max.empty() ? 0 : m_max.front().second;
  }

 private:
  std::int64_t m_window;
  std::deque<std::pair<std::int64_t, std::int64_t>> m_max;
};

constexpr std::size_t k_windows = std::tuple_size_v<decltype(AdaptiveOptions::window_hours)>;
constexpr std::size_t k_margins = std::tuple_size_v<decltype(AdaptiveOptions::margins)>;

struct ModelScore {
  double cost = 0;
  std::int64_t scored = 0;
  std::int64_t overruns = 0;
};

using Scores = std::array<std::array<ModelScore, k_margins>, k_windows>;

// Replays every model over the hours (Autopilot's online cost, section 4.2).
Scores score_models(const std::vector<HourSummary>& hours, const AdaptiveOptions& o) {
  Scores scores{};
  std::vector<WindowMax> windows;
  for (std::int64_t w : o.window_hours) windows.emplace_back(w);
  std::int64_t previous = hours.empty() ? 0 : hours.front().hour;
  for (const HourSummary& h : hours) {
    const double decay = std::exp2(-static_cast<double>(h.hour - previous) / o.half_life_hours);
    previous = h.hour;
    const bool killed = h.oom_limit_bytes >= 0;
    const double mean = h.count ? h.sum_bytes / h.count : 0;
    for (std::size_t w = 0; w < k_windows; ++w) {
      const std::int64_t basis = windows[w].before(h.hour);
      for (std::size_t m = 0; m < k_margins; ++m) {
        ModelScore& s = scores[w][m];
        s.cost *= decay;
        if (basis == 0 || (h.count == 0 && !killed)) continue;
        const double limit = static_cast<double>(basis) * o.margins[m];
        const bool over = (killed && limit < static_cast<double>(h.oom_limit_bytes) * o.oom_demand_ratio) ||
                          (h.count > 0 && static_cast<double>(h.max_bytes) > limit);
        ++s.scored;
        if (over) {
          ++s.overruns;
          s.cost += o.overrun_cost;
        } else {
          s.cost += o.slack_cost * (1 - mean / limit);
        }
      }
      windows[w].push(h);
    }
  }
  return scores;
}

// Largest value of `field` over the hours in [last - window + 1, last].
template <class Field>
std::int64_t recent_max(const std::vector<HourSummary>& hours, std::int64_t window_hours, Field field) {
  std::int64_t best = 0;
  const std::int64_t from = hours.back().hour - window_hours + 1;
  for (auto it = hours.rbegin(); it != hours.rend() && it->hour >= from; ++it) best = std::max(best, field(*it));
  return best;
}

// The cheapest model with enough scored hours into `c`; false when none has.
bool pick_cheapest(const Scores& scores, const AdaptiveOptions& o, AdaptiveChoice& c) {
  double best = std::numeric_limits<double>::infinity();
  double second = best;
  for (std::size_t w = 0; w < k_windows; ++w) {
    for (std::size_t m = 0; m < k_margins; ++m) {
      const ModelScore& s = scores[w][m];
      if (best == std::numeric_limits<double>::infinity()) c.scored_hours = std::max(c.scored_hours, s.scored);
      if (s.scored < o.min_scored_hours) continue;
      if (s.cost < best) {
        second = best;
        best = s.cost;
        c.window_hours = o.window_hours[w];
        c.margin = o.margins[m];
        c.cost = s.cost;
        c.scored_hours = s.scored;
        c.overrun_hours = s.overruns;
      } else if (s.cost < second) {
        second = s.cost;
      }
    }
  }
  c.runner_up_cost = second;
  return best < std::numeric_limits<double>::infinity();
}

std::int64_t steady_max(const HourSummary& h) { return h.count ? h.max_bytes : 0; }
std::int64_t startup_max(const HourSummary& h) { return h.startup_max_bytes; }
std::int64_t kill_limit(const HourSummary& h) { return h.oom_limit_bytes; }

// The floor after kills: x oom_step for oom_hold_hours, VPA's bump for oom_bump_hours.
std::int64_t oom_floor(const std::vector<HourSummary>& hours, const AdaptiveOptions& o) {
  const std::int64_t lately = recent_max(hours, o.oom_hold_hours, kill_limit);
  const std::int64_t within = recent_max(hours, o.oom_bump_hours, kill_limit);
  std::int64_t floor = lately > 0 ? scaled(lately, o.oom_step) : 0;
  if (within > 0) floor = std::max({floor, scaled(within, o.oom_bump_ratio), plus(within, o.oom_min_bump_bytes)});
  return floor;
}

}  // namespace

std::optional<AdaptiveChoice> choose_adaptive_limit(const HourlyEnvelope& envelope, const AdaptiveOptions& o) {
  const std::vector<HourSummary>& hours = envelope.hours();
  if (hours.empty()) return std::nullopt;
  AdaptiveChoice c;
  const bool ensemble = pick_cheapest(score_models(hours, o), o, c) && c.scored_hours < o.ensemble_until_hours;
  if (ensemble) {
    c.limit_bytes = scaled(recent_max(hours, c.window_hours, steady_max), c.margin);
    const std::int64_t startup_peak = recent_max(hours, c.window_hours, startup_max);
    if (scaled(startup_peak, c.margin) > c.limit_bytes) {
      c.startup_bytes = startup_peak;
      c.limit_bytes = scaled(startup_peak, c.margin);
    }
  } else {
    // The base model covers start-up the same way: a restart reaches it again.
    c.base_model = true;
    c.window_hours = o.base_window_hours;
    c.margin = 1 + o.base_margin;
    const std::int64_t steady_peak = recent_max(hours, o.base_window_hours, steady_max);
    const std::int64_t startup_peak = recent_max(hours, o.base_window_hours, startup_max);
    if (startup_peak > steady_peak) c.startup_bytes = startup_peak;
    const std::int64_t peak = std::max(steady_peak, startup_peak);
    c.headroom_bytes = std::min(o.headroom_bytes, scaled(peak, o.headroom_max_share));
    c.limit_bytes = plus(scaled(peak, c.margin), c.headroom_bytes);
  }
  const std::int64_t floor = oom_floor(hours, o);
  if (floor > c.limit_bytes) {
    c.oom_floor_bytes = floor;
    c.limit_bytes = floor;
  }
  return c;
}

}  // namespace stackfit
