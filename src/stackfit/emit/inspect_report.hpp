// `stackfit inspect` output: per-service declared requests/limits, replicas,
// runtime hints, then totals. The table, Markdown and CSV forms present the
// same rows; JSON is the documented, versioned twin (docs/inspect-json.md).
#pragma once

#include <string>

#include "stackfit/emit/output_format.hpp"
#include "stackfit/model/stack.hpp"
#include "stackfit/plan/budget_fit.hpp"

namespace stackfit {

inline constexpr int k_inspect_schema_version = 1;

// `verbose` adds, in the table form, the source files and the Kubernetes kinds
// that were read but not sized (JSON always carries them).
enum class Verbosity { normal, verbose };
[[nodiscard]] std::string render_inspect(const Stack& stack, const StackTotals& totals, OutputFormat format,
                                         Verbosity verbosity = Verbosity::normal);

// One short phrase for a service's runtime settings: "jvm heap 512 MiB",
// "redis maxmemory 200 MiB (allkeys-lru)", "" when nothing was recognised.
[[nodiscard]] std::string describe_runtime(const RuntimeHints& hints);

}  // namespace stackfit
