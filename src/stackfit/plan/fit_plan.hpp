// `stackfit plan` for one machine or budget: does the stack fit with the
// chosen headroom, and if not, the ranked options — A tighten, B drop, C move,
// and the combinations A+B, A+C — each with its totals, the memory it saves,
// what exactly changes and the risk. docs/plan.md explains the ranking.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stackfit/model/resource_target.hpp"
#include "stackfit/model/stack.hpp"
#include "stackfit/plan/machine_catalog.hpp"
#include "stackfit/model/resource_target.hpp"

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
  double headroom = 0.10;  // fraction of what is left after the reserve kept free
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
  std::string reason;
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
