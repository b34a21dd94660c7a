// `plan --keep SERVICE[,SERVICE...]`: the core of a stack — the kept services
// and everything they depend on (the depends_on closure) — what it commits,
// and what is left out with the feature each left-out service carries.
// Only computes; plan/fit_plan offers "run only the core" when nothing else
// fits, emit/plan_report presents.
#pragma once

#include <string>
#include <vector>

#include "stackfit/model/stack.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

struct LeftOut {
  std::string service;
  std::string feature;  // what goes with it, in words ("Flower, a monitoring UI")
};

struct CoreStack {
  std::vector<std::string> kept;      // as given to --keep
  std::vector<std::string> services;  // the closure, in declaration order
  std::vector<LeftOut> left_out;      // every other running service, in declaration order
  Stack stack;                        // the input with every left-out service at 0 replicas
};

// The core of `stack` for `keep` (service names). Errors (usage): an empty
// list or name, a name the stack does not have ("--keep: unknown service
// \"apii\" (services: api, db, …)"). A depends_on cycle is the caller's
// check (plan/startup_waves' check_depends_on_acyclic); the closure itself
// terminates on one.
[[nodiscard]] Expected<CoreStack> core_stack(const Stack& stack, const std::vector<std::string>& keep);

// "a,b, c" -> {"a", "b", "c"}; an empty element is a usage error.
[[nodiscard]] Expected<std::vector<std::string>> parse_keep_list(const std::string& text);

}  // namespace stackfit
