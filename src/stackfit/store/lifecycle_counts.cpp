#include "stackfit/store/lifecycle_counts.hpp"

#include <algorithm>

namespace stackfit {

void CounterIncrease::add(std::int64_t value) {
  if (m_previous) m_total += value >= *m_previous ? value - *m_previous : value;
  m_previous = value;
}

std::int64_t counter_increase(std::optional<std::int64_t> baseline, const std::vector<std::int64_t>& readings) {
  CounterIncrease counter;
  if (baseline) counter.set_baseline(*baseline);
  for (std::int64_t value : readings) counter.add(value);
  return counter.total();
}

LifecycleCounts count_lifecycle(const std::vector<EventKind>& kinds) {
  LifecycleCounts counts;
  bool died = false;
  for (EventKind kind : kinds) {
    switch (kind) {
      case EventKind::oom: ++counts.oom_events; break;
      case EventKind::restart: ++counts.restart_events; break;
      case EventKind::die: died = true; break;
      case EventKind::start:
        if (died) ++counts.die_then_start;
        died = false;
        break;
      case EventKind::destroy: died = false; break;
      case EventKind::healthy:
      case EventKind::unhealthy: break;
    }
  }
  return counts;
}

std::int64_t container_oom_kills(const LifecycleCounts& counts, std::int64_t counter_kills) {
  return std::max(counts.oom_events, counter_kills);
}

std::int64_t container_restarts(const LifecycleCounts& counts) {
  return std::max(counts.restart_events, counts.die_then_start);
}

}  // namespace stackfit
