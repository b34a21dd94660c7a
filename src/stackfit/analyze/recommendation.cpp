#include "stackfit/analyze/recommendation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "stackfit/analyze/memory_sizing.hpp"
#include "stackfit/analyze/recommend_text.hpp"
#include "stackfit/analyze/runtime_knobs.hpp"

namespace stackfit {

using namespace recommend_detail;

namespace {


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

const char* to_string(Strategy s) {
  switch (s) {
    case Strategy::adaptive: return "adaptive";
    case Strategy::peak: return "peak";
    case Strategy::percentile: return "percentile";
  }
  return "adaptive";
}
const char* to_string(Profile p) { return p == Profile::prod ? "prod" : "dev"; }
const char* to_string(RecommendationStatus s) {
  switch (s) {
    case RecommendationStatus::ok: return "ok";
    case RecommendationStatus::not_enough_data: return "not_enough_data";
    case RecommendationStatus::trend: return "trend";
    case RecommendationStatus::oom_only: return "oom_only";
  }
  return "ok";
}

Expected<Strategy> parse_strategy(std::string_view text) {
  if (text == "adaptive") return Strategy::adaptive;
  if (text == "peak") return Strategy::peak;
  if (text == "percentile") return Strategy::percentile;
  return make_error(ErrorCode::usage,
                    "unknown strategy \"" + std::string(text) + "\" (expected adaptive, peak or percentile)");
}

Expected<Profile> parse_profile(std::string_view text) {
  if (text == "prod") return Profile::prod;
  if (text == "dev") return Profile::dev;
  return make_error(ErrorCode::usage, "unknown profile \"" + std::string(text) + "\" (expected prod or dev)");
}

std::size_t WorkloadState::state_bytes() const {
  std::size_t bytes = sizeof(WorkloadState) + instances.capacity() * sizeof(instances[0]) + hours.state_bytes();
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
  w.hours.add(t_ns, ws.count, startup);
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

void Recommender::oom_kill(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns,
                           std::int64_t kills) {
  WorkloadState& w = state_for(key);
  InstanceState& inst = instance_for(w, instance);
  if (__builtin_add_overflow(w.oom_kills, kills, &w.oom_kills)) w.oom_kills = std::numeric_limits<std::int64_t>::max();
  w.hours.add_oom(t_ns, inst.limit ? inst.limit->count : -1, kills);
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
  if (strategy != Strategy::percentile) {  // adaptive sizes CPU as peak does
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
  r.cpu_limit_advice = advise_cpu_limit(
      w.throttle, CpuLimitInputs{r.declared.cpu_limit, pct(0.99), w.cpu_peak, *r.recommended.cpu_request},
      CpuLimitRules{o.cpu_throttle_target, o.margin, o.cpu_step});
  r.recommended.cpu_limit = r.cpu_limit_advice.limit;
  if (r.cpu_limit_advice.change == CpuLimitChange::none) {
    r.reasons.push_back(why + "; no CPU limit (throttling costs latency; KRR and VPA set none)");
  } else {
    r.reasons.push_back(why);
    r.reasons.push_back(r.cpu_limit_advice.reason);
  }
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
    if (w->oom_kills == 0) {
      r.reasons.push_back("only " + std::to_string(w->samples) + " samples over " + duration_text(r.history_ns) +
                          " (need " + std::to_string(o.points_required) + "): nothing recommended");
      return r;
    }
    r.status = RecommendationStatus::oom_only;
    r.reasons.push_back("only " + std::to_string(w->samples) + " samples over " + duration_text(r.history_ns) +
                        " (need " + std::to_string(o.points_required) + " for a strategy)");
    r.recommended.memory_limit = finish_memory(oom_only_limit(*w, ctx, o, r.reasons), o);
    return r;
  }
  r.status = RecommendationStatus::ok;
  MemorySizing s = size_memory(*w, r.strategy, ctx, o, r.history_ns, r.reasons);
  r.adaptive = s.adaptive;
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
