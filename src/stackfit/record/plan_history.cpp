#include "stackfit/record/plan_history.hpp"

#include <limits>

#include "stackfit/analyze/recommendation.hpp"
#include "stackfit/record/history_store.hpp"
#include "stackfit/store/sample_store.hpp"
#include "stackfit/util/file_io.hpp"

namespace stackfit {

PlanHistory plan_recommendations(const Recommender& recommender, const Stack& stack) {
  PlanHistory out;
  for (const Service& s : stack.services) {
    Recommendation r = recommender.recommend(WorkloadKey{"", "service", s.name, ""},
                                             WorkloadContext{s.resources, s.hints, std::nullopt});
    if (r.status == RecommendationStatus::not_enough_data) {
      out.not_enough_data.push_back(s.name);
      continue;
    }
    ResourceTarget t;
    t.service = s.name;
    t.kind = s.kind;
    t.namespace_ = s.namespace_;
    t.resources = r.recommended;
    t.knobs = r.knobs;
    out.recommendations.push_back(RecommendedTarget{std::move(t), r.confidence, to_string(r.status)});
  }
  return out;
}

Expected<PlanHistory> plan_history(const std::string& db, const Stack& stack) {
  auto store = open_history_store(db);
  TRY(store);
  UsageStreamFilter filter;
  if (stack.kind == StackKind::compose && !stack.name.empty()) filter.project = stack.name;
  Recommender recommender(RecommendOptions{});
  constexpr std::int64_t k_all_to = std::numeric_limits<std::int64_t>::max();
  TRY(store->stream_usage(0, k_all_to, filter, recommender));
  return plan_recommendations(recommender, stack);
}

}  // namespace stackfit
