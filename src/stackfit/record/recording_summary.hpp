// The per-service summary `record` prints when it stops: peak, p95 and
// average working set, CPU, OOM kills and restarts of what was recorded
// between two times, read back from the store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stackfit/analyze/usage_summary.hpp"
#include "stackfit/store/sample_store.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

// The key of a recorded service in its UsageSummary: {project, "service",
// service, ""}.
[[nodiscard]] WorkloadKey recorded_service_key(const std::string& project, const std::string& service);

// Two scans of one snapshot of the store, so the p95s are exact (nearest
// rank) while memory holds one UsageSummaryBuilder entry per service, not the
// samples: a day of 200 containers at 1 s is 17 million of them. Services in
// SampleStore::load_series's order and with its OOM-kill, restart and limit
// rules (UsageSummary's `restarts`; `starts` stays 0).
[[nodiscard]] Expected<std::vector<UsageSummary>> summarize_recording(SampleStore& store, std::int64_t from_ns,
                                                                     std::int64_t to_ns);

}  // namespace stackfit
