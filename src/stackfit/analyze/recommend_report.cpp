#include "stackfit/analyze/recommend_report.hpp"

#include <set>

namespace stackfit {
namespace {

bool same_workload(const WorkloadKey& seen, const Service& s) {
  return seen.name == s.name && (seen.namespace_.empty() || s.namespace_.empty() || seen.namespace_ == s.namespace_);
}

std::optional<Strategy> strategy_for(const std::map<std::string, Strategy>& overrides, const std::string& name) {
  auto it = overrides.find(name);
  return it == overrides.end() ? std::nullopt : std::optional<Strategy>(it->second);
}

// One row per recorded container of `s` (or one without history), in the
// stack's terms; marks the `seen` entries it used.
void recommend_service(const Recommender& recommender, const Service& s, const std::vector<SeenWorkload>& seen,
                       const std::map<std::string, Strategy>& overrides, std::vector<bool>& matched,
                       RecommendReport& report) {
  bool any = false;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    if (!same_workload(seen[i].key, s)) continue;
    matched[i] = any = true;
    WorkloadContext ctx{s.resources, s.hints, strategy_for(overrides, s.name)};
    for (const Container& c : s.containers) {
      if (!seen[i].key.container.empty() && c.name == seen[i].key.container) {
        ctx.declared = c.resources;
        ctx.hints = c.hints;
      }
    }
    Recommendation r = recommender.recommend(seen[i].key, ctx);
    r.key = WorkloadKey{s.namespace_, s.kind, s.name, seen[i].key.container};
    report.services.push_back(std::move(r));
  }
  if (!any) {
    const WorkloadKey own{s.namespace_, s.kind, s.name, ""};
    report.services.push_back(recommender.recommend(own, {s.resources, s.hints, strategy_for(overrides, s.name)}));
  }
}

}  // namespace

Expected<RecommendReport> assemble_recommend_report(const Recommender& recommender, const std::optional<Stack>& stack,
                                                    const std::vector<SeenWorkload>& seen,
                                                    const std::map<std::string, Strategy>& overrides) {
  RecommendReport report;
  report.strategy = recommender.options().strategy;
  report.profile = recommender.options().profile;
  std::set<std::string> known;
  if (stack) {
    std::vector<bool> matched(seen.size(), false);
    for (const Service& s : stack->services) {
      known.insert(s.name);
      recommend_service(recommender, s, seen, overrides, matched, report);
    }
    for (std::size_t i = 0; i < seen.size(); ++i) {
      if (matched[i]) continue;
      report.notes.push_back("service \"" + seen[i].key.name + "\" was recorded (" + std::to_string(seen[i].samples) +
                             " samples) but is not in the stack (renamed or removed?): not recommended");
    }
  } else {
    for (const SeenWorkload& w : seen) {
      // Compose keys carry no project: one service name is one workload.
      if (!known.insert(w.key.name).second) continue;
      WorkloadContext ctx;
      ctx.declared.memory_limit = w.memory_limit;
      if (const WorkloadState* state = recommender.state(w.key)) ctx.declared.cpu_limit = state->throttle.limit_seen;
      ctx.strategy = strategy_for(overrides, w.key.name);
      report.services.push_back(recommender.recommend(w.key, ctx));
    }
    report.notes.push_back("no stack given (-f/-k): declared values are the recorded limits; no runtime knobs");
  }
  for (const auto& [name, strategy] : overrides) {
    if (known.count(name) == 0) return make_error(ErrorCode::usage, "--strategy-for: no service \"" + name + "\"");
  }
  return report;
}

Expected<RecommendReport> assemble_cluster_report(const Recommender& recommender,
                                                  const std::map<std::string, Strategy>& overrides) {
  RecommendReport report;
  report.strategy = recommender.options().strategy;
  report.profile = recommender.options().profile;
  std::set<std::string> matched;
  for (const WorkloadKey& key : recommender.workloads()) {
    WorkloadContext ctx;
    if (const WorkloadState* state = recommender.state(key)) {
      ctx.declared.memory_limit = state->limit_seen;
      ctx.declared.cpu_limit = state->throttle.limit_seen;
    }
    for (const std::string& name : {key.name + "/" + key.container, key.name}) {
      if (auto it = overrides.find(name); it != overrides.end() && !ctx.strategy) {
        ctx.strategy = it->second;
        matched.insert(name);
      }
    }
    report.services.push_back(recommender.recommend(key, ctx));
  }
  for (const auto& [name, strategy] : overrides) {
    if (matched.count(name) == 0) return make_error(ErrorCode::usage, "--strategy-for: no workload \"" + name + "\"");
  }
  return report;
}

}  // namespace stackfit
