#include "stackfit/plan/drop_candidates.hpp"

#include <cstdio>

namespace stackfit {

PlanChange replicas_change(const Service& s, std::int64_t kept, MemoryMeasure measure) {
  PlanChange change;
  change.service = s.name;
  change.committed_before = saturating_mul(per_replica(s, measure), copies(s));
  change.committed_after = saturating_mul(per_replica(s, measure), kept);
  change.replicas_before = copies(s);
  change.replicas_after = kept;
  return change;
}

namespace {

std::string confidence_text(double c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", c);
  return buf;
}

// Labelled or replicated services: keep k replicas, optional ones down to 0,
// normal ones down to 1.
void add_labelled(const Stack& stack, std::size_t i, MemoryMeasure measure, std::vector<DropCandidate>& out) {
  const Service& s = stack.services[i];
  std::int64_t n = copies(s);
  Bytes each = per_replica(s, measure);
  if (n <= 0 || each.count == 0 || s.priority == Priority::critical) return;
  if (s.replica_mode == ReplicaMode::per_node) return;
  std::int64_t lowest = s.priority == Priority::optional ? 0 : 1;
  if (lowest >= n) return;
  DropCandidate c;
  c.services = {i};
  c.group.choices.push_back(DropChoice{n, Bytes{0}, 0});
  c.kept.push_back({n});
  for (std::int64_t keep = n - 1; keep >= lowest && c.group.choices.size() < 64; --keep) {
    std::int64_t cost = s.priority == Priority::optional
                            ? (keep == 0 ? k_cost_optional_off + (n - 1) * k_cost_optional_replica
                                         : (n - keep) * k_cost_optional_replica)
                            : (n - keep) * k_cost_normal_replica;
    c.group.choices.push_back(DropChoice{keep, saturating_mul(each, n - keep), cost});
    c.kept.push_back({keep});
  }
  out.push_back(std::move(c));
}

// An inferred group that goes as a whole: keep all, or switch all off.
DropCandidate inferred_drop(const Stack& stack, const InferredDropGroup& g, MemoryMeasure measure) {
  DropCandidate c;
  c.services = g.services;
  c.inferred = true;
  c.confidence = g.confidence;
  c.evidence = g.evidence;
  c.why = g.kind == InferenceKind::profile ? "on only because a non-default profile is active"
                                           : "a monitoring/admin/developer UI that nothing else needs";
  Bytes saved{0};
  for (std::size_t i : g.services) {
    const Service& s = stack.services[i];
    saved = saturating_add(saved, saturating_mul(per_replica(s, measure), copies(s)));
  }
  std::int64_t each = g.kind == InferenceKind::profile ? k_cost_inferred_profile_off : k_cost_inferred_ui_off;
  c.group.choices = {DropChoice{1, Bytes{0}, 0},
                     DropChoice{0, saved, each * static_cast<std::int64_t>(g.services.size())}};
  std::vector<std::int64_t> declared;
  for (std::size_t i : g.services) declared.push_back(copies(stack.services[i]));
  c.kept = {declared, std::vector<std::int64_t>(g.services.size(), 0)};
  return c;
}

// Identical services: keep k of n (at least one); choice j switches off the
// first j of `services` (their order says which go first).
DropCandidate inferred_identical(const Stack& stack, const InferredIdenticalGroup& g, MemoryMeasure measure) {
  DropCandidate c;
  c.services = g.services;
  c.inferred = true;
  c.confidence = g.confidence;
  c.evidence = {g.evidence};
  std::int64_t n = static_cast<std::int64_t>(g.services.size());
  c.why = "one of " + std::to_string(n) + " identical services: run fewer of them";
  std::vector<std::int64_t> kept;
  for (std::size_t i : g.services) kept.push_back(copies(stack.services[i]));
  c.group.choices.push_back(DropChoice{n, Bytes{0}, 0});
  c.kept.push_back(kept);
  Bytes saved{0};
  for (std::int64_t off = 1; off < n; ++off) {
    const Service& s = stack.services[g.services[static_cast<std::size_t>(off - 1)]];
    saved = saturating_add(saved, saturating_mul(per_replica(s, measure), copies(s)));
    kept[static_cast<std::size_t>(off - 1)] = 0;
    c.group.choices.push_back(DropChoice{n - off, saved, off * k_cost_inferred_identical});
    c.kept.push_back(kept);
  }
  return c;
}

bool has_memory(const Stack& stack, const std::vector<std::size_t>& services, MemoryMeasure measure) {
  for (std::size_t i : services) {
    if (per_replica(stack.services[i], measure).count > 0) return true;
  }
  return false;
}

PlanChange change_for(const Service& s, std::int64_t kept, const DropCandidate& c, MemoryMeasure measure) {
  PlanChange change = replicas_change(s, kept, measure);
  change.inferred = c.inferred;
  change.confidence = c.confidence;
  if (c.inferred) {
    change.reason = "inferred (no priority label, confidence " + confidence_text(c.confidence) + "): " + c.why;
    // The lines about this service; a group's shared lines when none is.
    for (const std::string& line : c.evidence) {
      if (line.starts_with(s.name + ": ")) change.evidence.push_back(line);
    }
    if (change.evidence.empty()) change.evidence = c.evidence;
  } else {
    change.reason = kept == 0 ? "priority optional: switched off"
                              : std::string("priority ") + to_string(s.priority) + ": fewer replicas";
  }
  return change;
}

}  // namespace

ResourceTarget target_for(const Service& s) {
  ResourceTarget t;
  t.service = s.name;
  t.kind = s.kind;
  t.namespace_ = s.namespace_;
  return t;
}

std::int64_t copies(const Service& s) { return s.replica_mode == ReplicaMode::per_node ? 1 : s.replicas; }

Bytes per_replica(const Resources& r, MemoryMeasure measure) {
  const auto& first = measure == MemoryMeasure::committed ? r.memory_limit : r.memory_request;
  const auto& second = measure == MemoryMeasure::committed ? r.memory_request : r.memory_limit;
  if (first && (first->count > 0 || measure == MemoryMeasure::requested)) return *first;
  if (second && second->count > 0) return *second;
  return Bytes{0};
}

Bytes per_replica(const Service& s, MemoryMeasure measure) { return per_replica(s.resources, measure); }

std::vector<DropCandidate> drop_candidates(const Stack& stack, MemoryMeasure measure,
                                           const OptionalInference* inference) {
  std::vector<DropCandidate> out;
  std::vector<bool> inferred(stack.services.size(), false);
  if (inference) {
    for (const InferredDropGroup& g : inference->drops) {
      if (!has_memory(stack, g.services, measure)) continue;
      for (std::size_t i : g.services) inferred[i] = true;
      out.push_back(inferred_drop(stack, g, measure));
    }
    for (const InferredIdenticalGroup& g : inference->identical) {
      if (!has_memory(stack, g.services, measure)) continue;
      for (std::size_t i : g.services) inferred[i] = true;
      out.push_back(inferred_identical(stack, g, measure));
    }
  }
  for (std::size_t i = 0; i < stack.services.size(); ++i) {
    if (!inferred[i]) add_labelled(stack, i, measure, out);
  }
  return out;
}

DropPick pick_drops(const Stack& stack, Bytes need, MemoryMeasure measure, const std::string& id,
                    std::int64_t max_states, const OptionalInference* inference) {
  DropPick pick;
  PlanOption& o = pick.option;
  o.id = id;
  o.title = "switch off optional services / fewer replicas";
  std::vector<DropCandidate> candidates = drop_candidates(stack, measure, inference);
  std::vector<DropGroup> groups;
  for (const DropCandidate& c : candidates) groups.push_back(c.group);
  DropSolution sol = solve_drop_knapsack(groups, need, max_states);
  std::vector<std::size_t> chosen = sol.chosen;
  if (!sol.feasible) {
    // Not enough: show the most that could go (every group's largest saving).
    for (std::size_t g = 0; g < groups.size(); ++g) chosen[g] = groups[g].choices.size() - 1;
  }
  pick.after = stack;
  bool normal_replicas = false;
  bool any_inferred = false;
  for (std::size_t g = 0; g < candidates.size(); ++g) {
    if (chosen[g] == 0) continue;
    const DropCandidate& c = candidates[g];
    for (std::size_t k = 0; k < c.services.size(); ++k) {
      std::int64_t kept = c.kept[chosen[g]][k];
      const Service& s = stack.services[c.services[k]];
      if (kept == copies(s)) continue;
      pick.after.services[c.services[k]].replicas = kept;
      o.changes.push_back(change_for(s, kept, c, measure));
      normal_replicas = normal_replicas || (!c.inferred && s.priority == Priority::normal);
      any_inferred = any_inferred || c.inferred;
      if (kept == 0) o.dropped.push_back(s.name);
      ResourceTarget rt = target_for(s);
      rt.replicas = kept;
      o.targets.push_back(std::move(rt));
    }
  }
  pick.feasible = sol.feasible;
  o.risk = normal_replicas ? Risk::high : Risk::medium;
  o.risk_reason = normal_replicas ? "fewer replicas of normal services: less redundancy"
                                  : "optional services off or scaled down: their features are gone";
  if (any_inferred) o.risk_reason += "; some were inferred, not labelled: check them (label stackfit.priority)";
  if (groups.empty()) o.risk_reason = "nothing is marked optional and no replicas can go";
  return pick;
}

}  // namespace stackfit
