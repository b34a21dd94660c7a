// Does a stack's committed memory fit a budget? Totals over services x
// replicas, what is left after the OS/engine reserve, and the verdict.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stackfit/analyze/finding.hpp"
#include "stackfit/model/stack.hpp"

namespace stackfit {

// Sums over services x replicas of what is declared (DaemonSets count once per
// node: `nodes`). Unset values add nothing; unbounded lists services with no
// memory limit.
struct StackTotals {
  Bytes memory_request;
  Bytes memory_limit;
  Bytes memory_committed;  // per service: limit where set, else request
  Millicores cpu_request;
  Millicores cpu_limit;
  std::vector<std::string> unbounded_memory;
};
[[nodiscard]] StackTotals compute_totals(const Stack& stack, std::int64_t nodes = 1);

struct Budget {
  std::string name;        // machine name, or "budget" for --budget
  Bytes memory;            // total memory of the target
  Bytes reserve;           // kept by OS and engine
  std::optional<Millicores> cpus;
  [[nodiscard]] Bytes available() const { return memory.count > reserve.count ? memory - reserve : Bytes{0}; }
};

struct FitResult {
  StackTotals totals;
  Budget budget;
  bool fits = false;           // committed memory <= available
  Bytes headroom;              // available - committed (0 when it does not fit)
  Bytes shortfall;             // committed - available (0 when it fits)
  std::vector<Finding> findings;  // budget findings (fit, overcommit)
};

// Compares committed memory to what the budget leaves, and adds findings:
// "budget-exceeded" (failure) when committed > available,
// "limits-overcommit" (warning) when the sum of limits exceeds the budget but
// the requests fit, "requests-exceed-limits-budget" (failure) the other way round,
// "cpu-exceeds-budget" (warning) for CPU limits above the machine's CPUs,
// "budget-unbounded" (warning) naming services that declare neither memory
// limit nor request and so count as 0 B in the verdict.
[[nodiscard]] FitResult fit_budget(const Stack& stack, const Budget& budget);

}  // namespace stackfit
