// Per-workload summaries of usage history pushed through a UsageSink (from
// the SQLite store or Prometheus): what `stackfit history` prints so users
// can check what stackfit sees before it recommends anything. Exact
// nearest-rank p95 needs every value, so this sink keeps one int64 per
// memory and CPU point (8 bytes a point); the recommender's sink keeps
// bounded histograms instead.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "stackfit/model/usage_sink.hpp"

namespace stackfit {

struct WorkloadUsage {
  WorkloadKey key;
  std::int64_t instances = 0;  // distinct instances (replicas, successive pods)
  std::int64_t samples = 0;    // memory points
  std::int64_t first_ns = 0;
  std::int64_t last_ns = 0;
  Bytes peak_working_set;
  Bytes p95_working_set;  // nearest rank
  Bytes average_working_set;
  std::int64_t cpu_samples = 0;  // CPU rates (one per consecutive pair of counter points)
  std::optional<Millicores> cpu_p95;
  std::optional<Millicores> cpu_peak;
  std::optional<Bytes> memory_limit;  // the largest declared limit seen
  std::int64_t oom_kills = 0;
  std::int64_t starts = 0;
};

class WorkloadUsageSink final : public UsageSink {
 public:
  void memory(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Bytes working_set) override;
  void cpu(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Millicores rate) override;
  void oom_kill(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns) override;
  void start(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns) override;
  void memory_limit(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Bytes limit) override;

  // One summary per workload, ordered by key.
  [[nodiscard]] std::vector<WorkloadUsage> summaries() const;

 private:
  struct Accumulator {
    std::set<std::string, std::less<>> instances;
    std::vector<std::int64_t> memory;
    std::vector<std::int64_t> cpu;
    long double memory_sum = 0;
    std::int64_t first_ns = 0, last_ns = 0;
    std::optional<Bytes> limit;
    std::int64_t oom_kills = 0, starts = 0;
  };
  Accumulator& at(const WorkloadKey& key, std::string_view instance);
  std::map<WorkloadKey, Accumulator> m_workloads;
};

}  // namespace stackfit
