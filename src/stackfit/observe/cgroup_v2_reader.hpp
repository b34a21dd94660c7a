// The cgroup v2 (unified hierarchy) implementation of CgroupReader. Not
// thread-safe: one reader per thread.
#pragma once

#include <memory>
#include <string>

#include "stackfit/observe/cgroup_file.hpp"
#include "stackfit/observe/cgroup_read_schedule.hpp"
#include "stackfit/observe/cgroup_reader.hpp"

namespace stackfit {

class CgroupV2Reader final : public CgroupReader {
 public:
  // Opens the files of `relative_path` under mounts.memory_root (the unified
  // mount). memory.peak (kernel >= 5.19) and memory.pressure (PSI) are
  // optional. Errors: not_found "<dir>: no such cgroup"; bad_input "<dir>:
  // not a memory cgroup (no memory.current)" (the root cgroup, or a cgroup
  // whose parent does not enable the memory controller); io on permissions.
  [[nodiscard]] static Expected<std::unique_ptr<CgroupReader>> open(const CgroupMounts& mounts,
                                                                    const std::string& relative_path);

  // Reads cpu.stat every time; memory.current when its CPU time moved, and
  // memory.stat and memory.pressure, memory.peak and memory.events, when
  // CgroupReadSchedule says they may have moved (otherwise the figures of the last time they
  // were read). cpu_periods and cpu_throttled_* stay 0 when the cpu controller is not
  // enabled for the cgroup (cpu.stat then only has the usage lines). With
  // TasksRan::none, cpu.stat is not read: its figures are the previous
  // reading's.
  using CgroupReader::read;
  [[nodiscard]] Expected<Sample> read(TasksRan ran) override;
  [[nodiscard]] Expected<std::optional<Bytes>> memory_limit() override;
  void rely_on_oom_events() override { m_schedule.rely_on_oom_events(); }
  void oom_event() override { m_schedule.oom_event(); }

 private:
  CgroupV2Reader() = default;
  [[nodiscard]] Expected<void> open_files(const std::string& dir);
  [[nodiscard]] Expected<void> read_memory_stat(std::span<char> buffer);
  [[nodiscard]] Expected<void> read_cpu(std::span<char> buffer);
  [[nodiscard]] Expected<void> read_pressure(std::span<char> buffer);

  CgroupFile m_current;   // memory.current
  CgroupFile m_stat;      // memory.stat
  CgroupFile m_peak;      // memory.peak (optional)
  CgroupFile m_events;    // memory.events
  CgroupFile m_max;       // memory.max
  CgroupFile m_cpu_stat;  // cpu.stat
  CgroupFile m_pressure;  // memory.pressure (optional)
  CgroupReadSchedule m_schedule;
  // What memory.stat, memory.pressure, memory.peak and memory.events said
  // when last read.
  std::int64_t m_anon = 0;
  std::int64_t m_file = 0;
  std::int64_t m_inactive_file = 0;
  std::optional<double> m_pressure_some_avg10;
  std::optional<std::int64_t> m_peak_bytes;
  std::int64_t m_oom_kills = 0;
  // What cpu.stat said when last read.
  std::int64_t m_cpu_usage_ns = 0;
  std::int64_t m_periods = 0;
  std::int64_t m_throttled_periods = 0;
  std::int64_t m_throttled_ns = 0;
};

}  // namespace stackfit
