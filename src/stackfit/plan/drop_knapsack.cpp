#include "stackfit/plan/drop_knapsack.hpp"

#include <algorithm>
#include <limits>

namespace stackfit {
namespace {


struct Cell {
  std::int64_t cost = std::numeric_limits<std::int64_t>::max();
  std::int64_t saved = 0;  // bytes, the tie-break
  [[nodiscard]] bool reachable() const { return cost != std::numeric_limits<std::int64_t>::max(); }
  [[nodiscard]] bool better_than(const Cell& o) const {
    return cost < o.cost || (cost == o.cost && saved < o.saved);
  }
};

Bytes unit_for(Bytes need, std::int64_t max_states) {
  std::int64_t unit = std::max<std::int64_t>(k_mib, (need.count + max_states - 1) / max_states);
  return Bytes{(unit + k_mib - 1) / k_mib * k_mib};
}

}  // namespace

DropSolution solve_drop_knapsack(const std::vector<DropGroup>& groups, Bytes need, std::int64_t max_states) {
  DropSolution out;
  out.unit = unit_for(need, std::clamp<std::int64_t>(max_states, 1, k_drop_max_states));
  out.chosen.assign(groups.size(), 0);
  if (need.count <= 0) {
    out.feasible = true;
    return out;
  }
  const std::int64_t target = (need.count + out.unit.count - 1) / out.unit.count;
  const std::size_t states = static_cast<std::size_t>(target) + 1;
  // dp[s]: the best (cost, saved) freeing s units (s == target: at least target).
  std::vector<Cell> dp(states), next(states);
  dp[0] = Cell{0, 0};
  // step[g * states + s]: the choice of group g and the state it came from,
  // on the best path into s after group g.
  struct Step {
    std::uint16_t choice = 0;
    std::uint16_t from = 0;
  };
  std::vector<Step> steps(groups.size() * states);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    std::fill(next.begin(), next.end(), Cell{});
    const auto& choices = groups[g].choices;
    for (std::size_t s = 0; s < states; ++s) {
      if (!dp[s].reachable()) continue;
      for (std::size_t c = 0; c < choices.size() && c < 0xffff; ++c) {
        std::int64_t units = choices[c].saved.count / out.unit.count;
        auto to = static_cast<std::size_t>(std::min<std::int64_t>(target, static_cast<std::int64_t>(s) + units));
        Cell cand{dp[s].cost + choices[c].cost, dp[s].saved + choices[c].saved.count};
        if (cand.better_than(next[to])) {
          next[to] = cand;
          steps[g * states + to] = Step{static_cast<std::uint16_t>(c), static_cast<std::uint16_t>(s)};
        }
      }
    }
    std::swap(dp, next);
  }
  if (!dp[states - 1].reachable()) return out;
  out.feasible = true;
  out.cost = dp[states - 1].cost;
  out.saved = Bytes{dp[states - 1].saved};
  std::size_t s = states - 1;
  for (std::size_t g = groups.size(); g-- > 0;) {
    const Step& step = steps[g * states + s];
    out.chosen[g] = step.choice;
    s = step.from;
  }
  return out;
}

}  // namespace stackfit
