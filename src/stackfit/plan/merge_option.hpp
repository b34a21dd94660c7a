// The merge option (M, and B+M after option B): fold a second instance of a
// datastore image into the first (plan/optional_inference's InferredMerge).
// A merge changes what the stack means — its clients must be reconfigured and
// its data moved — so the option says so in every change, is ranked after
// every other option, and `--write` refuses it (advice never loses data).
#pragma once

#include <string>
#include <vector>

#include "stackfit/model/stack.hpp"
#include "stackfit/plan/fit_plan.hpp"
#include "stackfit/plan/optional_inference.hpp"

namespace stackfit {

struct MergePick {
  PlanOption option;  // id, title, changes, dropped, risk, changes_meaning; no totals
  Stack after;        // `stack` with every folded service at 0 replicas
};

// Applies the merges of `merges` (indexes into `stack`, which must have the
// services of the stack they were inferred on) whose two services still run.
// An option without changes when none applies.
[[nodiscard]] MergePick merge_option(const Stack& stack, const std::vector<InferredMerge>& merges,
                                     const std::string& id);

}  // namespace stackfit
