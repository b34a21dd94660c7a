// What a recording says about one service: peak, p95 and average working
// set, CPU, OOM kills and restarts. Only computes; emit/ presents.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stackfit/model/sample.hpp"

namespace stackfit {

struct UsageSummary {
  std::string project;
  std::string service;
  std::int64_t samples = 0;
  std::int64_t first_ns = 0;
  std::int64_t last_ns = 0;
  Bytes peak_working_set;   // max over samples (not the kernel's max_usage, which includes cache)
  Bytes p95_working_set;    // nearest-rank 95th percentile
  Bytes average_working_set;
  std::optional<Bytes> limit;  // declared memory limit while recorded, when any
  // CPU in millicores, from the increase of cpu_usage_ns between consecutive
  // samples of the same series (counter resets skipped).
  std::optional<Millicores> cpu_p95;
  std::optional<Millicores> cpu_peak;
  std::int64_t oom_kills = 0;
  std::int64_t restarts = 0;
};

// Nearest-rank percentile (0 < p <= 100) of `values`; 0 for an empty input.
[[nodiscard]] std::int64_t nearest_rank_percentile(std::vector<std::int64_t> values, double p);

// Summarises samples of one service in time order. Several containers of one
// service (replicas) are interleaved in `samples`; `container_of[i]` tells
// which container sample i came from so CPU rates are computed per container.
[[nodiscard]] UsageSummary summarize_usage(std::string project, std::string service,
                                           const std::vector<Sample>& samples,
                                           const std::vector<std::int64_t>& container_of);

}  // namespace stackfit
