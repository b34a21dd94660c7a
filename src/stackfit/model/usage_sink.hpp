// Where usage history flows, whatever its source: the SQLite store (recorded
// with `record`) or a Prometheus-compatible server (range queries). Sources
// push points; the recommender (analyze/recommendation) folds them into
// bounded per-workload state (histograms, sketches), so memory stays flat
// however long the window.
//
// Order: points of one instance arrive in time order; instances of one
// workload, and workloads, may interleave in any order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "stackfit/model/quantity.hpp"
#include "stackfit/model/sample.hpp"

namespace stackfit {

// What a recommendation is for. Compose: {"", "service", service name, ""}.
// Kubernetes: the owning workload (Deployment, StatefulSet, DaemonSet, Job,
// CronJob, or the bare Pod) and the container name.
struct WorkloadKey {
  std::string namespace_;
  std::string kind;
  std::string name;
  std::string container;
  friend bool operator==(const WorkloadKey&, const WorkloadKey&) = default;
  friend auto operator<=>(const WorkloadKey&, const WorkloadKey&) = default;
};

class UsageSink {
 public:
  virtual ~UsageSink() = default;
  // `instance` tells replicas / successive containers apart (container id, or
  // pod name + container); it is only valid during the call.
  // Working set (usage - inactive_file) at time t (Unix epoch ns).
  virtual void memory(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Bytes working_set) = 0;
  // CPU used over the interval that ends at t, averaged, in millicores.
  virtual void cpu(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Millicores rate) = 0;
  // The instance was OOM-killed at (or just before) t.
  virtual void oom_kill(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns) = 0;
  // The instance (re)started at t: start-up peaks are measured from here.
  virtual void start(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns) = 0;
  // The declared memory limit of the instance at t, when the source knows it.
  virtual void memory_limit(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Bytes limit) = 0;
  // CFS throttling of the instance over the interval that ends at t: the
  // increases of its counters (model/cpu_throttling.hpp; periods > 0). Only
  // sources that have the counters call it. Default: ignored.
  virtual void cpu_throttling(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns,
                              const CpuThrottling& throttling) {
    (void)key, (void)instance, (void)t_ns, (void)throttling;
  }
  // The declared CPU limit of the instance at t, when the source knows it.
  // Default: ignored.
  virtual void cpu_limit(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Millicores limit) {
    (void)key, (void)instance, (void)t_ns, (void)limit;
  }
};

}  // namespace stackfit
