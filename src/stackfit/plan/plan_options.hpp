// The building blocks of `plan`'s stack-side options, shared by the machine
// plan (plan/fit_plan) and the cluster plan (plan/cluster_plan): what option
// A (tighten) and option B (drop) change, measured the way the caller counts
// memory. The callers add the totals and the verdict.
#pragma once

#include <string>

#include "stackfit/model/stack.hpp"
#include "stackfit/plan/fit_plan.hpp"
#include "stackfit/plan/optional_inference.hpp"
#include "stackfit/plan/tighten.hpp"

namespace stackfit {

// How a service's memory counts per replica: `committed` (the limit, else the
// request: what one machine must hold) or `requested` (the request, else the
// limit: what the scheduler packs onto nodes).
enum class MemoryMeasure { committed, requested };

// Option A's id, title, per-service changes (before/after by `measure`),
// targets and risk for the tightened stack `t`. Leaves fits, committed,
// saved and usable to the caller.
[[nodiscard]] PlanOption tighten_changes(const Stack& stack, const TightenResult& t, MemoryMeasure measure);

// Option B's choice: the exact knapsack (plan/drop_knapsack) freeing at least
// `need` by `measure`. `after` is the stack with the kept replica counts;
// when no choice frees enough, `feasible` is false and everything droppable
// is dropped. Leaves fits, committed, saved and usable to the caller.
struct DropPick {
  PlanOption option;
  Stack after;
  bool feasible = false;
};
// `max_states`: the knapsack's resolution (plan/drop_knapsack.hpp).
// `inference`: candidates inferred for unlabelled services
// (plan/optional_inference), null for labels only. Defined in
// plan/drop_candidates.cpp.
[[nodiscard]] DropPick pick_drops(const Stack& stack, Bytes need, MemoryMeasure measure, const std::string& id,
                                  std::int64_t max_states = 16384, const OptionalInference* inference = nullptr);

// `a` followed by `second` (A+B, A+C): changes and targets of both, B's
// replica counts folded into A's target of the same service, the worse risk.
[[nodiscard]] PlanOption combine_options(const std::string& id, const PlanOption& a, const PlanOption& second);

}  // namespace stackfit
