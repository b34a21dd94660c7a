#include "stackfit/analyze/usage_summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace stackfit {

std::int64_t nearest_rank_percentile(std::vector<std::int64_t> values, double p) {
  if (values.empty()) return 0;
  std::size_t rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  rank = std::clamp<std::size_t>(rank, 1, values.size());
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(rank - 1), values.end());
  return values[rank - 1];
}

UsageSummaryBuilder::Workload& UsageSummaryBuilder::at(const WorkloadKey& key, std::string_view instance) {
  auto it = m_workloads.find(key);
  if (it == m_workloads.end()) it = m_workloads.try_emplace(key).first;
  Workload& w = it->second;
  if (w.instances.find(instance) == w.instances.end()) w.instances.emplace(instance);
  return w;
}

UsageSummaryBuilder::Workload* UsageSummaryBuilder::again(const WorkloadKey& key) {
  auto it = m_workloads.find(key);
  return it == m_workloads.end() ? nullptr : &it->second;
}

void UsageSummaryBuilder::memory(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns,
                                 Bytes working_set) {
  if (m_second_pass) {
    if (Workload* w = again(key)) w->working_set.collect(working_set.count);
    return;
  }
  Workload& w = at(key, instance);
  w.first_ns = w.samples == 0 ? t_ns : std::min(w.first_ns, t_ns);
  w.last_ns = w.samples == 0 ? t_ns : std::max(w.last_ns, t_ns);
  w.peak = w.samples == 0 ? working_set : std::max(w.peak, working_set);
  ++w.samples;
  w.sum += static_cast<long double>(working_set.count);
  w.working_set.count(working_set.count);
}

void UsageSummaryBuilder::cpu(const WorkloadKey& key, std::string_view instance, std::int64_t, Millicores rate) {
  if (m_second_pass) {
    if (Workload* w = again(key)) w->cpu.collect(rate.count);
    return;
  }
  Workload& w = at(key, instance);
  w.cpu_peak = w.cpu_samples == 0 ? rate.count : std::max(w.cpu_peak, rate.count);
  ++w.cpu_samples;
  w.cpu.count(rate.count);
}

void UsageSummaryBuilder::oom_kill(const WorkloadKey& key, std::string_view instance, std::int64_t,
                                   std::int64_t kills) {
  if (m_second_pass) return;
  std::int64_t& total = at(key, instance).oom_kills;
  if (__builtin_add_overflow(total, kills, &total)) total = std::numeric_limits<std::int64_t>::max();
}

void UsageSummaryBuilder::start(const WorkloadKey& key, std::string_view instance, std::int64_t) {
  if (!m_second_pass) ++at(key, instance).starts;
}

void UsageSummaryBuilder::memory_limit(const WorkloadKey& key, std::string_view instance, std::int64_t,
                                       Bytes limit) {
  if (m_second_pass) return;
  Workload& w = at(key, instance);
  w.memory_limit = w.memory_limit ? std::max(*w.memory_limit, limit) : limit;
}

void UsageSummaryBuilder::cpu_throttling(const WorkloadKey& key, std::string_view instance, std::int64_t,
                                         const CpuThrottling& throttling) {
  if (!m_second_pass) at(key, instance).throttling += throttling;
}

void UsageSummaryBuilder::start_second_pass() {
  if (m_second_pass) return;
  m_second_pass = true;
  for (auto& [key, w] : m_workloads) {
    w.working_set.start_second_pass();
    w.cpu.start_second_pass();
  }
}

UsageSummary UsageSummaryBuilder::summarize(const WorkloadKey& key, const Workload& w) {
  UsageSummary u;
  u.key = key;
  u.instances = static_cast<std::int64_t>(w.instances.size());
  u.samples = w.samples;
  u.first_ns = w.first_ns;
  u.last_ns = w.last_ns;
  if (w.samples > 0) {
    u.peak_working_set = w.peak;
    u.p95_working_set = Bytes{w.working_set.result()};
    u.average_working_set = Bytes{static_cast<std::int64_t>(w.sum / static_cast<long double>(w.samples))};
  }
  u.cpu_samples = w.cpu_samples;
  if (w.cpu_samples > 0) {
    u.cpu_peak = Millicores{w.cpu_peak};
    u.cpu_p95 = Millicores{w.cpu.result()};
  }
  u.memory_limit = w.memory_limit;
  u.throttling = w.throttling;
  u.oom_kills = w.oom_kills;
  u.starts = w.starts;
  return u;
}

std::vector<UsageSummary> UsageSummaryBuilder::summaries() const {
  std::vector<UsageSummary> out;
  out.reserve(m_workloads.size());
  for (const auto& [key, w] : m_workloads) out.push_back(summarize(key, w));
  return out;
}

UsageSummary UsageSummaryBuilder::summary(const WorkloadKey& key) const {
  auto it = m_workloads.find(key);
  if (it != m_workloads.end()) return summarize(key, it->second);
  UsageSummary u;
  u.key = key;
  return u;
}

void SampleUsageFeed::start_second_pass() {
  m_previous.clear();
  m_builder->start_second_pass();
}

void SampleUsageFeed::feed(const Sample& sample, std::int64_t container) {
  const std::string instance = std::to_string(container);
  m_builder->memory(m_key, instance, sample.time_ns, sample.working_set);
  auto [it, first] = m_previous.try_emplace(container, sample);
  if (first) return;
  const Sample& before = it->second;
  if (auto rate = cpu_rate_between(before.time_ns, before.cpu_usage_ns, sample.time_ns, sample.cpu_usage_ns)) {
    m_builder->cpu(m_key, instance, sample.time_ns, *rate);
  }
  if (auto t = throttling_increase(before, sample)) m_builder->cpu_throttling(m_key, instance, sample.time_ns, *t);
  it->second = sample;
}

UsageSummary summarize_usage(const WorkloadKey& key, const std::vector<Sample>& samples,
                             const std::vector<std::int64_t>& container_of) {
  auto container = [&](std::size_t i) { return i < container_of.size() ? container_of[i] : 0; };
  UsageSummaryBuilder builder;
  SampleUsageFeed feed(builder, key);
  for (std::size_t i = 0; i < samples.size(); ++i) feed.add(samples[i], container(i));
  feed.start_second_pass();
  for (std::size_t i = 0; i < samples.size(); ++i) feed.add_again(samples[i], container(i));
  return builder.summary(key);
}

}  // namespace stackfit
