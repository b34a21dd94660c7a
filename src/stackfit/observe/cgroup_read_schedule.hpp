// Which of a cgroup's files one reading needs. CPU time is read every time
// (unless the caller knows no task ran: last_cpu_ns()); memory usage
// only when the CPU time moved; memory.stat (the kernel formats
// 40-odd lines per read) and the OOM-kill counter only when one of those two
// moved since the previous reading, and the peak only after an OOM kill; all
// of them at least every k_refresh_readings readings. Shared by the v1 and v2
// readers. On an idle cgroup a reading is one kernel read, or none.
//
// Why it is sound (docs/store-schema.md, "What a reading reads"):
// - Memory is charged to a cgroup only by its own tasks (a page fault, a
//   read into the page cache, a kernel allocation), and a task that runs
//   moves the cgroup's CPU time. With the CPU time unmoved, usage can only
//   have fallen (reclaim from outside, the kernel's per-CPU charge stock
//   given back): the reused figure errs high, for at most k_refresh_readings
//   readings. If a reading ever finds usage risen while the CPU time stood
//   still (a v1 --cgroup whose tasks are in the memory hierarchy only, say),
//   the CPU time is not this cgroup's and usage is read every time from then
//   on; so it is while the CPU time reads 0 (nothing ever ran there).
// - memory.stat's figures (inactive_file, anon/rss, file/cache, and PSI on
//   v2) move only while the cgroup's tasks run or its usage changes; with
//   neither, only the kernel's own LRU aging can move pages to the inactive
//   list, which lowers the working set: the reused figure errs high, for at
//   most k_refresh_readings readings.
// - An OOM kill needs either an allocation by a task of the cgroup (a limit
//   hit: its CPU time moves) or, for the host's OOM killer, frees the
//   victim's memory (its usage moves). With an engine, whose `oom` event
//   announces every limit hit that kills, the counter waits for that event
//   or a drop in usage (rely_on_oom_events).
// - A refresh re-reads the OOM counter and the peak only when the CPU time
//   moved since the last refresh that read them (as for usage above).
// - The peak (max_usage_in_bytes / memory.peak) is a high-water mark: read
//   later it still holds every spike. Between its readings a reading's peak
//   is max(last peak read, usage now), a lower bound that catches up within
//   k_refresh_readings readings, or at once when the OOM-kill counter moved
//   (the usage then reached the limit).
// - A reading need not read the CPU time itself when the caller knows that
//   no task of the cgroup ran since the previous reading: its parent's
//   hierarchical CPU time stood still (observe/parent_cpu_gate.hpp). It
//   takes last_cpu_ns() instead, and the rest goes as above for an unmoved
//   CPU time: on an idle cgroup, no kernel read until the refresh.
#pragma once

#include <cstdint>
#include <optional>

namespace stackfit {

class CgroupReadSchedule {
 public:
  // At most this many readings reuse memory.stat, the peak and the OOM-kill
  // counter: with --interval 1s, they are at most 10 s old.
  static constexpr int k_refresh_readings = 10;

  struct Need {
    bool stat = true;  // memory.stat (and memory.pressure on v2)
    bool oom = true;   // the OOM-kill counter
    bool peak = true;  // the peak (the reader also reads it when the OOM counter moved)
  };

  // Whether this reading must read memory usage, given the CPU time it just
  // read (std::nullopt: the cgroup has no CPU time to go by). When it need
  // not, next() takes last_usage().
  [[nodiscard]] bool usage_needed(std::optional<std::int64_t> cpu_ns) const {
    if (!m_has_previous || !cpu_ns || !m_cpu_gate || *cpu_ns == 0) return true;
    return *cpu_ns != m_cpu_ns || m_oom_event_pending || m_since_refresh + 1 >= k_refresh_readings;
  }
  [[nodiscard]] std::int64_t last_usage() const { return m_usage; }

  // The CPU time the previous reading saw (0 before the first reading or
  // without one): what a reading takes when it knows no task ran since.
  [[nodiscard]] bool has_previous() const { return m_has_previous; }
  [[nodiscard]] std::int64_t last_cpu_ns() const { return m_cpu_ns; }

  // Given this reading's usage (bytes; read, or last_usage()) and CPU time
  // (ns, 0 when not read), which other files it must read. The first reading
  // reads everything.
  [[nodiscard]] Need next(std::int64_t usage, std::int64_t cpu_ns) {
    bool first = !m_has_previous;
    bool moved = first || usage != m_usage || cpu_ns != m_cpu_ns;
    bool dropped = !first && usage < m_usage;
    // Usage rose while the CPU time stood still: that CPU time is not this
    // cgroup's tasks', so it cannot tell when usage may have moved.
    if (!first && usage > m_usage && cpu_ns == m_cpu_ns) m_cpu_gate = false;
    m_has_previous = true;
    m_usage = usage;
    m_cpu_ns = cpu_ns;
    bool refresh = first || ++m_since_refresh >= k_refresh_readings;
    if (refresh) m_since_refresh = 0;
    // The refresh re-reads the OOM counter and the peak only if a task ran
    // since the last refresh that read them: neither can move otherwise (a
    // kill's victim runs to exit, a new peak is a charge).
    bool idle_since = !first && m_cpu_gate && cpu_ns != 0 && cpu_ns == m_cpu_at_counters_refresh;
    bool counters_refresh = refresh && !idle_since;
    if (counters_refresh) m_cpu_at_counters_refresh = cpu_ns;
    bool oom = counters_refresh || (m_oom_events ? dropped || m_oom_event_pending : moved);
    m_oom_event_pending = false;
    return Need{moved || refresh, oom, counters_refresh};
  }

  // From now on an OOM kill is also announced by an event (the engine's
  // `oom`, passed on by oom_event()): the counter is then read after an
  // event, after a usage drop (the host's OOM killer, which the engine does
  // not announce, frees the victim's memory) and at each refresh, instead
  // of at every reading whose usage or CPU time moved.
  void rely_on_oom_events() { m_oom_events = true; }
  // An OOM event came for this cgroup: the next reading reads the counter.
  void oom_event() { m_oom_event_pending = true; }

 private:
  bool m_has_previous = false;
  bool m_cpu_gate = true;  // usage_needed() may go by the CPU time
  std::int64_t m_cpu_at_counters_refresh = 0;  // CPU time at the last refresh that read the OOM counter and peak
  std::int64_t m_usage = 0;
  std::int64_t m_cpu_ns = 0;
  int m_since_refresh = 0;
  bool m_oom_events = false;
  bool m_oom_event_pending = false;
};

}  // namespace stackfit
