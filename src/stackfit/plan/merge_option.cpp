#include "stackfit/plan/merge_option.hpp"

#include "stackfit/plan/drop_candidates.hpp"

namespace stackfit {

MergePick merge_option(const Stack& stack, const std::vector<InferredMerge>& merges, const std::string& id) {
  MergePick pick;
  pick.after = stack;
  PlanOption& o = pick.option;
  o.id = id;
  o.title = "merge same-image datastores (changes what the stack means)";
  o.changes_meaning = true;
  o.risk = Risk::high;
  o.risk_reason = "clients must be reconfigured and data moved by hand; stackfit never writes a merge";
  for (const InferredMerge& m : merges) {
    const Service& keep = stack.services[m.keep];
    const Service& fold = stack.services[m.fold];
    if (copies(keep) <= 0 || copies(fold) <= 0) continue;
    PlanChange c = replicas_change(fold, 0, MemoryMeasure::committed);
    c.merged_into = keep.name;
    c.inferred = true;
    c.confidence = m.confidence;
    c.reason = "a second " + m.datastore + " instance; risk: " + m.risk;
    c.evidence = {m.evidence};
    o.changes.push_back(std::move(c));
    o.dropped.push_back(fold.name);
    pick.after.services[m.fold].replicas = 0;
  }
  return pick;
}

}  // namespace stackfit
