// `plan --db FILE`: option A from recorded history. The stack's project is
// streamed from the store into a Recommender with `recommend`'s default
// options (SampleStore::stream_usage, as `recommend --db` does), and every
// service with enough data becomes a recommendation for option A.
#pragma once

#include <string>
#include <vector>

#include "stackfit/analyze/recommendation.hpp"
#include "stackfit/model/resource_target.hpp"
#include "stackfit/model/stack.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

struct PlanHistory {
  std::vector<RecommendedTarget> recommendations;  // services with status ok or trend
  std::vector<std::string> not_enough_data;        // services recorded too briefly, or never
};

// The stack's services as option A sees them, out of a Recommender that has
// folded the history (also `report`'s plan, which streams the store once).
[[nodiscard]] PlanHistory plan_recommendations(const Recommender& recommender, const Stack& stack);

// Errors: not_found "FILE: no sample store (record history first with
// `stackfit record`)" (record/history_store), and the store's own errors. Samples of other projects are not read.
[[nodiscard]] Expected<PlanHistory> plan_history(const std::string& db, const Stack& stack);

}  // namespace stackfit
