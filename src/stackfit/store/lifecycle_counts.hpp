// How the store turns one container's readings and events into OOM-kill and
// restart counts. Two sources see the same happenings, so each count is the
// larger of the two per container, never their sum (docs/store-schema.md):
//  - OOM kills: `oom` events vs increases of the cgroup's oom_kill counter.
//    The counter misses a kill when the cgroup is recreated before the next
//    reading; the engine misses events while it restarts or is not watched.
//  - Restarts: `restart` events vs a `die` followed by a `start`. Docker's
//    `docker restart` emits die, start and restart for one restart; a
//    restart policy emits only die and start.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "stackfit/model/sample.hpp"

namespace stackfit {

// Sum of the increases of a cumulative counter over readings in time order.
// A drop is a reset (the container's cgroup was recreated) and counts the
// new value, as Prometheus increase() does. `baseline` is the last reading
// before the first one, when known; without it the first reading only sets
// the starting point (kills before the window are not counted).
[[nodiscard]] std::int64_t counter_increase(std::optional<std::int64_t> baseline,
                                            const std::vector<std::int64_t>& readings);

// The same rule fed one reading at a time (load_series streams readings).
class CounterIncrease {
 public:
  // A reading from before the window: only moves the starting point.
  void set_baseline(std::int64_t value) { m_previous = value; }
  // A reading inside the window, in time order.
  void add(std::int64_t value);
  [[nodiscard]] std::int64_t total() const { return m_total; }

 private:
  std::optional<std::int64_t> m_previous;
  std::int64_t m_total = 0;
};

struct LifecycleCounts {
  std::int64_t oom_events = 0;
  std::int64_t restart_events = 0;
  std::int64_t die_then_start = 0;  // a die followed (later) by a start
};

// Counts events of one container given in time order.
[[nodiscard]] LifecycleCounts count_lifecycle(const std::vector<EventKind>& kinds);

// The rules above, for one container.
[[nodiscard]] std::int64_t container_oom_kills(const LifecycleCounts& counts, std::int64_t counter_kills);
[[nodiscard]] std::int64_t container_restarts(const LifecycleCounts& counts);

}  // namespace stackfit
