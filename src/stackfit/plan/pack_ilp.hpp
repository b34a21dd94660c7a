// The exact node count for small packings: an integer program solved by GLPK
// (loaded on first use: plan/glpk_library.hpp) within a time limit, to prove first-fit decreasing optimal or to
// find a better packing.
#pragma once

#include <cstdint>
#include <vector>

#include "stackfit/plan/pod_packing.hpp"

namespace stackfit {

enum class IlpStatus {
  optimal,          // proved: no packing uses fewer nodes than `nodes`
  time_limit,       // stopped at the time limit; `nodes` is the best found (may be max_nodes)
  skipped,          // too large for the ILP (pods x nodes above the cap); nothing proved
  unavailable,      // libglpk.so.40 could not be loaded (glpk_load_error() says why); nothing proved
};
[[nodiscard]] const char* to_string(IlpStatus s);

struct IlpResult {
  IlpStatus status = IlpStatus::skipped;
  std::int64_t nodes = 0;
  double seconds = 0;
  std::vector<std::int32_t> node_of;  // per pod (input order) when a solution was found, else empty
};

struct IlpLimits {
  int time_limit_ms = 2000;        // GLPK tm_lim
  std::size_t max_variables = 4000;  // pods x nodes; larger problems are skipped
};

// Minimises the number of nodes used among `max_nodes` identical nodes:
//   x[i][j] = 1 when pod i is on node j (j <= i: symmetry broken by pod order),
//   y[j] = 1 when node j is used, y[j] >= y[j+1];
//   each pod on one node; per node sum memory <= capacity y[j], same for CPU
//   and, when node.pods > 0, the pod count.
// `max_nodes` is usually first-fit decreasing's count (a feasible bound).
// Pods larger than a node must be left out by the caller.
[[nodiscard]] IlpResult solve_packing_ilp(const std::vector<PodSize>& pods, NodeCapacity node,
                                          std::int64_t max_nodes, const IlpLimits& limits = {});

}  // namespace stackfit
