// The per-service summary `record` prints when it stops: peak, p95 and
// average working set, CPU, OOM kills and restarts of what was recorded
// between two times, read back from the store.
#pragma once

#include <cstdint>
#include <vector>

#include "stackfit/analyze/usage_summary.hpp"
#include "stackfit/store/sample_store.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

// Two scans of one snapshot of the store, so the p95s are exact (nearest
// rank) while memory holds one UsageSummaryBuilder per service, not the
// samples: a day of 200 containers at 1 s is 17 million of them. Services in
// SampleStore::load_series's order and with its OOM-kill and restart rules.
[[nodiscard]] Expected<std::vector<UsageSummary>> summarize_recording(SampleStore& store, std::int64_t from_ns,
                                                                     std::int64_t to_ns);

}  // namespace stackfit
