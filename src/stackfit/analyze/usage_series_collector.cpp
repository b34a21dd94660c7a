#include "stackfit/analyze/usage_series_collector.hpp"

#include <algorithm>

namespace stackfit {

std::string UsageSeriesCollector::series_id(const WorkloadKey& key) {
  if (key.kind == "service" && key.namespace_.empty() && key.container.empty()) return key.name;
  return key.namespace_ + "/" + key.kind + "/" + key.name + (key.container.empty() ? "" : "/" + key.container);
}

UsageSeriesCollector::Instance& UsageSeriesCollector::instance(const WorkloadKey& key, std::string_view name,
                                                               Workload*& workload) {
  workload = &m_workloads[key];
  auto it = workload->instances.find(name);
  if (it == workload->instances.end()) it = workload->instances.emplace(std::string(name), Instance{}).first;
  return it->second;
}

void UsageSeriesCollector::memory(const WorkloadKey& key, std::string_view name, std::int64_t t_ns, Bytes ws) {
  Workload* w = nullptr;
  Instance& inst = instance(key, name, w);
  w->points.push_back(UsagePoint{t_ns, ws.count, inst.limit_bytes, inst.kill_pending});
  inst.kill_pending = false;
  inst.last = w->points.size() - 1;
}

void UsageSeriesCollector::oom_kill(const WorkloadKey& key, std::string_view name, std::int64_t t_ns,
                                    std::int64_t) {
  Workload* w = nullptr;
  Instance& inst = instance(key, name, w);
  if (inst.last < w->points.size() && w->points[inst.last].t_ns <= t_ns) {
    w->points[inst.last].killed = true;
  } else {
    inst.kill_pending = true;
  }
}

void UsageSeriesCollector::memory_limit(const WorkloadKey& key, std::string_view name, std::int64_t, Bytes limit) {
  Workload* w = nullptr;
  instance(key, name, w).limit_bytes = limit.count > 0 ? limit.count : -1;
}

UsageSeriesSet UsageSeriesCollector::finish() {
  UsageSeriesSet set;
  for (auto& [key, w] : m_workloads) {
    std::stable_sort(w.points.begin(), w.points.end(),
                     [](const UsagePoint& a, const UsagePoint& b) { return a.t_ns < b.t_ns; });
    const std::size_t index = set.series_index(series_id(key));
    for (const UsagePoint& p : w.points) set.append(index, p);
  }
  m_workloads.clear();
  return set;
}

}  // namespace stackfit
