// Option B's exact choice: which services to switch off and which replicas to
// remove so that at least a given amount of memory is freed, at the least
// cost in importance. A multiple-choice knapsack solved exactly by dynamic
// programming over memory in fixed units (no greedy guess).
#pragma once

#include <cstdint>
#include <vector>

#include "stackfit/model/quantity.hpp"

namespace stackfit {

// One way to run one service: keep `kept_replicas`, which frees `saved` and
// costs `cost` (importance lost; 0 for "as declared").
struct DropChoice {
  std::int64_t kept_replicas = 0;
  Bytes saved;
  std::int64_t cost = 0;
};

// The choices of one service; exactly one is taken. Choice 0 must be "keep as
// declared" (saved 0, cost 0).
struct DropGroup {
  std::vector<DropChoice> choices;
};

struct DropSolution {
  bool feasible = false;          // some choice frees at least `need`
  std::vector<std::size_t> chosen;  // per group, the index of its choice
  std::int64_t cost = 0;
  Bytes saved;
  Bytes unit;                     // the DP's memory unit (exact when every `saved` is a multiple)
};

// Minimises cost, then freed memory (keep as much as possible), subject to
// freed >= need. Memory is counted in units of max(1 MiB, need / 16384)
// rounded up to a MiB: each choice's saving is rounded down to whole units
// and `need` up, so a solution found always frees at least `need`; it is
// exact whenever savings are multiples of the unit. O(groups x choices x
// need/unit) time, groups x need/unit bytes of memory.
// `max_states` (at most k_drop_max_states) trades exactness for time: the
// cluster plan's search rounds use fewer states (coarser units).
inline constexpr std::int64_t k_drop_max_states = 16384;  // uint16 indices
[[nodiscard]] DropSolution solve_drop_knapsack(const std::vector<DropGroup>& groups, Bytes need,
                                               std::int64_t max_states = k_drop_max_states);

}  // namespace stackfit
