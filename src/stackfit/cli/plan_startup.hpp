// The start-up half of `stackfit plan`: `plan --startup` computes waves
// (plan/startup_waves) instead of fit options, prints the schedule and, with
// --write, writes it as a Compose override (docs/startup.md).
#pragma once

#include <optional>
#include <string>

#include "stackfit/emit/output_format.hpp"
#include "stackfit/model/stack.hpp"
#include "stackfit/plan/budget_fit.hpp"
#include "stackfit/plan/startup_waves.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit::cli {

struct StartupRequest {
  std::string db;             // store recorded with `stackfit record`: measured start-up peaks ("" = none)
  std::string window = "2m";  // how long after a container start counts as start-up
  OutputFormat format = OutputFormat::table;
  std::string write;   // Compose override to write ("" = none)
  bool force = false;  // replace an existing --write file
};

// The waves `plan --startup --db DB` computes for `stack` on `target`, from
// the start-up figures and health recorded in DB over its whole history
// (`report` shows them). Errors: the store's, and a depends_on cycle.
[[nodiscard]] Expected<StartupPlan> recorded_startup_waves(const Stack& stack, const std::optional<Budget>& target,
                                                           const std::string& db, std::int64_t window_ms);

// Exit 0 when the staged start-up fits `target` (or there is none), 1 when it
// does not; errors for bad input (a depends_on cycle), an unreadable store, or
// a refused write (never over the stack's own files; existing only with force).
[[nodiscard]] Expected<int> run_plan_startup(const Stack& stack, const std::optional<Budget>& target,
                                             const StartupRequest& request);

}  // namespace stackfit::cli
