// A UsageSink that keeps every memory reading, per workload, for `backtest
// --db` / `--prometheus` (a replay needs the readings themselves, not a
// summary). Each reading carries the limit its instance had (memory_limit())
// and an OOM kill marks the instance's reading at (or next after) the kill.
// Replicas of one workload are merged by time into one series. Memory: one
// UsagePoint (32 bytes) per reading until finish(); fine for recordings, not
// meant for months of a whole cluster.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "stackfit/model/usage_sink.hpp"
#include "stackfit/model/usage_series.hpp"

namespace stackfit {

class UsageSeriesCollector final : public UsageSink {
 public:
  void memory(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Bytes working_set) override;
  void cpu(const WorkloadKey&, std::string_view, std::int64_t, Millicores) override {}
  void oom_kill(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns) override;
  void start(const WorkloadKey&, std::string_view, std::int64_t) override {}
  void memory_limit(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Bytes limit) override;

  // The series, one per workload, named by series_id(); the collector is
  // empty afterwards.
  [[nodiscard]] UsageSeriesSet finish();
  // Compose: the service name; Kubernetes: namespace/kind/name/container.
  [[nodiscard]] static std::string series_id(const WorkloadKey& key);

 private:
  struct Instance {
    std::int64_t limit_bytes = -1;
    std::size_t last = static_cast<std::size_t>(-1);  // index of its last reading in the workload
    bool kill_pending = false;
  };
  struct Workload {
    std::vector<UsagePoint> points;
    std::map<std::string, Instance, std::less<>> instances;
  };
  Instance& instance(const WorkloadKey& key, std::string_view name, Workload*& workload);
  std::map<WorkloadKey, Workload> m_workloads;
};

}  // namespace stackfit
