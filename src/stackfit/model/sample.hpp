// What the recorder sees: one reading of one container (or plain cgroup) at
// one time, the container it belongs to, and lifecycle events.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "stackfit/model/resources.hpp"

namespace stackfit {

// One reading of one cgroup. Memory figures in bytes, CPU in nanoseconds of
// CPU time since the cgroup was created (a counter), time in Unix epoch ns.
struct Sample {
  std::int64_t time_ns = 0;
  // usage - inactive_file (clamped at 0): the figure docker stats, kubelet and
  // cAdvisor call "working set" and the one the OOM killer is judged against.
  Bytes working_set;
  Bytes usage;           // memory.usage_in_bytes (v1) / memory.current (v2)
  Bytes rss;             // anonymous memory: total_rss (v1) / anon (v2)
  Bytes page_cache;      // total_cache (v1) / file (v2)
  Bytes inactive_file;   // total_inactive_file (v1) / inactive_file (v2)
  std::optional<Bytes> peak;  // max_usage_in_bytes (v1) / memory.peak (v2, kernel >= 5.19)
  std::int64_t oom_kills = 0;           // memory.oom_control oom_kill (v1) / memory.events oom_kill (v2)
  std::int64_t cpu_usage_ns = 0;        // cpuacct.usage (v1) / cpu.stat usage_usec * 1000 (v2)
  // CFS bandwidth control (cpu.stat of the cpu controller, cumulative):
  // periods in which the cgroup was throttled (nr_throttled) and the time
  // its tasks spent throttled (throttled_time ns on v1, throttled_usec *
  // 1000 on v2). 0 without a cpu controller.
  std::int64_t cpu_throttled_periods = 0;
  std::int64_t cpu_throttled_ns = 0;
  std::optional<double> memory_pressure_some_avg10;  // PSI, percent, where the kernel has it
  // cpu.stat nr_periods: CFS enforcement periods that elapsed while the
  // cgroup had a CPU quota and a runnable task (cumulative): the
  // denominator of cpu_throttled_periods. 0 without a cpu controller. Last
  // so brace-initialised Samples written before it keep their meaning.
  std::int64_t cpu_periods = 0;
};

// CFS throttling over a span of time (increases of Sample's counters; see
// model/cpu_throttling.hpp for how they are computed).
struct CpuThrottling {
  std::int64_t periods = 0;            // CFS periods that elapsed (with a quota and a runnable task)
  std::int64_t throttled_periods = 0;  // of those, periods in which the quota ran out; <= periods
  std::int64_t throttled_ns = 0;       // time the tasks waited for the next period
  CpuThrottling& operator+=(const CpuThrottling& other);
};

// A container's effective health check as the engine runs it
// (inspect: Config.Healthcheck), which includes a HEALTHCHECK that only the
// image defines. Durations in ns; 0 means "the engine's default".
struct RecordedHealthcheck {
  std::string test;  // Test as a JSON array, e.g. ["CMD-SHELL","redis-cli ping"]
  std::int64_t interval_ns = 0;
  std::int64_t timeout_ns = 0;
  std::int64_t start_period_ns = 0;
  std::int64_t retries = 0;
  friend bool operator==(const RecordedHealthcheck&, const RecordedHealthcheck&) = default;
};

// The Kubernetes names of a container recorded on a node (record --kube-node):
// the labels /metrics gives it, as cAdvisor does. Empty namespace_: the
// node's log folders could not name the pod (pod holds its UID then).
struct KubeLabels {
  std::string namespace_;
  std::string pod;
  std::string container;
};

// A container (or plain cgroup) being recorded, with what it declared then.
struct ContainerInfo {
  std::string id;              // engine container id, or the cgroup path for plain cgroups
  std::string name;            // engine name without the leading '/', or the cgroup's base name
  std::string project;         // com.docker.compose.project ("" if none)
  std::string service;         // com.docker.compose.service, else name
  std::int64_t container_number = 0;  // com.docker.compose.container-number
  std::string image;
  Resources declared;          // HostConfig.Memory / MemoryReservation / NanoCpus or CpuQuota/CpuPeriod
  std::int64_t pid = 0;        // State.Pid (0 when not running)
  std::int64_t restart_count = 0;
  bool oom_killed = false;     // State.OOMKilled (only set by Docker once the container exited)
  std::string cgroup_path;     // memory cgroup, relative to the memory controller root
  // Absent when the container has none (or its Test is ["NONE"]: disabled).
  std::optional<RecordedHealthcheck> healthcheck;
  std::optional<KubeLabels> kube;  // set for a Kubernetes container of record --kube-node
};

// The latest reading of one container as `top` and `/metrics` show it.
struct LiveReading {
  ContainerInfo info;
  Sample sample;
  std::optional<Bytes> limit;      // the cgroup's memory limit now
  std::int64_t oom_kills_seen = 0; // the cgroup's OOM-kill counter
  Bytes peak_working_set;          // highest working set seen by this process
  std::optional<Millicores> cpu;   // CPU used since the previous reading
  // CFS throttling since this process first read the cgroup (nullopt: no
  // period elapsed, i.e. no CPU limit, or the counters were reset).
  std::optional<CpuThrottling> throttling;
};

// healthy / unhealthy: the engine's "health_status: healthy" / "health_status: unhealthy".
enum class EventKind { start, die, oom, destroy, restart, healthy, unhealthy };
[[nodiscard]] const char* to_string(EventKind kind);

struct ContainerEvent {
  std::int64_t time_ns = 0;
  std::string container_id;
  EventKind kind = EventKind::start;
  std::optional<std::int64_t> exit_code;  // for die
};

}  // namespace stackfit
