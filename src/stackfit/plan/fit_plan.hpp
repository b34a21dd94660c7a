// `stackfit plan` for one machine or budget: does the stack fit with the
// chosen headroom, and if not, the ranked options — A tighten, B drop, C move,
// and the combinations A+B, A+C — each with its totals, the memory it saves,
// what exactly changes and the risk. docs/plan.md explains the ranking.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "stackfit/model/resource_target.hpp"
#include "stackfit/model/stack.hpp"
#include "stackfit/plan/core_stack.hpp"
#include "stackfit/plan/machine_catalog.hpp"

namespace stackfit {

inline constexpr double k_hours_per_month = 730;

// The machine (or budget) the stack must fit.
struct PlanTarget {
  std::string name;          // machine name, or "budget 2 GiB"
  Bytes memory;
  Bytes reserve;             // kept by OS/engine (or kubelet)
  std::optional<Millicores> cpus;
  std::optional<double> price_per_hour_usd;
};

struct PlanSettings {
  PlanSettings(double headroom_ = 0.10, bool infer_ = true, const CoreStack* core_ = nullptr,
               std::string evidence_command_ = "")
      : headroom(headroom_), infer(infer_), core(core_), evidence_command(std::move(evidence_command_)) {}
  double headroom = 0.10;  // fraction of what is left after the reserve kept free
  // Infer option B's candidates for services without a priority label
  // (plan/optional_inference); false: `--no-infer`, labels only.
  bool infer = true;
  // `--keep`: the core (plan/core_stack), owned by the caller; null: none.
  const CoreStack* core = nullptr;
  // The command that would record evidence for option A ("stackfit record
  // -f ... --duration 1h --db stackfit.db"); named when A has no history.
  std::string evidence_command;
};

// A machine as an option shows it.
struct PlanMachine {
  std::string name;
  Bytes memory;
  Millicores cpus;
  Bytes reserve;
  Bytes usable;                            // (memory - reserve) x (1 - headroom)
  std::optional<double> price_per_month;   // USD, 730 hours
  std::string price_as_of;
  std::string price_source;
  std::string arch;                        // "arm64" for Graviton types, else "" (x86-64 or unknown)
};

// One service whose setting an option changes.
struct PlanChange {
  std::string service;
  Bytes committed_before;  // per replica x replicas
  Bytes committed_after;
  std::optional<Resources> resources;      // new resources (option A)
  std::optional<std::int64_t> replicas_before;
  std::optional<std::int64_t> replicas_after;  // 0 = switched off (option B)
  std::string reason;                          // why
  bool inferred = false;                       // B, M: inferred from the stack, not from a label
  std::optional<double> confidence;            // B: 1 for a label, lower when inferred; M: the merge's
  std::vector<std::string> evidence;           // inferred: what the inference saw
  std::string merged_into;                     // M: the service that takes over this one's data
};

enum class Risk { low, medium, high };
[[nodiscard]] const char* to_string(Risk r);

struct PlanOption {
  std::string id;            // A, B, C, A+B, A+C
  std::string title;         // "tighten to recommendations", ...
  bool fits = false;
  Bytes committed;           // the stack's committed memory after the option
  Bytes saved;               // committed before - after (0 for C)
  Bytes usable;              // what the option's machine leaves after reserve and headroom
  std::vector<std::string> dropped;     // services switched off
  std::vector<PlanChange> changes;
  std::optional<PlanMachine> machine;   // C, A+C: the cheapest that fits
  std::vector<PlanMachine> candidates;  // C, A+C: more that fit, cheapest first
  Risk risk = Risk::medium;
  std::string risk_reason;
  std::vector<ResourceTarget> targets;  // what --write writes
  // The option merges datastores (M, B+M): it changes what the stack means,
  // so it is ranked after every other option and never written.
  bool changes_meaning = false;
};

// The core of `--keep` against the target.
struct PlanCore {
  std::vector<std::string> kept;
  std::vector<std::string> services;
  std::vector<LeftOut> left_out;
  Bytes committed;
  bool fits = false;  // committed <= the target's usable memory
};

struct Plan {
  std::string target_name;
  Bytes memory;
  Bytes reserve;
  Bytes budget;              // memory - reserve
  Bytes usable;              // budget x (1 - headroom)
  double headroom = 0.10;
  Bytes committed;
  bool fits = false;
  Bytes headroom_left;       // usable - committed when it fits
  Bytes largest_addable;     // the largest service that could still be added (= headroom_left)
  std::vector<std::string> unbounded;  // services counted as 0 B
  std::vector<PlanOption> options;     // ranked, best first; empty when it fits
  std::vector<std::string> notes;      // plain-language verdicts
  std::optional<PlanMachine> smallest_fitting;  // the smallest catalog machine that fits as is
  std::optional<PlanCore> core;                 // with --keep
};

// A catalog machine as options show it, with `reserve` and the headroom.
[[nodiscard]] PlanMachine plan_machine(const Machine& m, Bytes reserve, double headroom);

// Usable memory of a machine with `reserve`, after the headroom.
[[nodiscard]] Bytes usable_memory(Bytes memory, Bytes reserve, double headroom);

// Everything `plan` computes for one target. `recommendations` may be empty
// (option A then uses the heuristic).
[[nodiscard]] Plan make_plan(const Stack& stack, const PlanTarget& target, const MachineCatalog& catalog,
                             const std::vector<RecommendedTarget>& recommendations, const PlanSettings& settings);

// Catalog machines on which `committed` memory (and `cpu` requests) fit with
// the headroom, cheapest first (priced first, then by memory); at most `count`.
// `kubernetes`: the reserve is the kubelet's (plan/kube_reserve.hpp), else the OS reserve.
[[nodiscard]] std::vector<PlanMachine> machines_that_fit(const MachineCatalog& catalog, Bytes committed,
                                                         Millicores cpu, double headroom, bool kubernetes,
                                                         std::size_t count);

}  // namespace stackfit
