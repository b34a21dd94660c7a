// Whether any task below a parent cgroup ran since the previous tick, from
// the parent's hierarchical CPU time (v1 cpuacct.usage, v2 cpu.stat
// usage_usec: both count every descendant): one kernel read answers for all
// the recorded children below it. While it stands still, none of the
// children's tasks ran, and each child's reader may reuse its previous
// reading whole (CgroupReader::read(TasksRan::none); the limits are
// CgroupReadSchedule's). On a stack of idle containers (Docker's cgroupfs
// driver puts them all below /docker, Podman's below machine.slice,
// Kubernetes' each pod's below the pod's cgroup) a tick then costs one read
// instead of one per container.
//
// A parent that moves at every check (busy children, or a parent holding
// other work, such as systemd's system.slice) is not read for a while: after
// k_moved_checks_before_pause moved checks in a row it rests for
// k_pause_ticks ticks, so it costs at most 8 reads in 72 ticks. A counter
// that cannot be read counts as moved.
// Used by record/recorder.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "stackfit/observe/cgroup_file.hpp"
#include "stackfit/observe/cgroup_reader.hpp"

namespace stackfit {

class ParentCpuGate {
 public:
  static constexpr int k_moved_checks_before_pause = 8;
  static constexpr int k_pause_ticks = 64;

  // Opens the CPU counter of the cgroup `parent_relative_path` ("/docker",
  // "/" for the root) under `mounts`: v1 cpuacct.usage under cpu_root, v2
  // cpu.stat under the unified root. Errors: unavailable on v1 without a
  // cpuacct mount; otherwise those of cgroup_dir_path, require_cgroup_dir
  // and CgroupFile::open.
  [[nodiscard]] static Expected<ParentCpuGate> open(const CgroupMounts& mounts, const std::string& parent_relative_path);

  // Once per tick, before the children are read. True when the parent's CPU
  // time equals what the previous tick's check read, so no task below the
  // parent ran between the two checks, and the readings the children took
  // after the previous check still hold. False at the first check, after a
  // tick without a check (a pause, or skip()), when it moved, when it reads
  // 0, and when it cannot be read (the baseline is dropped: the children
  // are read as usual).
  [[nodiscard]] bool check();
  // A tick without a check (too few children to be worth one): the next
  // check has no baseline.
  void skip() { m_last.reset(); }

 private:
  ParentCpuGate(CgroupFile counter, bool unified) : m_counter(std::move(counter)), m_unified(unified) {}
  [[nodiscard]] std::optional<std::int64_t> read_cpu_time() const;

  CgroupFile m_counter;
  bool m_unified = false;               // v2: the usage_usec line of cpu.stat
  std::optional<std::int64_t> m_last;   // the CPU time at the previous tick's check
  int m_moved_in_a_row = 0;
  int m_pause_left = 0;
};

// The gates of the parents of a set of cgroups, by parent path, each
// checked only while at least two of its children are recorded (with one,
// the check would cost as much as the read it spares).
class ParentCpuGates {
 public:
  explicit ParentCpuGates(CgroupMounts mounts) : m_mounts(std::move(mounts)) {}

  // One parent's gate and its children; what a Recorder keeps per child is
  // a pointer to it.
  struct Slot {
    std::optional<ParentCpuGate> gate;  // nullopt: the parent's counter could not be opened
    int children = 0;
    bool still = false;  // the last check_all()'s answer
    std::string path;
  };
  // Counts `child_relative_path` under its parent's gate. nullptr when the
  // child has no parent (the root). A parent whose counter cannot be opened
  // (v1 without cpuacct, say) gets a slot that never says TasksRan::none:
  // its children are always read as usual.
  [[nodiscard]] Slot* add(const std::string& child_relative_path);
  // Uncounts a child add() gave `slot` for (nullptr: nothing to do).
  void remove(Slot* slot);
  // Once per tick, before the children are read.
  void check_all();
  // What the last check_all() said of the slot's parent.
  [[nodiscard]] static TasksRan tasks_ran(const Slot* slot);

  ParentCpuGates(const ParentCpuGates&) = delete;
  ParentCpuGates& operator=(const ParentCpuGates&) = delete;

 private:
  CgroupMounts m_mounts;
  std::map<std::string, std::unique_ptr<Slot>> m_slots;  // by parent path
};

// The parent of a cgroup path as in /proc/<pid>/cgroup: "/docker" for
// "/docker/<id>", "/" for "/<name>", nullopt for "/" itself.
[[nodiscard]] std::optional<std::string> parent_cgroup_path(const std::string& relative_path);

}  // namespace stackfit
