#include "stackfit/analyze/workload_usage.hpp"

#include <algorithm>
#include <limits>

#include "stackfit/analyze/usage_summary.hpp"

namespace stackfit {

WorkloadUsageSink::Accumulator& WorkloadUsageSink::at(const WorkloadKey& key, std::string_view instance) {
  Accumulator& a = m_workloads[key];
  if (a.instances.find(instance) == a.instances.end()) a.instances.emplace(instance);
  return a;
}

void WorkloadUsageSink::memory(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Bytes ws) {
  Accumulator& a = at(key, instance);
  a.first_ns = a.memory.empty() ? t_ns : std::min(a.first_ns, t_ns);
  a.last_ns = std::max(a.last_ns, t_ns);
  a.memory.push_back(ws.count);
  a.memory_sum += static_cast<long double>(ws.count);
}

void WorkloadUsageSink::cpu(const WorkloadKey& key, std::string_view instance, std::int64_t, Millicores rate) {
  at(key, instance).cpu.push_back(rate.count);
}

void WorkloadUsageSink::oom_kill(const WorkloadKey& key, std::string_view instance, std::int64_t,
                                 std::int64_t kills) {
  std::int64_t& total = at(key, instance).oom_kills;
  if (__builtin_add_overflow(total, kills, &total)) total = std::numeric_limits<std::int64_t>::max();
}

void WorkloadUsageSink::start(const WorkloadKey& key, std::string_view instance, std::int64_t) {
  ++at(key, instance).starts;
}

void WorkloadUsageSink::memory_limit(const WorkloadKey& key, std::string_view instance, std::int64_t, Bytes limit) {
  Accumulator& a = at(key, instance);
  a.limit = a.limit ? std::max(*a.limit, limit) : limit;
}

std::vector<WorkloadUsage> WorkloadUsageSink::summaries() const {
  std::vector<WorkloadUsage> out;
  for (const auto& [key, a] : m_workloads) {
    WorkloadUsage u;
    u.key = key;
    u.instances = static_cast<std::int64_t>(a.instances.size());
    u.samples = static_cast<std::int64_t>(a.memory.size());
    u.first_ns = a.first_ns;
    u.last_ns = a.last_ns;
    if (!a.memory.empty()) {
      u.peak_working_set = Bytes{*std::max_element(a.memory.begin(), a.memory.end())};
      u.p95_working_set = Bytes{nearest_rank_percentile(a.memory, 95)};
      u.average_working_set = Bytes{static_cast<std::int64_t>(a.memory_sum / static_cast<long double>(a.memory.size()))};
    }
    u.cpu_samples = static_cast<std::int64_t>(a.cpu.size());
    if (!a.cpu.empty()) {
      u.cpu_peak = Millicores{*std::max_element(a.cpu.begin(), a.cpu.end())};
      u.cpu_p95 = Millicores{nearest_rank_percentile(a.cpu, 95)};
    }
    u.memory_limit = a.limit;
    u.oom_kills = a.oom_kills;
    u.starts = a.starts;
    out.push_back(std::move(u));
  }
  return out;
}

}  // namespace stackfit
