// Option B's knapsack groups: what may give memory, from priority labels and,
// for unlabelled services, from plan/optional_inference. One group per
// labelled or replicated service (keep k replicas), per inferred group of
// services that go together (keep all / switch all off), per set of
// identical services (keep k of them). plan_options' pick_drops solves them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stackfit/model/stack.hpp"
#include "stackfit/plan/drop_knapsack.hpp"
#include "stackfit/plan/optional_inference.hpp"
#include "stackfit/plan/plan_options.hpp"

namespace stackfit {

// Importance lost by each way of freeing memory. Labels first: optional
// services lose replicas, then are switched off; inferred candidates next
// (the more confident the cheaper); replicas of normal services only when
// that is not enough; critical services are never touched.
inline constexpr std::int64_t k_cost_optional_replica = 1;
inline constexpr std::int64_t k_cost_optional_off = 10;
inline constexpr std::int64_t k_cost_inferred_profile_off = 20;  // per service
inline constexpr std::int64_t k_cost_inferred_ui_off = 30;       // per service
inline constexpr std::int64_t k_cost_inferred_identical = 50;    // per identical service switched off
inline constexpr std::int64_t k_cost_normal_replica = 1000;

// One knapsack group and what each of its choices does to the stack.
struct DropCandidate {
  DropGroup group;                              // choice 0 keeps everything as declared
  std::vector<std::size_t> services;            // indexes into Stack::services
  std::vector<std::vector<std::int64_t>> kept;  // per choice, per service: replicas kept
  bool inferred = false;
  double confidence = 1;                        // 1 for a label
  std::vector<std::string> evidence;            // inferred: lines naming the service they are about
  std::string why;                              // inferred: the reason a change quotes
};

// The groups of `stack` by `measure`; `inference` null: labels only.
[[nodiscard]] std::vector<DropCandidate> drop_candidates(const Stack& stack, MemoryMeasure measure,
                                                         const OptionalInference* inference);

// Per replica by `measure` (committed: the limit, else the request; requested:
// the request, else the limit).
[[nodiscard]] Bytes per_replica(const Resources& r, MemoryMeasure measure);
[[nodiscard]] Bytes per_replica(const Service& s, MemoryMeasure measure);

// A target naming `s` (service, kind, namespace) and changing nothing yet.
[[nodiscard]] ResourceTarget target_for(const Service& s);

// Replicas that count: 1 for a DaemonSet (per node), else the replica count.
[[nodiscard]] std::int64_t copies(const Service& s);

struct PlanChange;  // plan/fit_plan.hpp
// `s` going from its replicas to `kept` (0: switched off), with its committed
// memory by `measure` before and after; what and why are the caller's.
[[nodiscard]] PlanChange replicas_change(const Service& s, std::int64_t kept, MemoryMeasure measure);

}  // namespace stackfit
