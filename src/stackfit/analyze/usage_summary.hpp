// What a recording says about one service: peak, p95 and average working
// set, CPU, OOM kills and restarts. Only computes; emit/ presents.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stackfit/analyze/two_pass_percentile.hpp"
#include "stackfit/model/cpu_throttling.hpp"
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
  // CFS throttling over the recording: the increases between consecutive
  // samples of each container, summed (counter resets skipped). periods 0:
  // no CPU limit (or a store before schema version 3).
  CpuThrottling throttling;
  std::int64_t oom_kills = 0;
  std::int64_t restarts = 0;
};

// Nearest-rank percentile (0 < p <= 100) of `values`; 0 for an empty input.
[[nodiscard]] std::int64_t nearest_rank_percentile(std::vector<std::int64_t> values, double p);

// Builds a UsageSummary from samples streamed twice (the store's scan run
// again), holding per container only its previous CPU reading: exact p95s
// through TwoPassPercentile, so the end of a long recording does not load
// every sample into memory. Per pass, each container's samples in time order
// (containers may interleave).
class UsageSummaryBuilder {
 public:
  UsageSummaryBuilder();
  void add(const Sample& sample, std::int64_t container);  // pass 1
  void start_second_pass();
  void add_again(const Sample& sample, std::int64_t container);  // pass 2: the same samples
  [[nodiscard]] UsageSummary finish(std::string project, std::string service) const;

 private:
  // The CPU rate since the container's previous sample, if any (a counter
  // reset, i.e. a restart, gives none); in pass 1 also adds the throttling
  // since that sample.
  std::optional<std::int64_t> cpu_rate(const Sample& sample, std::int64_t container);

  std::int64_t m_samples = 0;
  std::int64_t m_first_ns = 0;
  std::int64_t m_last_ns = 0;
  Bytes m_peak;
  long double m_sum = 0;  // int64 could overflow over long histories
  std::optional<std::int64_t> m_cpu_peak;
  TwoPassPercentile m_working_set_p95;
  TwoPassPercentile m_cpu_p95;
  CpuThrottling m_throttling;
  bool m_second_pass = false;
  std::map<std::int64_t, Sample> m_previous;  // per container, within the current pass
};

// Summarises samples of one service in time order. Several containers of one
// service (replicas) are interleaved in `samples`; `container_of[i]` tells
// which container sample i came from so CPU rates are computed per container.
[[nodiscard]] UsageSummary summarize_usage(std::string project, std::string service,
                                           const std::vector<Sample>& samples,
                                           const std::vector<std::int64_t>& container_of);

}  // namespace stackfit
