#include "stackfit/plan/fit_plan.hpp"

#include <algorithm>
#include <cmath>

#include "stackfit/plan/budget_fit.hpp"
#include "stackfit/plan/drop_candidates.hpp"
#include "stackfit/plan/kube_reserve.hpp"
#include "stackfit/plan/merge_option.hpp"
#include "stackfit/plan/plan_options.hpp"
#include "stackfit/plan/tighten.hpp"

namespace stackfit {
namespace {

Bytes committed_of(const Stack& stack) { return compute_totals(stack, 1).memory_committed; }

Risk worse(Risk a, Risk b) { return static_cast<int>(a) > static_cast<int>(b) ? a : b; }

}  // namespace

// ---- A: tighten -------------------------------------------------------------

PlanOption tighten_changes(const Stack& stack, const TightenResult& t, MemoryMeasure measure) {
  PlanOption o;
  o.id = "A";
  o.title = t.used_history ? "tighten to the recommendations" : "tighten by runtime settings (no history)";
  double confidence = 1;
  for (const TightenedService& ts : t.changed) {
    const Service* s = nullptr;
    for (const Service& cand : stack.services) {
      if (cand.name == ts.service) s = &cand;
    }
    if (!s) continue;
    PlanChange c;
    c.service = ts.service;
    c.committed_before = saturating_mul(per_replica(ts.before, measure), copies(*s));
    c.committed_after = saturating_mul(per_replica(ts.after, measure), copies(*s));
    c.resources = ts.after;
    c.reason = ts.reason;
    if (ts.from_history) c.confidence = ts.confidence;
    o.changes.push_back(c);
    ResourceTarget rt = target_for(*s);
    // Only what changes: the writers leave empty fields as declared.
    if (ts.after.memory_request != ts.before.memory_request) rt.resources.memory_request = ts.after.memory_request;
    if (ts.after.memory_limit != ts.before.memory_limit) rt.resources.memory_limit = ts.after.memory_limit;
    if (ts.after.cpu_request != ts.before.cpu_request) rt.resources.cpu_request = ts.after.cpu_request;
    if (ts.after.cpu_limit != ts.before.cpu_limit) rt.resources.cpu_limit = ts.after.cpu_limit;
    rt.knobs = ts.knobs;
    o.targets.push_back(std::move(rt));
    if (ts.from_history) confidence = std::min(confidence, ts.confidence);
  }
  if (t.used_heuristic) {
    o.risk = Risk::high;
    o.risk_reason = "limits from runtime settings, not from measured use: record history first";
  } else if (confidence >= 0.7) {
    o.risk = Risk::low;
    o.risk_reason = "limits from recorded history with good confidence";
  } else {
    o.risk = Risk::medium;
    o.risk_reason = "limits from a short or thin history";
  }
  return o;
}

namespace {

PlanOption tighten_option(const Stack& stack, const TightenResult& t, Bytes before, Bytes usable) {
  PlanOption o = tighten_changes(stack, t, MemoryMeasure::committed);
  o.committed = committed_of(t.stack);
  o.saved = before > o.committed ? before - o.committed : Bytes{0};
  o.usable = usable;
  o.fits = o.committed <= usable;
  return o;
}

// Totals of an option whose stack is `after`.
void set_totals(PlanOption& o, const Stack& after, Bytes before, Bytes usable) {
  o.usable = usable;
  o.committed = committed_of(after);
  o.saved = before > o.committed ? before - o.committed : Bytes{0};
  o.fits = o.committed <= usable;
}

// ---- B: drop ----------------------------------------------------------------

DropPick drop_option(const Stack& stack, Bytes before, Bytes usable, const std::string& id,
                     const OptionalInference* inference) {
  Bytes need = before > usable ? before - usable : Bytes{0};
  DropPick pick = pick_drops(stack, need, MemoryMeasure::committed, id, k_drop_max_states, inference);
  set_totals(pick.option, pick.after, before, usable);
  pick.option.fits = pick.option.fits && pick.feasible;
  return pick;
}

// ---- M: merge (never the default) -------------------------------------------

// M alone, and B+M when B does not fit: merges on what B left running.
void add_merge_options(Plan& p, const Stack& stack, const DropPick& b, const std::vector<InferredMerge>& merges) {
  if (merges.empty()) return;
  MergePick m = merge_option(stack, merges, "M");
  if (m.option.changes.empty()) return;
  set_totals(m.option, m.after, p.committed, p.usable);
  p.options.push_back(m.option);
  if (b.option.fits || b.option.changes.empty()) return;
  MergePick bm = merge_option(b.after, merges, "M");
  if (bm.option.changes.empty()) return;
  PlanOption both = combine_options("B+M", b.option, bm.option);
  set_totals(both, bm.after, p.committed, p.usable);
  p.options.push_back(std::move(both));
}

// ---- C: move ----------------------------------------------------------------

bool is_arm64(const std::string& name) {
  for (const char* family : {"t4g.", "m7g.", "c7g.", "r7g."}) {
    if (name.starts_with(family)) return true;
  }
  return false;
}

PlanOption move_option(const std::string& id, Bytes committed, Millicores cpu, Bytes before, const MachineCatalog& catalog,
                       double headroom, bool kubernetes) {
  PlanOption o;
  o.id = id;
  o.title = "move to a larger machine";
  o.committed = committed;
  o.saved = before > committed ? before - committed : Bytes{0};
  o.candidates = machines_that_fit(catalog, committed, cpu, headroom, kubernetes, 5);
  o.fits = !o.candidates.empty();
  if (o.fits) {
    o.machine = o.candidates.front();
    o.usable = o.machine->usable;
    o.risk = is_arm64(o.machine->name) ? Risk::medium : Risk::low;
    o.risk_reason = is_arm64(o.machine->name) ? "arm64 (Graviton): every image must have an arm64 variant"
                                               : "same stack on a larger machine; costs money";
  } else {
    o.risk = Risk::high;
    o.risk_reason = "no catalog machine is large enough";
  }
  return o;
}

double monthly_cost(const PlanOption& o) {
  return o.machine && o.machine->price_per_month ? *o.machine->price_per_month : 0.0;
}

// ---- K: only the core (--keep) -----------------------------------------------

PlanOption core_option(const Stack& stack, const CoreStack& core, const PlanCore& summary, Bytes before,
                       Bytes usable) {
  PlanOption o;
  o.id = "K";
  std::string kept;
  for (const std::string& k : core.kept) kept += (kept.empty() ? "" : ",") + k;
  o.title = "run only the core (--keep " + kept + ")";
  for (std::size_t i = 0; i < stack.services.size(); ++i) {
    const Service& s = stack.services[i];
    if (core.stack.services[i].replicas != 0 || s.replicas == 0) continue;
    PlanChange c = replicas_change(s, 0, MemoryMeasure::committed);
    for (const LeftOut& l : summary.left_out) {
      if (l.service == s.name) c.reason = "not in the core: " + l.feature + " is gone";
    }
    o.changes.push_back(std::move(c));
    o.dropped.push_back(s.name);
    ResourceTarget rt = target_for(s);
    rt.replicas = 0;
    o.targets.push_back(std::move(rt));
  }
  set_totals(o, core.stack, before, usable);
  o.risk = Risk::high;
  o.risk_reason = "every service outside the core is off: their features are gone";
  return o;
}

// A merge is never the default: options that change what the stack means
// come after all others.
void rank(std::vector<PlanOption>& options) {
  std::stable_sort(options.begin(), options.end(), [](const PlanOption& a, const PlanOption& b) {
    if (a.changes_meaning != b.changes_meaning) return !a.changes_meaning;
    if (a.fits != b.fits) return a.fits;
    if (a.risk != b.risk) return a.risk < b.risk;
    if (monthly_cost(a) != monthly_cost(b)) return monthly_cost(a) < monthly_cost(b);
    return a.changes.size() < b.changes.size();
  });
}

}  // namespace

PlanOption combine_options(const std::string& id, const PlanOption& a, const PlanOption& second) {
  PlanOption o = second;
  o.id = id;
  o.title = a.title + ", then " + second.title;
  o.changes.insert(o.changes.begin(), a.changes.begin(), a.changes.end());
  // A's targets first; B's replica counts fold into the same service's target.
  std::vector<ResourceTarget> merged = a.targets;
  for (const ResourceTarget& t : second.targets) {
    auto same = std::find_if(merged.begin(), merged.end(), [&](const ResourceTarget& m) {
      return m.service == t.service && m.namespace_ == t.namespace_;
    });
    if (same != merged.end()) {
      same->replicas = t.replicas;
    } else {
      merged.push_back(t);
    }
  }
  o.targets = std::move(merged);
  o.risk = worse(a.risk, second.risk);
  o.risk_reason = a.risk_reason + "; " + second.risk_reason;
  return o;
}

const char* to_string(Risk r) {
  switch (r) {
    case Risk::low: return "low";
    case Risk::medium: return "medium";
    case Risk::high: return "high";
  }
  return "high";
}

PlanMachine plan_machine(const Machine& m, Bytes reserve, double headroom) {
  PlanMachine pm;
  pm.name = m.name;
  pm.memory = m.memory;
  pm.cpus = m.cpus;
  pm.reserve = reserve;
  pm.usable = usable_memory(m.memory, reserve, headroom);
  if (m.price_per_hour_usd) pm.price_per_month = std::round(*m.price_per_hour_usd * k_hours_per_month * 100) / 100;
  pm.price_as_of = m.price_as_of;
  pm.price_source = m.price_source;
  if (is_arm64(m.name)) pm.arch = "arm64";
  return pm;
}

Bytes usable_memory(Bytes memory, Bytes reserve, double headroom) {
  if (memory <= reserve) return Bytes{0};
  double left = static_cast<double>((memory - reserve).count) * (1.0 - headroom);
  return Bytes{static_cast<std::int64_t>(std::floor(left))};
}

std::vector<PlanMachine> machines_that_fit(const MachineCatalog& catalog, Bytes committed, Millicores cpu,
                                           double headroom, bool kubernetes, std::size_t count) {
  std::vector<PlanMachine> fit;
  for (const Machine& m : catalog.machines()) {
    Bytes reserve = kubernetes ? node_allocatable(m).reserved_memory : m.os_reserve;
    PlanMachine pm = plan_machine(m, reserve, headroom);
    if (committed > pm.usable || cpu > m.cpus) continue;
    fit.push_back(std::move(pm));
  }
  std::stable_sort(fit.begin(), fit.end(), [](const PlanMachine& a, const PlanMachine& b) {
    if (a.price_per_month.has_value() != b.price_per_month.has_value()) return a.price_per_month.has_value();
    if (a.price_per_month && *a.price_per_month != *b.price_per_month) return *a.price_per_month < *b.price_per_month;
    return a.memory < b.memory;
  });
  if (fit.size() > count) fit.resize(count);
  return fit;
}

namespace {

// A, B, C and their combinations for a stack that does not fit `p`.
void add_options(Plan& p, const Stack& stack, const MachineCatalog& catalog,
                 const std::vector<RecommendedTarget>& recommendations, const PlanSettings& settings,
                 Millicores cpu_request) {
  const bool kubernetes = stack.kind == StackKind::kubernetes;
  OptionalInference inference;
  if (settings.infer) inference = infer_optional(stack);
  TightenResult t = tighten(stack, recommendations);
  std::optional<PlanOption> a;
  if (!t.changed.empty()) a = tighten_option(stack, t, p.committed, p.usable);
  if (!t.used_history && !settings.evidence_command.empty()) {
    if (a) a->risk_reason = "limits from runtime settings, not from measured use; for evidence run `" +
                            settings.evidence_command + "`";
    p.notes.push_back(std::string("Option A has no recorded use to go on") +
                      (a ? " (its limits come from runtime settings)" : "") + ": run `" + settings.evidence_command +
                      "` while the stack does its usual work, then plan again with --db FILE.");
  }
  DropPick b = drop_option(stack, p.committed, p.usable, "B", &inference);
  PlanOption c = move_option("C", p.committed, cpu_request, p.committed, catalog, settings.headroom, kubernetes);
  if (a) p.options.push_back(*a);
  if (!b.option.changes.empty()) p.options.push_back(b.option);
  if (c.fits) p.options.push_back(c);
  if (a && !a->fits) {
    if (!b.option.fits) {
      PlanOption ab =
          combine_options("A+B", *a, drop_option(t.stack, a->committed, p.usable, "B", &inference).option);
      ab.saved = p.committed > ab.committed ? p.committed - ab.committed : Bytes{0};
      if (!ab.changes.empty()) p.options.push_back(std::move(ab));
    }
    PlanOption ac_move = move_option("C", a->committed, compute_totals(t.stack, 1).cpu_request, p.committed, catalog,
                                     settings.headroom, kubernetes);
    if (ac_move.fits && (!c.fits || monthly_cost(ac_move) < monthly_cost(c))) {
      p.options.push_back(combine_options("A+C", *a, ac_move));
    }
  }
  add_merge_options(p, stack, b, inference.merges);
}

// The smallest machine that takes the stack as it is (by memory, not price).
std::optional<PlanMachine> smallest_fitting(const MachineCatalog& catalog, Bytes committed, Millicores cpu,
                                            double headroom, bool kubernetes) {
  std::optional<PlanMachine> best;
  for (const Machine& m : catalog.machines()) {
    Bytes reserve = kubernetes ? node_allocatable(m).reserved_memory : m.os_reserve;
    PlanMachine pm = plan_machine(m, reserve, headroom);
    if (committed > pm.usable || cpu > m.cpus) continue;
    if (!best || pm.memory < best->memory ||
        (pm.memory == best->memory && pm.price_per_month.value_or(1e18) < best->price_per_month.value_or(1e18))) {
      best = pm;
    }
  }
  return best;
}

void add_notes(Plan& p, bool stack_side_fits) {
  bool any_fits = std::any_of(p.options.begin(), p.options.end(), [](const PlanOption& o) { return o.fits; });
  bool core_fits = std::any_of(p.options.begin(), p.options.end(), [](const PlanOption& o) {
    return o.fits && o.id == "K";
  });
  if (core_fits) {
    p.notes.push_back("Only the core fits " + p.target_name + " (option K): " +
                      std::to_string(p.core->left_out.size()) + " service(s) left out, each with what it carries.");
  } else if (!stack_side_fits) {
    std::string note = "Nothing can be dropped or tightened enough to fit " + p.target_name + ": the stack commits " +
                       format_human_bytes(p.committed) + " and " + format_human_bytes(p.usable) + " is usable.";
    if (p.smallest_fitting) {
      note += " The smallest machine that fits it as it is: " + p.smallest_fitting->name + " (" +
              format_human_bytes(p.smallest_fitting->memory) + ").";
    } else {
      note += " No machine in the catalog is large enough; add one with --catalog.";
    }
    p.notes.push_back(note);
  }
  if (!any_fits && p.notes.empty()) p.notes.push_back("No option fits.");
}

}  // namespace

Plan make_plan(const Stack& stack, const PlanTarget& target, const MachineCatalog& catalog,
               const std::vector<RecommendedTarget>& recommendations, const PlanSettings& settings) {
  Plan p;
  p.target_name = target.name;
  p.memory = target.memory;
  p.reserve = target.reserve;
  p.budget = target.memory > target.reserve ? target.memory - target.reserve : Bytes{0};
  p.headroom = settings.headroom;
  p.usable = usable_memory(target.memory, target.reserve, settings.headroom);
  StackTotals totals = compute_totals(stack, 1);
  p.committed = totals.memory_committed;
  p.unbounded = totals.unbounded_memory;
  p.fits = p.committed <= p.usable;
  p.smallest_fitting = smallest_fitting(catalog, p.committed, totals.cpu_request, settings.headroom,
                                        stack.kind == StackKind::kubernetes);
  if (settings.core) {
    const CoreStack& core = *settings.core;
    p.core = PlanCore{core.kept, core.services, core.left_out, committed_of(core.stack), false};
    p.core->fits = p.core->committed <= p.usable;
  }
  if (p.fits) {
    p.headroom_left = p.usable - p.committed;
    p.largest_addable = p.headroom_left;
    return p;
  }
  add_options(p, stack, catalog, recommendations, settings, totals.cpu_request);
  // "Run only the core" when nothing on the stack's side fits.
  bool stack_side_fits = std::any_of(p.options.begin(), p.options.end(), [](const PlanOption& o) {
    return o.fits && (o.id == "A" || o.id == "B" || o.id == "A+B");
  });
  if (settings.core && !stack_side_fits && !settings.core->left_out.empty()) {
    p.options.push_back(core_option(stack, *settings.core, *p.core, p.committed, p.usable));
  }
  rank(p.options);
  add_notes(p, stack_side_fits);
  return p;
}

}  // namespace stackfit
