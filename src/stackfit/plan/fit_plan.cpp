#include "stackfit/plan/fit_plan.hpp"

#include <algorithm>
#include <cmath>

#include "stackfit/plan/budget_fit.hpp"
#include "stackfit/plan/drop_knapsack.hpp"
#include "stackfit/plan/kube_reserve.hpp"
#include "stackfit/plan/plan_options.hpp"
#include "stackfit/plan/tighten.hpp"

namespace stackfit {
namespace {

// Importance lost by each way of freeing memory (option B). Optional services
// lose replicas first, then are switched off; replicas of normal services go
// only when that is not enough; critical services are never touched.
constexpr std::int64_t k_cost_optional_replica = 1;
constexpr std::int64_t k_cost_optional_off = 10;
constexpr std::int64_t k_cost_normal_replica = 1000;

std::int64_t copies(const Service& s) { return s.replica_mode == ReplicaMode::per_node ? 1 : s.replicas; }

Bytes per_replica(const Resources& r, MemoryMeasure measure) {
  const auto& first = measure == MemoryMeasure::committed ? r.memory_limit : r.memory_request;
  const auto& second = measure == MemoryMeasure::committed ? r.memory_request : r.memory_limit;
  if (first && (first->count > 0 || measure == MemoryMeasure::requested)) return *first;
  if (second && second->count > 0) return *second;
  return Bytes{0};
}

Bytes per_replica(const Service& s, MemoryMeasure measure) { return per_replica(s.resources, measure); }

Bytes committed_of(const Stack& stack) { return compute_totals(stack, 1).memory_committed; }

Risk worse(Risk a, Risk b) { return static_cast<int>(a) > static_cast<int>(b) ? a : b; }

ResourceTarget target_for(const Service& s) {
  ResourceTarget t;
  t.service = s.name;
  t.kind = s.kind;
  t.namespace_ = s.namespace_;
  return t;
}

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

// ---- B: drop ----------------------------------------------------------------

// The groups of the knapsack: one per service that can give something.
std::vector<DropGroup> drop_groups(const Stack& stack, MemoryMeasure measure, std::vector<std::size_t>& service_of) {
  std::vector<DropGroup> groups;
  for (std::size_t i = 0; i < stack.services.size(); ++i) {
    const Service& s = stack.services[i];
    std::int64_t n = copies(s);
    Bytes each = per_replica(s, measure);
    if (n <= 0 || each.count == 0 || s.priority == Priority::critical) continue;
    if (s.replica_mode == ReplicaMode::per_node) continue;
    std::int64_t lowest = s.priority == Priority::optional ? 0 : 1;
    if (lowest >= n) continue;
    DropGroup g;
    g.choices.push_back(DropChoice{n, Bytes{0}, 0});
    for (std::int64_t keep = n - 1; keep >= lowest && g.choices.size() < 64; --keep) {
      std::int64_t cost = s.priority == Priority::optional
                              ? (keep == 0 ? k_cost_optional_off + (n - 1) * k_cost_optional_replica
                                           : (n - keep) * k_cost_optional_replica)
                              : (n - keep) * k_cost_normal_replica;
      g.choices.push_back(DropChoice{keep, saturating_mul(each, n - keep), cost});
    }
    groups.push_back(std::move(g));
    service_of.push_back(i);
  }
  return groups;
}

}  // namespace

DropPick pick_drops(const Stack& stack, Bytes need, MemoryMeasure measure, const std::string& id,
                    std::int64_t max_states) {
  DropPick pick;
  PlanOption& o = pick.option;
  o.id = id;
  o.title = "switch off optional services / fewer replicas";
  std::vector<std::size_t> service_of;
  std::vector<DropGroup> groups = drop_groups(stack, measure, service_of);
  DropSolution sol = solve_drop_knapsack(groups, need, max_states);
  std::vector<std::size_t> chosen = sol.chosen;
  if (!sol.feasible) {
    // Not enough: show the most that could go (every group's largest saving).
    for (std::size_t g = 0; g < groups.size(); ++g) chosen[g] = groups[g].choices.size() - 1;
  }
  pick.after = stack;
  Stack& after = pick.after;
  bool normal_replicas = false;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (chosen[g] == 0) continue;
    const Service& s = stack.services[service_of[g]];
    const DropChoice& c = groups[g].choices[chosen[g]];
    after.services[service_of[g]].replicas = c.kept_replicas;
    PlanChange change;
    change.service = s.name;
    change.committed_before = saturating_mul(per_replica(s, measure), copies(s));
    change.committed_after = saturating_mul(per_replica(s, measure), c.kept_replicas);
    change.replicas_before = copies(s);
    change.replicas_after = c.kept_replicas;
    change.reason = c.kept_replicas == 0 ? "priority optional: switched off"
                                          : std::string("priority ") + to_string(s.priority) + ": fewer replicas";
    normal_replicas = normal_replicas || s.priority == Priority::normal;
    if (c.kept_replicas == 0) o.dropped.push_back(s.name);
    o.changes.push_back(std::move(change));
    ResourceTarget rt = target_for(s);
    rt.replicas = c.kept_replicas;
    o.targets.push_back(std::move(rt));
  }
  pick.feasible = sol.feasible;
  o.risk = normal_replicas ? Risk::high : Risk::medium;
  o.risk_reason = normal_replicas ? "fewer replicas of normal services: less redundancy"
                                  : "optional services off or scaled down: their features are gone";
  if (groups.empty()) o.risk_reason = "nothing is marked optional and no replicas can go";
  return pick;
}

namespace {

PlanOption drop_option(const Stack& stack, Bytes before, Bytes usable, const std::string& id) {
  Bytes need = before > usable ? before - usable : Bytes{0};
  DropPick pick = pick_drops(stack, need, MemoryMeasure::committed, id);
  PlanOption o = std::move(pick.option);
  o.usable = usable;
  o.committed = committed_of(pick.after);
  o.saved = before > o.committed ? before - o.committed : Bytes{0};
  o.fits = pick.feasible && o.committed <= usable;
  return o;
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

void rank(std::vector<PlanOption>& options) {
  std::stable_sort(options.begin(), options.end(), [](const PlanOption& a, const PlanOption& b) {
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
  const bool kubernetes = stack.kind == StackKind::kubernetes;
  // The smallest machine that takes the stack as it is (by memory, not price).
  for (const Machine& m : catalog.machines()) {
    Bytes reserve = kubernetes ? node_allocatable(m).reserved_memory : m.os_reserve;
    PlanMachine pm = plan_machine(m, reserve, settings.headroom);
    if (p.committed > pm.usable || totals.cpu_request > m.cpus) continue;
    if (!p.smallest_fitting || pm.memory < p.smallest_fitting->memory ||
        (pm.memory == p.smallest_fitting->memory && pm.price_per_month.value_or(1e18) <
                                                        p.smallest_fitting->price_per_month.value_or(1e18))) {
      p.smallest_fitting = pm;
    }
  }
  if (p.fits) {
    p.headroom_left = p.usable - p.committed;
    p.largest_addable = p.headroom_left;
    return p;
  }
  TightenResult t = tighten(stack, recommendations);
  std::optional<PlanOption> a;
  if (!t.changed.empty()) a = tighten_option(stack, t, p.committed, p.usable);
  PlanOption b = drop_option(stack, p.committed, p.usable, "B");
  PlanOption c = move_option("C", p.committed, totals.cpu_request, p.committed, catalog, settings.headroom, kubernetes);
  if (a) p.options.push_back(*a);
  if (!b.changes.empty()) p.options.push_back(b);
  if (c.fits) p.options.push_back(c);
  if (a && !a->fits) {
    if (!b.fits) {
      PlanOption ab = combine_options("A+B", *a, drop_option(t.stack, a->committed, p.usable, "B"));
      ab.saved = p.committed > ab.committed ? p.committed - ab.committed : Bytes{0};
      if (!ab.changes.empty()) p.options.push_back(std::move(ab));
    }
    PlanOption ac_move = move_option("C", a->committed, compute_totals(t.stack, 1).cpu_request, p.committed, catalog,
                                     settings.headroom, kubernetes);
    if (ac_move.fits && (!c.fits || monthly_cost(ac_move) < monthly_cost(c))) {
      p.options.push_back(combine_options("A+C", *a, ac_move));
    }
  }
  rank(p.options);
  bool any_fits = std::any_of(p.options.begin(), p.options.end(), [](const PlanOption& o) { return o.fits; });
  bool stack_side = std::any_of(p.options.begin(), p.options.end(), [](const PlanOption& o) {
    return o.fits && (o.id == "A" || o.id == "B" || o.id == "A+B");
  });
  if (!stack_side) {
    std::string note = "Nothing can be dropped or tightened enough to fit " + target.name + ": the stack commits " +
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
  return p;
}

}  // namespace stackfit
