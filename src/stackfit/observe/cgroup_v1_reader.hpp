// The cgroup v1 implementation of CgroupReader: the memory controller's files
// plus cpuacct.usage (cpuacct controller) and cpu.stat (cpu controller) of the
// cgroup at the same relative path. Not thread-safe: one reader per thread.
#pragma once

#include <memory>
#include <string>

#include "stackfit/observe/cgroup_file.hpp"
#include "stackfit/observe/cgroup_read_schedule.hpp"
#include "stackfit/observe/cgroup_reader.hpp"

namespace stackfit {

class CgroupV1Reader final : public CgroupReader {
 public:
  // Opens the files of `relative_path` under mounts.memory_root (required),
  // mounts.cpu_root (required when set) and mounts.cpu_stat_root (optional:
  // without a cgroup there, throttling figures stay 0). Errors: not_found
  // "<dir>: no such cgroup"; bad_input "<dir>: not a memory cgroup (no
  // memory.usage_in_bytes)"; io on permissions.
  [[nodiscard]] static Expected<std::unique_ptr<CgroupReader>> open(const CgroupMounts& mounts,
                                                                    const std::string& relative_path);

  // Reads CPU time every time (but see TasksRan::none below); usage when
  // the CPU time moved (or without cpuacct), and memory.stat, the peak and
  // the OOM-kill counter when CgroupReadSchedule says they may have moved
  // (otherwise the figures of the last time they were read, at most
  // CgroupReadSchedule::k_refresh_readings readings old).
  // oom_kills stays 0 on kernels before 4.13, whose memory.oom_control has no
  // oom_kill line (memory.failcnt counts limit hits, not kills, so it is no
  // substitute). memory_pressure_some_avg10 stays nullopt: v1 has no
  // per-cgroup PSI by default. With TasksRan::none, the CPU time and
  // throttling figures are the previous reading's, not read.
  using CgroupReader::read;
  [[nodiscard]] Expected<Sample> read(TasksRan ran) override;
  [[nodiscard]] Expected<std::optional<Bytes>> memory_limit() override;
  void rely_on_oom_events() override { m_schedule.rely_on_oom_events(); }
  void oom_event() override { m_schedule.oom_event(); }

 private:
  CgroupV1Reader() = default;
  [[nodiscard]] Expected<void> open_memory_files(const std::string& dir);
  [[nodiscard]] Expected<void> open_cpu_files(const CgroupMounts& mounts, const std::string& relative_path);
  [[nodiscard]] Expected<void> read_memory_stat(std::span<char> buffer);
  [[nodiscard]] Expected<void> read_throttling(Sample& sample, bool tasks_ran, std::span<char> buffer);
  [[nodiscard]] Expected<bool> throttle_figures_may_change(std::span<char> buffer);
  void copy_throttling(Sample& sample) const;

  CgroupFile m_usage;        // memory.usage_in_bytes
  CgroupFile m_stat;         // memory.stat
  CgroupFile m_max_usage;    // memory.max_usage_in_bytes (optional)
  CgroupFile m_oom_control;  // memory.oom_control
  CgroupFile m_limit;        // memory.limit_in_bytes
  CgroupFile m_cpu_usage;    // cpuacct.usage (closed when no cpu_root)
  CgroupFile m_cpu_stat;     // cpu.stat (closed when absent)
  CgroupFile m_cfs_quota;    // cpu.cfs_quota_us (closed when absent: cpu.stat read every time)
  CgroupReadSchedule m_schedule;
  // What memory.stat, the peak and the OOM-kill counter said when last read.
  std::int64_t m_inactive_file = 0;
  std::int64_t m_rss = 0;
  std::int64_t m_cache = 0;
  std::optional<std::int64_t> m_peak;
  std::int64_t m_oom_kills = 0;
  // cpu.stat's throttling counters move only while a CFS quota is set, so
  // without one the last figures are reused and cpu.stat is not read (one
  // kernel read less per sample); the quota is re-read every
  // k_quota_recheck_reads readings, so `docker update --cpus` is seen.
  static constexpr int k_quota_recheck_reads = 30;
  int m_reads_until_quota_check = 0;
  bool m_quota_set = true;
  bool m_throttle_known = false;
  std::int64_t m_periods = 0;
  std::int64_t m_throttled_periods = 0;
  std::int64_t m_throttled_ns = 0;
};

}  // namespace stackfit
