// Turns the answers of the per-chunk Prometheus queries into UsageSink calls:
// pods grouped into workloads (kube_pod_owner, kube_replicaset_owner), CPU
// rates from consecutive counter samples of one series (counter resets
// skipped, as analyze/usage_summary does for the store), OOM kills from
// counter increases, starts, memory and CPU limits, CFS throttling from the
// increases of cAdvisor's period counters (points where both counters have
// a value; a reset skipped). Keeps only O(series) state
// between chunks (the last point of each counter), so memory stays flat
// however many chunks flow through.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "stackfit/model/usage_sink.hpp"
#include "stackfit/observe/fleet_series.hpp"
#include "stackfit/observe/prometheus_json.hpp"

namespace stackfit {

// The queries run for every chunk, in this order (see prometheus_queries()).
enum class ChunkQuery : int {
  memory,
  cpu,
  memory_limit,
  oom_events,
  restarts,
  oom_reason,
  cfs_periods,            // cAdvisor container_cpu_cfs_periods_total
  cfs_throttled_periods,  // cAdvisor container_cpu_cfs_throttled_periods_total
  cpu_limit,              // kube-state-metrics, cores
  count
};
inline constexpr std::size_t k_chunk_queries = static_cast<std::size_t>(ChunkQuery::count);

using ChunkAnswers = std::array<PromMatrix, k_chunk_queries>;

// How a ReplicaSet's pods were attributed (reported in the summary).
struct GroupingStats {
  std::int64_t pods_with_owner = 0;
  std::int64_t replicasets_by_owner_metric = 0;  // kube_replicaset_owner said which Deployment
  std::int64_t replicasets_by_name = 0;          // pod-template-hash suffix stripped
  std::int64_t bare_pods = 0;                    // no owner: the pod is its own workload
  // Compose fleets (observe/fleet_series): containers grouped by service,
  // and the series left out for a missing `service` or host label.
  std::int64_t compose_containers = 0;
  std::int64_t compose_without_service = 0;
  std::int64_t compose_without_host = 0;
};

class PrometheusFold {
 public:
  // `host_label`: "" groups Compose containers per (project, service) across
  // hosts; a label name splits them per host (FleetGrouping).
  explicit PrometheusFold(std::string host_label = "") : m_fleet(std::move(host_label)) {}

  // `kube_pod_owner` and `kube_replicaset_owner` series (labels only are used).
  void set_owners(const PromMatrix& pod_owner, const PromMatrix& replicaset_owner);

  // Pushes one chunk's points to `sink`, instance by instance in time order.
  // As store/usage_stream does, an instance starts at its first point in the
  // window, and again at each restart (kube-state-metrics restart counter).
  void fold_chunk(const ChunkAnswers& answers, std::int64_t step_ms, UsageSink& sink);

  // The workload of a pod (Pod/<name> when nothing owns it).
  [[nodiscard]] WorkloadKey workload_of(const std::string& namespace_, const std::string& pod,
                                        const std::string& container);

  [[nodiscard]] GroupingStats grouping() const;
  [[nodiscard]] std::int64_t capped_oom_increases() const { return m_capped_oom; }

 private:
  struct Last {
    bool seen = false;
    std::int64_t t_ms = 0;
    double value = 0;
  };
  using PodKey = std::pair<std::string, std::string>;  // namespace, pod (or replicaset)
  std::map<PodKey, std::pair<std::string, std::string>> m_pod_owner;  // -> kind, name
  std::map<PodKey, std::pair<std::string, std::string>> m_rs_owner;
  std::map<PodKey, WorkloadKey> m_resolved;                           // cache, without container
  std::map<std::string, Last> m_counter_last;  // per series (full label set)
  std::set<std::string> m_seen_instances;
  std::map<std::string, std::int64_t> m_limit_last;  // per instance
  std::map<std::string, std::int64_t> m_cpu_limit_last;  // per instance, millicores
  // The CFS counters' last point per instance: (t_ms, periods, throttled).
  struct ThrottleLast {
    std::int64_t t_ms = -1;  // -1: no point yet
    std::int64_t periods = 0;
    std::int64_t throttled = 0;
  };
  std::map<std::string, ThrottleLast> m_throttle_last;
  GroupingStats m_grouping;
  FleetGrouping m_fleet;
  std::int64_t m_capped_oom = 0;
};

// Extra label matchers (e.g. `namespace=~"shop|web"`, may be empty) joined
// into every query. Returns the chunk queries in ChunkQuery order; the
// cAdvisor ones select Kubernetes containers `or` Compose containers
// (k_compose_series_matchers; disjoint, so each series comes once), and the
// memory limit adds the Compose exporter's container_spec_memory_limit_bytes.
// Each is
// `last_over_time(<selector>[<step - 1ms>])` so a gap in the data stays a gap
// instead of repeating the last value for Prometheus' 5-minute lookback.
[[nodiscard]] std::array<std::string, k_chunk_queries> prometheus_chunk_queries(const std::string& matchers,
                                                                                std::int64_t step_ms);
// The ownership queries (kube_pod_owner, kube_replicaset_owner) over `range_ms`.
[[nodiscard]] std::array<std::string, 2> prometheus_owner_queries(const std::string& matchers, std::int64_t range_ms);

// "web-5d9f8b7c6" -> "web" when the suffix looks like a pod-template-hash
// (5 to 10 characters of [bcdfghjklmnpqrstvwxz2456789], as Kubernetes'
// SafeEncodeString emits); otherwise "".
[[nodiscard]] std::string deployment_of_replicaset(std::string_view replicaset);

}  // namespace stackfit
