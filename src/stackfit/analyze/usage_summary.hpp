// What a usage history says about one workload: samples, peak, p95 and
// average working set, CPU, the declared limit, throttling, OOM kills and
// starts. One type and one builder for both sources: `record`'s closing
// summary (the SQLite store, scanned twice: record/recording_summary) and
// `history --prometheus` (Prometheus, read twice: cli/history_command).
// Only computes; emit/ presents (record_report, history_report).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "stackfit/analyze/two_pass_percentile.hpp"
#include "stackfit/model/cpu_throttling.hpp"
#include "stackfit/model/sample.hpp"
#include "stackfit/model/usage_sink.hpp"

namespace stackfit {

// Which source fills what:
//  - record (store): key {project, "service", service, ""}; oom_kills,
//    restarts and memory_limit are SampleStore's (lifecycle_counts.hpp: per
//    container the larger of events and counter, summed; the largest
//    declared limit); starts is 0. Throttling from the samples' CFS counters.
//  - history (Prometheus): key = the owning workload and container
//    (observe/prometheus_fold); oom_kills, starts (each instance's first
//    point and every restart) and memory_limit (the largest declared) from
//    the UsageSink calls; restarts is 0; throttling is summed when the
//    server has the CFS series but `history` does not print it.
struct UsageSummary {
  WorkloadKey key;
  std::int64_t instances = 0;  // distinct instances (containers, replicas, successive pods)
  std::int64_t samples = 0;    // working-set points
  std::int64_t first_ns = 0;
  std::int64_t last_ns = 0;
  Bytes peak_working_set;  // max over samples (not the kernel's max_usage, which includes cache)
  Bytes p95_working_set;   // nearest-rank 95th percentile
  Bytes average_working_set;
  // CPU in millicores: one rate per pair of consecutive counter readings of
  // one instance (counter resets skipped).
  std::int64_t cpu_samples = 0;
  std::optional<Millicores> cpu_p95;  // nearest rank
  std::optional<Millicores> cpu_peak;
  std::optional<Bytes> memory_limit;  // declared memory limit while recorded, when any
  // CFS throttling: the counters' increases summed over instances. periods
  // 0: no CPU limit, no counters (schema before version 3, or Prometheus
  // without the series).
  CpuThrottling throttling;
  std::int64_t oom_kills = 0;
  std::int64_t restarts = 0;  // record only
  std::int64_t starts = 0;    // history only
};

// Nearest-rank percentile (0 < p <= 100) of `values`; 0 for an empty input.
[[nodiscard]] std::int64_t nearest_rank_percentile(std::vector<std::int64_t> values, double p);

// Builds a UsageSummary per workload from a history pushed twice through the
// UsageSink interface: pass 1 every call, then start_second_pass(), then
// pass 2 the same memory() and cpu() points again (other calls are ignored
// in pass 2), so the p95s are exact nearest-rank through TwoPassPercentile.
// Memory per workload: its instances' names and two TwoPassPercentiles
// (a few hundred buckets and one narrow band), never one entry per point.
// A pass 2 that differs from pass 1 (a point arrived between the two reads)
// still gives real values near the rank (analyze/two_pass_percentile.hpp);
// workloads pass 1 never saw are ignored in pass 2.
class UsageSummaryBuilder final : public UsageSink {
 public:
  void memory(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Bytes working_set) override;
  void cpu(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Millicores rate) override;
  void oom_kill(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns,
                std::int64_t kills = 1) override;
  void start(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns) override;
  void memory_limit(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Bytes limit) override;
  void cpu_throttling(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns,
                      const CpuThrottling& throttling) override;

  // Ends pass 1; calling it again in pass 2 changes nothing.
  void start_second_pass();

  // One summary per workload fed in pass 1, ordered by key.
  [[nodiscard]] std::vector<UsageSummary> summaries() const;
  // The summary of one workload; only its key when it was never fed.
  [[nodiscard]] UsageSummary summary(const WorkloadKey& key) const;

 private:
  struct Workload {
    std::set<std::string, std::less<>> instances;
    std::int64_t samples = 0;
    std::int64_t first_ns = 0;
    std::int64_t last_ns = 0;
    Bytes peak;
    long double sum = 0;  // int64 could overflow over long histories
    TwoPassPercentile working_set{95};
    std::int64_t cpu_samples = 0;
    std::int64_t cpu_peak = 0;
    TwoPassPercentile cpu{95};
    std::optional<Bytes> memory_limit;
    CpuThrottling throttling;
    std::int64_t oom_kills = 0;
    std::int64_t starts = 0;
  };
  // Pass 1: the workload, created if new, with `instance` noted.
  Workload& at(const WorkloadKey& key, std::string_view instance);
  // Pass 2: the workload if pass 1 saw it.
  Workload* again(const WorkloadKey& key);
  [[nodiscard]] static UsageSummary summarize(const WorkloadKey& key, const Workload& w);

  std::map<WorkloadKey, Workload> m_workloads;
  bool m_second_pass = false;
};

// One service's recorded samples (cumulative CPU and CFS counters, as the
// store holds them) turned into a builder's readings, per container in time
// order (containers may interleave): memory() per sample; cpu() from
// consecutive readings of one container, rate = delta CPU ns * 1000 /
// delta ns, a drop (restart) skipped; cpu_throttling() from consecutive
// readings whose periods moved (model/cpu_throttling.hpp). The Builder of
// record/two_pass_scan: add() in scan 1, start_second_pass(), add_again().
class SampleUsageFeed {
 public:
  SampleUsageFeed(UsageSummaryBuilder& builder, WorkloadKey key) : m_builder(&builder), m_key(std::move(key)) {}
  void add(const Sample& sample, std::int64_t container) { feed(sample, container); }
  void start_second_pass();  // the builder's too
  void add_again(const Sample& sample, std::int64_t container) { feed(sample, container); }

 private:
  void feed(const Sample& sample, std::int64_t container);

  UsageSummaryBuilder* m_builder;
  WorkloadKey m_key;
  std::map<std::int64_t, Sample> m_previous;  // per container, within the current pass
};

// Summarises samples of one service in time order. Several containers of one
// service (replicas) are interleaved in `samples`; `container_of[i]` tells
// which container sample i came from so CPU rates are computed per container.
[[nodiscard]] UsageSummary summarize_usage(const WorkloadKey& key, const std::vector<Sample>& samples,
                                           const std::vector<std::int64_t>& container_of);

}  // namespace stackfit
