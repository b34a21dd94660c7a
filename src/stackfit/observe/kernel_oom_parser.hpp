// Finds the OOM killer's kills in the kernel log, record by record. Pure: it
// sees message text and a time, never a file; observe/kernel_log_reader feeds
// it from /dev/kmsg, `journalctl -k` or `dmesg`.
//
// The shapes it reads (mm/oom_kill.c and mm/memcontrol.c of the kernels named;
// docs/doctor.md has one real line of each):
//   4.19+  "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=X,
//           mems_allowed=0,oom_memcg=/P,task_memcg=/P,task=COMM,pid=N,uid=U"
//          (dump_oom_summary / dump_oom_victim: mem_cgroup_print_oom_context
//          adds oom_memcg and task_memcg), then
//   5.x+   "Memory cgroup out of memory: Killed process N (COMM) total-vm:..kB,
//           anon-rss:..kB, file-rss:..kB, shmem-rss:..kB, UID:U pgtables:..kB oom_score_adj:S"
//          or "Out of memory: Killed process N (COMM) ..." for a machine-wide kill;
//   4.14-4.18  "oom-kill:constraint=...,nodemask=...,task=COMM,pid=N,uid=U" (no memcg);
//   < 4.19 "Task in /P killed as a result of limit of /Q" (mem_cgroup_print_oom_info),
//          "Memory cgroup out of memory: Kill process N (COMM) score S or sacrifice child",
//          then "Killed process N (COMM) total-vm:..kB, anon-rss:..kB, file-rss:..kB";
//   2.6/3.x (RHEL 6) "Killed process N, UID U, (COMM) total-vm:..kB, anon-rss:..kB, ...".
// A kill is complete at its "Killed process" line; a summary line whose
// "Killed process" never came (the log was cut) is kept as it is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stackfit/model/host_facts.hpp"

namespace stackfit {

// Bounds on what one record contributes, so a hostile log cannot grow memory:
// longer messages are cut before parsing, longer names are cut.
inline constexpr std::size_t k_max_kernel_message_bytes = 8192;
inline constexpr std::size_t k_max_oom_process_bytes = 64;
inline constexpr std::size_t k_max_oom_cgroup_bytes = 4096;
inline constexpr std::size_t k_max_oom_kills = 10000;  // the oldest beyond this are dropped

class KernelOomParser {
 public:
  // One record of the log in order. `time_unix_ms` is the record's time.
  void feed(std::int64_t time_unix_ms, std::string_view message);
  // The kills found so far, oldest first; call once after the last feed().
  [[nodiscard]] std::vector<OomKill> finish();

 private:
  void push(OomKill kill);
  bool on_summary(std::int64_t time_unix_ms, std::string_view message);
  bool on_killed(std::int64_t time_unix_ms, std::string_view message);

  std::string m_task_in_cgroup;       // "Task in X killed ..." of the kill in progress (old kernels)
  std::optional<OomKill> m_pending;   // an "oom-kill:" summary waiting for its "Killed process"
  std::vector<OomKill> m_kills;
  std::size_t m_dropped = 0;
};

}  // namespace stackfit
