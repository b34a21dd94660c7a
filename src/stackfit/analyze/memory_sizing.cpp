#include "stackfit/analyze/memory_sizing.hpp"

#include <algorithm>

#include "stackfit/analyze/recommend_text.hpp"

namespace stackfit {

using namespace recommend_detail;

namespace {

std::string margin_text(double margin) { return "+" + percent(margin) + " margin"; }

void size_request(const WorkloadState& w, const RecommendOptions& o, MemorySizing& s,
                  std::vector<std::string>& reasons) {
  const bool steady = w.steady_samples > 0;
  const Bytes steady_basis = steady ? w.steady_peak : w.peak;
  if (o.profile == Profile::prod) {
    s.request = scale(steady_basis, 1 + o.margin);
    reasons.push_back("memory request: steady-state peak " + format_human_bytes(steady_basis) + ", " +
                      margin_text(o.margin));
  } else {
    s.request = steady ? Bytes{static_cast<std::int64_t>(w.memory.percentile(0.5))} : steady_basis;
    reasons.push_back("memory request (dev): steady-state median " + format_human_bytes(s.request) + ", no margin");
  }
}

MemorySizing size_peak(const WorkloadState& w, const RecommendOptions& o, std::int64_t history_ns,
                       std::vector<std::string>& reasons) {
  MemorySizing s;
  s.limit = scale(w.peak, 1 + o.margin);
  const std::string startup =
      w.startup_peak.count > 0 ? " (start-up peak " + format_human_bytes(w.startup_peak) + ")" : "";
  reasons.push_back("memory limit: peak " + format_human_bytes(w.peak) + " over " + duration_text(history_ns) +
                    startup + ", " + margin_text(o.margin));
  size_request(w, o, s, reasons);
  return s;
}

std::string adaptive_reason(const AdaptiveChoice& c, const AdaptiveOptions& o) {
  std::string text = "memory limit: ";
  if (c.base_model) {
    text += "adaptive's base model, the largest reading of the last " + std::to_string(c.window_hours / 24) +
            " days +" + percent(c.margin - 1) + " + " + format_human_bytes(Bytes{c.headroom_bytes}) +
            " headroom (min(" + format_human_bytes(Bytes{o.headroom_bytes}) + ", " + percent(o.headroom_max_share) +
            " of that reading))";
    if (c.scored_hours >= o.ensemble_until_hours) {
      text += "; a day or more of history: the base model decides (docs/backtest.md)";
    } else {
      text += "; " + std::to_string(c.scored_hours) + " scored hours, too few for the ensemble (need " +
              std::to_string(o.min_scored_hours) + ")";
    }
  } else {
    text += "model \"" + c.model_name() + "\" won: cheapest of " +
            std::to_string(o.window_hours.size() * o.margins.size()) + " on " + std::to_string(c.scored_hours) +
            " scored hours (cost " + fixed(c.cost, 1) + ", next " + fixed(c.runner_up_cost, 1) + "; " +
            std::to_string(c.overrun_hours) + " hour(s) above its limit)";
  }
  if (c.scored_hours < o.ensemble_until_hours) {
    text += "; less than a day of history: a spike it has not seen yet will be OOM-killed once, then the limit "
            "steps up x" + fixed(o.oom_step, 1);
  }
  if (c.startup_bytes > 0) text += "; the start-up peak " + format_human_bytes(Bytes{c.startup_bytes}) + " is covered";
  if (c.oom_floor_bytes > 0) {
    text += "; held at " + format_human_bytes(Bytes{c.oom_floor_bytes}) + " after an OOM kill (x" +
            fixed(o.oom_step, 1) + " for " + std::to_string(o.oom_hold_hours) + " hours, then max(x" +
            fixed(o.oom_bump_ratio, 1) + ", +" + format_human_bytes(Bytes{o.oom_min_bump_bytes}) + ") for " +
            std::to_string(o.oom_bump_hours / 24) + " days)";
  }
  return text;
}

MemorySizing size_adaptive(const WorkloadState& w, const RecommendOptions& o, std::int64_t history_ns,
                           std::vector<std::string>& reasons) {
  AdaptiveOptions ao = o.adaptive;
  ao.oom_bump_ratio = o.oom_bump_ratio;
  ao.oom_min_bump_bytes = o.oom_min_bump.count;
  std::optional<AdaptiveChoice> choice = choose_adaptive_limit(w.hours, ao);
  if (!choice) return size_peak(w, o, history_ns, reasons);  // every reading older than its span
  MemorySizing s;
  s.limit = Bytes{choice->limit_bytes};
  reasons.push_back(adaptive_reason(*choice, ao));
  if (w.oom_kills > 0) {
    reasons.push_back("OOM-killed " + std::to_string(w.oom_kills) + (w.oom_kills == 1 ? " time" : " times") +
                      " in the window (the limit's floor follows the kills of the last week)");
  }
  s.adaptive = choice;
  size_request(w, o, s, reasons);
  return s;
}

MemorySizing size_percentile(const WorkloadState& w, const WorkloadContext& ctx, const RecommendOptions& o,
                             std::int64_t history_ns, std::vector<std::string>& reasons) {
  const double m = 1 + o.margin;
  const bool steady = w.steady_samples > 0;
  double c = std::min(static_cast<double>(history_ns) / k_ns_per_day, static_cast<double>(w.samples) / 1440.0);
  double p_target = steady ? w.memory.percentile(o.target_percentile) : static_cast<double>(w.peak.count);
  double p_lower = steady ? w.memory.percentile(o.lower_percentile) : static_cast<double>(w.peak.count);
  double p_upper = steady ? w.memory.percentile(o.upper_percentile) : static_cast<double>(w.peak.count);
  Bytes lower{clamp_size(c > 0 ? p_lower * m * std::pow(1 + 0.001 / c, -2.0) : 0.0)};
  // VPA's upper-bound multiplier (1 + 1/c), capped at its 12-hour value (x3):
  // uncapped, an hour of history would multiply by 25 (and none, by infinity).
  const double multiplier = c > 0 ? std::min(1 + 1 / c, 3.0) : 3.0;
  Bytes upper{clamp_size(p_upper * m * multiplier)};
  Bytes startup_limit = scale(w.startup_peak, m);
  MemorySizing s;
  s.limit = std::max(upper, startup_limit);
  std::string why = "memory limit: p" + std::to_string(std::lround(o.upper_percentile * 100)) + " " +
                    format_human_bytes(Bytes{static_cast<std::int64_t>(p_upper)}) + ", " + margin_text(o.margin) +
                    ", x" + fixed(multiplier, 2) + " for " + duration_text(history_ns) + " of history";
  if (startup_limit > upper) {
    why += "; raised to cover the start-up peak " + format_human_bytes(w.startup_peak) + " " + margin_text(o.margin);
  }
  // A limit the history cannot back: the low-confidence multiplier may not
  // take it past max(the declared limit, 2 x the observed peak).
  Bytes cap = std::max(ctx.declared.memory_limit.value_or(Bytes{}), scale(w.peak, 2.0));
  if (s.limit > cap) {
    s.limit = cap;
    why += "; capped at " + format_human_bytes(cap) + " = max(declared limit, 2 x the observed peak " +
           format_human_bytes(w.peak) + "): more is not backed by the history";
  }
  reasons.push_back(why);
  if (o.profile == Profile::prod) {
    s.request = Bytes{clamp_size(p_target * m)};
    reasons.push_back("memory request: p" + std::to_string(std::lround(o.target_percentile * 100)) + " " +
                      format_human_bytes(Bytes{static_cast<std::int64_t>(p_target)}) + " of the decaying histogram, " +
                      margin_text(o.margin));
  } else {
    s.request = lower;
    reasons.push_back("memory request (dev): p" + std::to_string(std::lround(o.lower_percentile * 100)) + " " +
                      format_human_bytes(Bytes{static_cast<std::int64_t>(p_lower)}) + ", " + margin_text(o.margin));
  }
  return s;
}

// The limit a kill was made with: the killed container's, else the declared
// one, else the largest recorded; unknown: what the killed instance reached.
std::pair<Bytes, std::string> killed_with(const WorkloadState& w, const WorkloadContext& ctx) {
  std::optional<Bytes> base = w.oom_limit;
  if (!base) base = ctx.declared.memory_limit;
  if (!base) base = w.limit_seen;
  if (base) return {*base, "with a " + format_human_bytes(*base) + " limit"};
  Bytes reached = w.oom_usage.count > 0 ? w.oom_usage : w.peak;
  return {reached, "(limit unknown; it had reached " + format_human_bytes(reached) + ")"};
}

std::string bump_text(const RecommendOptions& o) {
  return "max(x" + fixed(o.oom_bump_ratio, 1) + ", +" + format_human_bytes(o.oom_min_bump) + ")";
}

std::string kills_text(std::int64_t kills) { return std::to_string(kills) + (kills == 1 ? " time " : " times "); }

void apply_oom_floor(const WorkloadState& w, const WorkloadContext& ctx, const RecommendOptions& o, MemorySizing& s,
                     std::vector<std::string>& reasons) {
  if (w.oom_kills == 0) return;
  auto [base, what] = killed_with(w, ctx);
  Bytes floor = oom_bump(base, o);
  std::string kills = kills_text(w.oom_kills);
  if (s.limit < floor) {
    s.limit = floor;
    reasons.push_back("OOM-killed " + kills + what + ": limit raised to " + bump_text(o) + " = " +
                      format_human_bytes(floor));
  } else {
    reasons.push_back("OOM-killed " + kills + what + ": the limit is already above " + bump_text(o) + " = " +
                      format_human_bytes(floor));
  }
}

}  // namespace

MemorySizing size_memory(const WorkloadState& w, Strategy strategy, const WorkloadContext& ctx,
                         const RecommendOptions& o, std::int64_t history_ns, std::vector<std::string>& reasons) {
  MemorySizing s;
  switch (strategy) {
    case Strategy::adaptive: return size_adaptive(w, o, history_ns, reasons);  // its own OOM floor
    case Strategy::peak: s = size_peak(w, o, history_ns, reasons); break;
    case Strategy::percentile: s = size_percentile(w, ctx, o, history_ns, reasons); break;
  }
  apply_oom_floor(w, ctx, o, s, reasons);
  return s;
}

Bytes oom_only_limit(const WorkloadState& w, const WorkloadContext& ctx, const RecommendOptions& o,
                     std::vector<std::string>& reasons) {
  auto [base, what] = killed_with(w, ctx);
  Bytes floor = oom_bump(base, o);
  reasons.push_back("OOM-killed " + kills_text(w.oom_kills) + what + ": too few samples for a strategy, so the limit is "
                    "the OOM bump alone, " + bump_text(o) + " = " + format_human_bytes(floor) +
                    "; record longer for a sized one");
  return floor;
}

}  // namespace stackfit
