// Small helpers shared by the JSON reports: optional quantities become null,
// and the memory/cpu objects have one shape everywhere.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "stackfit/analyze/usage_summary.hpp"
#include "stackfit/model/resources.hpp"
#include "stackfit/model/runtime_hints.hpp"

namespace stackfit {

// An optional quantity (Bytes, Millicores) as its count, or null.
template <class Quantity>
[[nodiscard]] nlohmann::ordered_json count_or_null(const std::optional<Quantity>& v) {
  return v ? nlohmann::ordered_json(v->count) : nlohmann::ordered_json(nullptr);
}

// {"request_bytes": n|null, "limit_bytes": n|null}
[[nodiscard]] nlohmann::ordered_json memory_json(const Resources& r);
// {"request_millicores": n|null, "limit_millicores": n|null}
[[nodiscard]] nlohmann::ordered_json cpu_json(const Resources& r);
// A usage summary's working set, in record's and history's JSON alike:
// {"peak_bytes", "p95_bytes", "average_bytes", "limit_bytes": n|null}
[[nodiscard]] nlohmann::ordered_json usage_memory_json(const UsageSummary& u);
// Its CPU: {"p95_millicores": n|null, "peak_millicores": n|null}; each
// report adds its own fields after these (record) or before (history).
[[nodiscard]] nlohmann::ordered_json usage_cpu_json(const UsageSummary& u);
// {"kind": "...", "<knob>_bytes": n, ..., "evidence": [...]}; only set knobs appear.
[[nodiscard]] nlohmann::ordered_json runtime_json(const RuntimeHints& h);

}  // namespace stackfit
