#include "stackfit/analyze/recommendation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "stackfit/analyze/runtime_knobs.hpp"

namespace stackfit {

namespace {

constexpr double k_ns_per_hour = 3600.0 * 1e9;
constexpr double k_ns_per_day = 24 * k_ns_per_hour;

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string duration_text(std::int64_t ns) {
  double hours = static_cast<double>(ns) / k_ns_per_hour;
  if (hours >= 48) return fixed(hours / 24, 1) + " days";
  if (hours >= 1) return fixed(hours, 1) + " hours";
  return fixed(hours * 60, 0) + " minutes";
}

std::string percent(double fraction) { return std::to_string(static_cast<int>(std::lround(fraction * 100))) + "%"; }

// Past this, sizes are nonsense from a broken source; clamping keeps the
// arithmetic (margins, rounding) free of overflow (4 EiB).
constexpr std::int64_t k_max_size = std::int64_t{1} << 62;

std::int64_t clamp_size(double v) {
  if (!(v > 0)) return 0;
  if (v >= static_cast<double>(k_max_size)) return k_max_size;
  return static_cast<std::int64_t>(std::ceil(v));
}

Bytes scale(Bytes b, double factor) { return Bytes{clamp_size(static_cast<double>(b.count) * factor)}; }

struct Trend {
  double slope_mib_per_hour = 0;
  double r2 = 0;
  double mean_mib = 0;
  double span_hours = 0;
};

Trend fit(const WorkloadState& w) {
  Trend t;
  if (w.n < 3) return t;
  double var_t = w.sum_tt - w.sum_t * w.sum_t / w.n;
  double var_y = w.sum_yy - w.sum_y * w.sum_y / w.n;
  double cov = w.sum_ty - w.sum_t * w.sum_y / w.n;
  t.mean_mib = w.sum_y / w.n;
  if (var_t <= 0) return t;
  t.slope_mib_per_hour = cov / var_t;
  t.r2 = var_y > 0 ? (cov * cov) / (var_t * var_y) : 0;
  return t;
}

}  // namespace

const char* to_string(Strategy s) { return s == Strategy::peak ? "peak" : "percentile"; }
const char* to_string(Profile p) { return p == Profile::prod ? "prod" : "dev"; }
const char* to_string(RecommendationStatus s) {
  switch (s) {
    case RecommendationStatus::ok: return "ok";
    case RecommendationStatus::not_enough_data: return "not_enough_data";
    case RecommendationStatus::trend: return "trend";
  }
  return "ok";
}

Expected<Strategy> parse_strategy(std::string_view text) {
  if (text == "peak") return Strategy::peak;
  if (text == "percentile") return Strategy::percentile;
  return make_error(ErrorCode::usage, "unknown strategy \"" + std::string(text) + "\" (expected peak or percentile)");
}

Expected<Profile> parse_profile(std::string_view text) {
  if (text == "prod") return Profile::prod;
  if (text == "dev") return Profile::dev;
  return make_error(ErrorCode::usage, "unknown profile \"" + std::string(text) + "\" (expected prod or dev)");
}

std::size_t WorkloadState::state_bytes() const {
  std::size_t bytes = sizeof(WorkloadState) + instances.capacity() * sizeof(instances[0]);
  for (const auto& [name, st] : instances) {
    if (name.capacity() > 15) bytes += name.capacity() + 1;  // beyond the small-string buffer
  }
  return bytes;
}

Bytes oom_bump(Bytes limit_at_kill, const RecommendOptions& o) {
  Bytes plus{limit_at_kill.count >= k_max_size ? k_max_size : limit_at_kill.count + o.oom_min_bump.count};
  return std::max(scale(limit_at_kill, o.oom_bump_ratio), plus);
}

std::int64_t round_up(std::int64_t value, std::int64_t step) {
  if (step <= 0) return value;
  if (value > k_max_size) value = k_max_size;  // no overflow below
  return (value + step - 1) / step * step;
}

double confidence_of(std::int64_t history_ns, std::int64_t samples) {
  double days = static_cast<double>(history_ns) / k_ns_per_day;
  double c = std::min(days, static_cast<double>(samples) / 1440.0);
  if (c <= 0) return 0;
  return c / (1 + c);
}

Recommender::Recommender(RecommendOptions options) : m_options(options) {}
Recommender::~Recommender() = default;

WorkloadState& Recommender::state_for(const WorkloadKey& key) {
  // Sources push memory, cpu and limit of one point one after the other.
  if (&key == m_last_address && *m_last.first == key) return *m_last.second;
  m_last = lookup(key);
  m_last_address = &key;
  return *m_last.second;
}

std::pair<const WorkloadKey*, WorkloadState*> Recommender::lookup(const WorkloadKey& key) {
  auto cached = m_by_address.find(&key);
  // The address may now hold another key (a temporary reused): compare the
  // values, which is cheap next to the map's ordered search.
  if (cached != m_by_address.end() && *cached->second.first == key) return cached->second;
  auto it = m_states.find(key);
  if (it == m_states.end()) it = m_states.emplace(key, std::make_unique<WorkloadState>()).first;
  // A source that builds a fresh key per point would grow the cache with
  // every point: keep it to a few entries per workload.
  if (m_by_address.size() > 4 * m_states.size() + 64) m_by_address.clear();
  std::pair<const WorkloadKey*, WorkloadState*> entry{&it->first, it->second.get()};
  m_by_address[&key] = entry;
  return entry;
}

InstanceState& Recommender::instance_for(WorkloadState& w, std::string_view instance) {
  for (auto& [name, st] : w.instances) {
    if (name == instance) return st;
  }
  w.instances.emplace_back(std::string(instance), InstanceState{});
  return w.instances.back().second;
}

void Recommender::memory(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Bytes ws) {
  WorkloadState& w = state_for(key);
  InstanceState& inst = instance_for(w, instance);
  if (w.samples == 0 || t_ns < w.first_ns) w.first_ns = t_ns;
  if (w.samples == 0 || t_ns > w.last_ns) w.last_ns = t_ns;
  ++w.samples;
  w.peak = std::max(w.peak, ws);
  inst.peak = std::max(inst.peak, ws);
  bool startup = inst.started && t_ns >= inst.start_ns && t_ns - inst.start_ns < m_options.startup_window_ns;
  if (startup) {
    w.startup_peak = std::max(w.startup_peak, ws);
    return;
  }
  ++w.steady_samples;
  w.steady_peak = std::max(w.steady_peak, ws);
  w.memory.add(static_cast<double>(ws.count), 1.0, t_ns);
  // Trend in hours since the first steady point of this recommender's run.
  if (w.n == 0) w.trend_origin_ns = t_ns;
  double t = static_cast<double>(t_ns - w.trend_origin_ns) / k_ns_per_hour;
  double y = static_cast<double>(ws.count) / static_cast<double>(k_mib);
  w.n += 1;
  w.sum_t += t;
  w.sum_y += y;
  w.sum_tt += t * t;
  w.sum_ty += t * y;
  w.sum_yy += y * y;
}

void Recommender::cpu(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Millicores rate) {
  WorkloadState& w = state_for(key);
  InstanceState& inst = instance_for(w, instance);
  ++w.cpu_samples;
  w.cpu_peak = std::max(w.cpu_peak, rate);
  bool startup = inst.started && t_ns >= inst.start_ns && t_ns - inst.start_ns < m_options.startup_window_ns;
  if (!startup) w.cpu.add(static_cast<double>(rate.count), 1.0, t_ns);
}

void Recommender::oom_kill(const WorkloadKey& key, std::string_view instance, std::int64_t) {
  WorkloadState& w = state_for(key);
  InstanceState& inst = instance_for(w, instance);
  ++w.oom_kills;
  w.oom_usage = std::max(w.oom_usage, inst.peak);
  if (inst.limit && (!w.oom_limit || *w.oom_limit < *inst.limit)) w.oom_limit = inst.limit;
}

void Recommender::start(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns) {
  WorkloadState& w = state_for(key);
  InstanceState& inst = instance_for(w, instance);
  if (inst.started) ++w.restarts;
  inst.started = true;
  inst.peak = Bytes{};
  inst.start_ns = t_ns;
}

void Recommender::memory_limit(const WorkloadKey& key, std::string_view instance, std::int64_t, Bytes limit) {
  WorkloadState& w = state_for(key);
  InstanceState& inst = instance_for(w, instance);
  inst.limit = limit;
  if (!w.limit_seen || *w.limit_seen < limit) w.limit_seen = limit;
}

std::vector<WorkloadKey> Recommender::workloads() const {
  std::vector<WorkloadKey> out;
  for (const auto& [key, st] : m_states) out.push_back(key);
  return out;
}

const WorkloadState* Recommender::state(const WorkloadKey& key) const {
  auto it = m_states.find(key);
  return it == m_states.end() ? nullptr : it->second.get();
}

namespace {

struct Sizing {
  Bytes request;
  Bytes limit;
};

// The memory request and limit of the chosen strategy and profile, before the
// OOM floor, minimums and rounding.
Sizing size_memory(const WorkloadState& w, Strategy strategy, const RecommendOptions& o, std::int64_t history_ns,
                   std::vector<std::string>& reasons) {
  const double m = 1 + o.margin;
  const bool steady = w.steady_samples > 0;
  const Bytes steady_basis = steady ? w.steady_peak : w.peak;
  const std::string margin = "+" + percent(o.margin) + " margin";
  const std::string startup =
      w.startup_peak.count > 0 ? " (start-up peak " + format_human_bytes(w.startup_peak) + ")" : "";
  Sizing s;
  if (strategy == Strategy::peak) {
    s.limit = scale(w.peak, m);
    reasons.push_back("memory limit: peak " + format_human_bytes(w.peak) + " over " + duration_text(history_ns) +
                      startup + ", " + margin);
    if (o.profile == Profile::prod) {
      s.request = scale(steady_basis, m);
      reasons.push_back("memory request: steady-state peak " + format_human_bytes(steady_basis) + ", " + margin);
    } else {
      s.request = steady ? Bytes{static_cast<std::int64_t>(w.memory.percentile(0.5))} : steady_basis;
      reasons.push_back("memory request (dev): steady-state median " + format_human_bytes(s.request) +
                        ", no margin");
    }
    return s;
  }
  // percentile: VPA's estimators over the steady-state histogram.
  double c = std::min(static_cast<double>(history_ns) / k_ns_per_day, static_cast<double>(w.samples) / 1440.0);
  double p_target = steady ? w.memory.percentile(o.target_percentile) : static_cast<double>(w.peak.count);
  double p_lower = steady ? w.memory.percentile(o.lower_percentile) : static_cast<double>(w.peak.count);
  double p_upper = steady ? w.memory.percentile(o.upper_percentile) : static_cast<double>(w.peak.count);
  Bytes target{clamp_size(p_target * m)};
  Bytes lower{clamp_size(c > 0 ? p_lower * m * std::pow(1 + 0.001 / c, -2.0) : 0.0)};
  // VPA's upper-bound multiplier (1 + 1/c), capped at its 12-hour value (x3):
  // uncapped, an hour of history would multiply by 25 (and none, by infinity).
  const double multiplier = c > 0 ? std::min(1 + 1 / c, 3.0) : 3.0;
  Bytes upper{clamp_size(p_upper * m * multiplier)};
  Bytes startup_limit = scale(w.startup_peak, m);
  s.limit = std::max(upper, startup_limit);
  reasons.push_back("memory limit: p" + std::to_string(std::lround(o.upper_percentile * 100)) + " " +
                    format_human_bytes(Bytes{static_cast<std::int64_t>(p_upper)}) + ", " + margin + ", x" +
                    fixed(multiplier, 2) + " for " + duration_text(history_ns) + " of history" +
                    (startup_limit > upper ? "; raised to cover the start-up peak " +
                                                 format_human_bytes(w.startup_peak) + " " + margin
                                           : ""));
  if (o.profile == Profile::prod) {
    s.request = target;
    reasons.push_back("memory request: p" + std::to_string(std::lround(o.target_percentile * 100)) + " " +
                      format_human_bytes(Bytes{static_cast<std::int64_t>(p_target)}) +
                      " of the decaying histogram, " + margin);
  } else {
    s.request = lower;
    reasons.push_back("memory request (dev): p" + std::to_string(std::lround(o.lower_percentile * 100)) + " " +
                      format_human_bytes(Bytes{static_cast<std::int64_t>(p_lower)}) + ", " + margin);
  }
  return s;
}

void apply_oom_floor(const WorkloadState& w, const WorkloadContext& ctx, const RecommendOptions& o, Sizing& s,
                     std::vector<std::string>& reasons) {
  if (w.oom_kills == 0) return;
  std::optional<Bytes> base = w.oom_limit;
  if (!base) base = ctx.declared.memory_limit;
  if (!base) base = w.limit_seen;
  std::string what = base ? "with a " + format_human_bytes(*base) + " limit" : "";
  if (!base) {
    base = w.oom_usage.count > 0 ? w.oom_usage : w.peak;
    what = "(limit unknown; it had reached " + format_human_bytes(*base) + ")";
  }
  Bytes floor = oom_bump(*base, o);
  std::string kills = std::to_string(w.oom_kills) + (w.oom_kills == 1 ? " time " : " times ");
  if (s.limit < floor) {
    s.limit = floor;
    reasons.push_back("OOM-killed " + kills + what + ": limit raised to max(x" + fixed(o.oom_bump_ratio, 1) + ", +" +
                      format_human_bytes(o.oom_min_bump) + ") = " + format_human_bytes(floor));
  } else {
    reasons.push_back("OOM-killed " + kills + what + ": the limit is already above max(x" +
                      fixed(o.oom_bump_ratio, 1) + ", +" + format_human_bytes(o.oom_min_bump) + ") = " +
                      format_human_bytes(floor));
  }
}

Bytes finish_memory(Bytes b, const RecommendOptions& o) {
  return Bytes{round_up(std::max(b, o.min_memory).count, o.memory_step.count)};
}

// A runtime that holds its data set in memory under a cap (a Redis that keeps
// data: noeviction refuses writes past maxmemory) needs a limit whose knob
// still holds what was seen; the steady peak stands for the data set.
Bytes raise_for_knobs(const WorkloadState& w, const WorkloadContext& ctx, const RecommendOptions& o, Bytes limit,
                      std::vector<std::string>& reasons) {
  Bytes data_set = w.steady_samples > 0 ? w.steady_peak : w.peak;
  Bytes floor = runtime_knob_limit_floor(ctx.hints, data_set);
  if (floor <= limit) return limit;
  Bytes raised = finish_memory(floor, o);
  reasons.push_back("limit raised to " + format_human_bytes(raised) + " so maxmemory still holds the " +
                    format_human_bytes(data_set) + " seen: this Redis keeps data and refuses writes past maxmemory");
  return raised;
}

void size_cpu(const WorkloadState& w, Strategy strategy, const RecommendOptions& o, Recommendation& r) {
  if (w.cpu_samples < o.points_required) {
    r.reasons.push_back("CPU: only " + std::to_string(w.cpu_samples) + " rate samples (need " +
                        std::to_string(o.points_required) + "): no CPU recommendation");
    return;
  }
  const bool steady = !w.cpu.empty();
  auto pct = [&](double p) { return steady ? w.cpu.percentile(p) : static_cast<double>(w.cpu_peak.count); };
  double value = 0;
  std::string why;
  bool dev = o.profile == Profile::dev;
  if (strategy == Strategy::peak) {
    double p = dev ? 0.5 : o.cpu_percentile;
    value = pct(p);
    why = "CPU request: p" + std::to_string(std::lround(p * 100)) + " " + format_human_cpu(Millicores{std::lround(value)}) +
          " cores of steady-state use";
  } else {
    double p = dev ? o.lower_percentile : o.target_percentile;
    value = pct(p) * (1 + o.margin);
    why = "CPU request: p" + std::to_string(std::lround(p * 100)) + " " +
          format_human_cpu(Millicores{std::lround(pct(p))}) + " cores, +" + percent(o.margin) + " margin";
  }
  std::int64_t millis = clamp_size(value);
  r.recommended.cpu_request = Millicores{round_up(std::max(millis, o.min_cpu.count), o.cpu_step.count)};
  r.reasons.push_back(why + "; no CPU limit (throttling costs latency; KRR and VPA set none)");
}

void check_trend(const WorkloadState& w, const RecommendOptions& o, Recommendation& r) {
  if (w.steady_samples < o.points_required) return;
  std::int64_t span_ns = w.last_ns - w.trend_origin_ns;
  if (span_ns < o.trend_min_history_ns) return;
  Trend t = fit(w);
  double span_hours = static_cast<double>(span_ns) / k_ns_per_hour;
  if (t.slope_mib_per_hour <= 0 || t.r2 < o.trend_min_r2) return;
  if (t.slope_mib_per_hour * span_hours < o.trend_min_rise * t.mean_mib) return;
  r.status = RecommendationStatus::trend;
  r.trend_bytes_per_hour = t.slope_mib_per_hour * static_cast<double>(k_mib);
  r.reasons.push_back("working set rises " + fixed(t.slope_mib_per_hour, 1) + " MiB/hour over " +
                      duration_text(span_ns) + " (R^2 " + fixed(t.r2, 2) +
                      "): a leak or a cache that never stops growing; sized from what was seen, "
                      "it will not hold if the growth goes on");
}

}  // namespace

Recommendation Recommender::recommend(const WorkloadKey& key, const WorkloadContext& ctx) const {
  Recommendation r;
  r.key = key;
  r.declared = ctx.declared;
  r.strategy = ctx.strategy.value_or(m_options.strategy);
  const WorkloadState* w = state(key);
  if (w == nullptr || w->samples == 0) {
    r.reasons.push_back("no samples in the window: nothing recommended");
    return r;
  }
  const RecommendOptions& o = m_options;
  r.samples = w->samples;
  r.cpu_samples = w->cpu_samples;
  r.first_ns = w->first_ns;
  r.last_ns = w->last_ns;
  r.history_ns = w->last_ns - w->first_ns;
  r.confidence = confidence_of(r.history_ns, r.samples);
  r.peak = w->peak;
  if (w->startup_peak.count > 0) r.startup_peak = w->startup_peak;
  if (w->steady_samples > 0) {
    r.steady_peak = w->steady_peak;
    r.p95 = Bytes{clamp_size(w->memory.percentile(0.95))};
  }
  if (w->cpu_samples > 0) {
    r.cpu_peak = w->cpu_peak;
    if (!w->cpu.empty()) r.cpu_p95 = Millicores{clamp_size(w->cpu.percentile(0.95))};
  }
  r.limit_seen = w->limit_seen;
  r.oom_kills = w->oom_kills;
  r.restarts = w->restarts;
  if (w->samples < o.points_required) {
    r.reasons.push_back("only " + std::to_string(w->samples) + " samples over " + duration_text(r.history_ns) +
                        " (need " + std::to_string(o.points_required) + "): nothing recommended");
    if (w->oom_kills > 0) r.reasons.push_back("OOM-killed " + std::to_string(w->oom_kills) + " times in the window");
    return r;
  }
  r.status = RecommendationStatus::ok;
  Sizing s = size_memory(*w, r.strategy, o, r.history_ns, r.reasons);
  apply_oom_floor(*w, ctx, o, s, r.reasons);
  Bytes limit = finish_memory(s.limit, o);
  Bytes request = std::min(finish_memory(s.request, o), limit);
  limit = raise_for_knobs(*w, ctx, o, limit, r.reasons);
  r.recommended.memory_limit = limit;
  r.recommended.memory_request = request;
  r.reasons.push_back("rounded up to " + format_human_bytes(o.memory_step) + ", at least " +
                      format_human_bytes(o.min_memory) + ": request " + format_human_bytes(request) + ", limit " +
                      format_human_bytes(limit));
  size_cpu(*w, r.strategy, o, r);
  check_trend(*w, o, r);
  r.knobs = runtime_knobs(ctx.hints, limit);
  for (const RuntimeKnobValue& k : r.knobs) {
    r.reasons.push_back(std::string(to_string(k.knob)) + " " + format_human_bytes(k.value) + ": " + k.reason);
  }
  return r;
}

}  // namespace stackfit
