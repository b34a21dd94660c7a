// The memory side of a recommendation: request and limit by strategy
// (adaptive, peak, percentile) and profile, then the OOM floor. Formulas and
// their origins: docs/recommend.md. Used by the Recommender only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stackfit/analyze/recommendation.hpp"

namespace stackfit {

struct MemorySizing {
  Bytes request;
  Bytes limit;
  std::optional<AdaptiveChoice> adaptive;  // set by the adaptive strategy
};

// Request and limit before minimums and rounding, with a reason line for each
// (and, for a killed workload, for the OOM floor).
[[nodiscard]] MemorySizing size_memory(const WorkloadState& w, Strategy strategy, const WorkloadContext& ctx,
                                       const RecommendOptions& o, std::int64_t history_ns,
                                       std::vector<std::string>& reasons);
// The limit of a workload OOM-killed with too few samples for a strategy: the
// OOM bump over the limit it was killed with (status oom_only).
[[nodiscard]] Bytes oom_only_limit(const WorkloadState& w, const WorkloadContext& ctx, const RecommendOptions& o,
                                   std::vector<std::string>& reasons);

}  // namespace stackfit
