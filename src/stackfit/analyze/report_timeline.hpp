// What `stackfit report` draws over time, folded from any history source
// (store or Prometheus) as a UsageSink: per workload, working set and CPU in
// max-preserving buckets, its OOM kills, starts and restarts, and the limits
// the source reported. Memory stays bounded however long the window: at most
// `capacity` buckets per instance; when the readings span more, every bucket
// doubles in width and neighbours merge by their maximum, so a peak is never
// averaged away. All workloads share one bucket grid (Unix epoch ns /
// bucket_ns), so they stack.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stackfit/model/usage_sink.hpp"

namespace stackfit {

// Markers (OOM kills, starts) kept per workload; beyond, only counted.
inline constexpr std::size_t k_max_timeline_markers = 500;

struct WorkloadTimeline {
  WorkloadKey key;
  // Per bucket of the shared grid: the largest reading in the bucket, summed
  // over the workload's instances (replicas, or a container and the one that
  // replaced it within one bucket); -1 where no instance had a reading.
  std::vector<std::int64_t> memory_bytes;
  std::vector<std::int64_t> cpu_millicores;
  std::vector<std::int64_t> oom_kill_ns;  // at most k_max_timeline_markers, earliest first
  std::vector<std::int64_t> start_ns;     // first start of each instance, same bound
  std::vector<std::int64_t> restart_ns;   // later starts of an instance, same bound
  std::int64_t oom_kills = 0;             // all of them, beyond the bound too
  std::int64_t restarts = 0;
  std::int64_t memory_points = 0;
  std::optional<Bytes> memory_limit;      // the largest the source reported
  std::optional<Millicores> cpu_limit;
  [[nodiscard]] std::optional<Bytes> peak() const;  // largest bucket (= largest reading of one instance)
};

struct ReportTimelines {
  std::int64_t first_ns = 0;   // start of bucket 0
  std::int64_t bucket_ns = 0;  // width of every bucket
  std::size_t buckets = 0;     // 0: no reading at all
  std::vector<WorkloadTimeline> workloads;  // sorted by key
};

class TimelineBuilder final : public UsageSink {
 public:
  // `capacity`: most buckets a chart gets (>= 2); `first_bucket_ns`: the
  // narrowest bucket (the recording's resolution is finer: readings merge).
  explicit TimelineBuilder(std::size_t capacity = 600, std::int64_t first_bucket_ns = 1'000'000'000);

  void memory(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Bytes working_set) override;
  void cpu(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Millicores rate) override;
  void oom_kill(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, std::int64_t kills = 1) override;
  void start(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns) override;
  void memory_limit(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Bytes limit) override;
  void cpu_limit(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Millicores limit) override;

  [[nodiscard]] ReportTimelines finish() const;
  [[nodiscard]] std::int64_t bucket_ns() const { return m_bucket_ns; }

 private:
  struct Bucket {
    std::int64_t memory_bytes = -1;
    std::int64_t cpu_millicores = -1;
  };
  struct Instance {
    std::map<std::int64_t, Bucket> buckets;  // by bucket index on the grid
    bool started = false;
  };
  struct Workload {
    std::map<std::string, Instance, std::less<>> instances;
    WorkloadTimeline timeline;  // markers, counts and limits; series filled by finish()
  };
  Workload& workload(const WorkloadKey& key);
  Bucket& bucket(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns);
  void coarsen();

  std::size_t m_capacity;
  std::int64_t m_bucket_ns;
  std::optional<std::int64_t> m_min_index;
  std::optional<std::int64_t> m_max_index;
  std::map<WorkloadKey, Workload> m_workloads;
};

}  // namespace stackfit
