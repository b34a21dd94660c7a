// Writes what stackfit decided as a Compose override file — a new file loaded
// after the user's own (`docker compose -f compose.yml -f
// docker-compose.stackfit.yml`), never an edit of theirs. Used by `apply`
// (resources, runtime knobs) and by `plan` (--write for an option; --startup
// for dependency conditions and health-check timings).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stackfit/model/resource_target.hpp"
#include "stackfit/model/stack.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

// Everything the override says about one service.
struct ServiceOverride {
  ResourceTarget target;                   // resources, replicas, runtime knobs (empty = unchanged)
  std::vector<Dependency> depends_on;      // written when non-empty (long form, with conditions)
  std::optional<Healthcheck> healthcheck;  // timings written where set; the test stays the user's
};

// How memory/CPU are written: like the stack already does (per service:
// deploy.resources if it uses them, else mem_limit/mem_reservation/cpus), or
// forced.
enum class ComposeResourceStyle { match_stack, service_level, deploy_resources };

struct ComposeOverrideOptions {
  ComposeResourceStyle style = ComposeResourceStyle::match_stack;
  std::string header_comment;  // first lines, each written as "# ..."
};

// The override's YAML text. `stack` is the loaded (declared) stack: it decides
// the style per service and holds the command/environment that runtime knobs
// rewrite. An override naming a service the stack does not have is an error
// (not_found). Strings the override writes into command/entrypoint/environment
// have `$` doubled, so Compose's interpolation gives back the exact value.
// Services whose override says nothing are left out.
[[nodiscard]] Expected<std::string> render_compose_override(const Stack& stack,
                                                            const std::vector<ServiceOverride>& overrides,
                                                            const ComposeOverrideOptions& options);

// A duration as Compose writes it: "10s", "1m30s", "500ms", "0s".
[[nodiscard]] std::string format_compose_duration(std::int64_t ms);

}  // namespace stackfit
