// Reads memory and CPU figures of one cgroup straight from its files. One
// interface, two implementations (cgroup v1 and v2) in cgroup_v1_reader.cpp
// and cgroup_v2_reader.cpp. Files are opened once and re-read with pread, so
// a reading costs a few syscalls and no allocation of paths.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "stackfit/model/sample.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

enum class CgroupVersion { v1, v2 };

// Where the cgroup hierarchies are mounted. For v1: the memory and cpuacct
// controller mounts (e.g. /sys/fs/cgroup/memory, /sys/fs/cgroup/cpuacct);
// for v2: the unified mount (e.g. /sys/fs/cgroup). Tests point these at
// fixture trees.
struct CgroupMounts {
  CgroupVersion version = CgroupVersion::v1;
  std::string memory_root;   // v1 memory controller, or the v2 unified root
  std::string cpu_root;      // v1 cpuacct (and cpu) controller; unused for v2
  // v1 cpu controller (cpu.stat: throttling). The same folder as cpu_root when
  // mounted as "cpu,cpuacct"; a separate mount on some hosts (these machines).
  // Empty: throttling figures are not read (they stay 0). Unused for v2.
  std::string cpu_stat_root;
};

// Detects the host's layout from the files under `sys_fs_cgroup` (normally
// "/sys/fs/cgroup"): v2 when <root>/cgroup.controllers exists (error
// unavailable "<root>: cgroup v2 without the memory controller" when it does
// not list memory); else v1 when <root>/memory/memory.usage_in_bytes exists,
// cpu_root the first of cpuacct, cpu,cpuacct, cpuacct,cpu holding
// cpuacct.usage and cpu_stat_root the first of cpu, cpu,cpuacct, cpuacct,cpu
// holding cpu.stat ("" when none); else v2 on a hybrid host's <root>/unified
// when it lists memory. Otherwise error unavailable "<root>: no cgroup memory
// controller (...)".
[[nodiscard]] Expected<CgroupMounts> detect_cgroup_mounts(const std::string& sys_fs_cgroup = "/sys/fs/cgroup");

// What the caller of a reading knows about the cgroup's tasks since its
// previous reading. `none`: none of them ran (its parent's hierarchical CPU
// time stood still, observe/parent_cpu_gate.hpp), so the reading takes the
// previous CPU time and throttling figures instead of reading them, and
// CgroupReadSchedule decides the rest as for an unmoved CPU time.
enum class TasksRan { maybe, none };

class CgroupReader {
 public:
  virtual ~CgroupReader() = default;
  // One reading, time_ns set by the caller. Error unavailable with
  // "<path>: cgroup vanished" when the cgroup was removed since open.
  [[nodiscard]] virtual Expected<Sample> read(TasksRan ran) = 0;
  [[nodiscard]] Expected<Sample> read() { return read(TasksRan::maybe); }
  // The memory limit of the cgroup now (nullopt when unlimited).
  [[nodiscard]] virtual Expected<std::optional<Bytes>> memory_limit() = 0;
  // How often the OOM-kill counter is read: see
  // CgroupReadSchedule::rely_on_oom_events and oom_event.
  virtual void rely_on_oom_events() = 0;
  virtual void oom_event() = 0;
};

// Opens the cgroup at `relative_path` (as printed in /proc/<pid>/cgroup, e.g.
// "/docker/<id>" or "/system.slice/docker-<id>.scope") under `mounts`.
[[nodiscard]] Expected<std::unique_ptr<CgroupReader>> open_cgroup(const CgroupMounts& mounts,
                                                                  const std::string& relative_path);

// The memory cgroup path of a process, from the text of /proc/<pid>/cgroup
// (v1: the line of the "memory" controller; v2: the "0::" line).
[[nodiscard]] Expected<std::string> parse_proc_cgroup(const std::string& proc_cgroup_text, CgroupVersion version);

// Child cgroups of `relative_path` (one level), for --cgroup PARENT.
[[nodiscard]] Expected<std::vector<std::string>> list_child_cgroups(const CgroupMounts& mounts,
                                                                    const std::string& relative_path);

}  // namespace stackfit
