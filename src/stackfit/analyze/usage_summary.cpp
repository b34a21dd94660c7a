#include "stackfit/analyze/usage_summary.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace stackfit {

std::int64_t nearest_rank_percentile(std::vector<std::int64_t> values, double p) {
  if (values.empty()) return 0;
  std::size_t rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  rank = std::clamp<std::size_t>(rank, 1, values.size());
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(rank - 1), values.end());
  return values[rank - 1];
}

UsageSummaryBuilder::UsageSummaryBuilder() : m_working_set_p95(95), m_cpu_p95(95) {}

std::optional<std::int64_t> UsageSummaryBuilder::cpu_rate(const Sample& sample, std::int64_t container) {
  auto [it, first] = m_previous.try_emplace(container, sample);
  if (first) return std::nullopt;
  std::int64_t dt = sample.time_ns - it->second.time_ns;
  std::int64_t dcpu = sample.cpu_usage_ns - it->second.cpu_usage_ns;
  if (!m_second_pass) {
    if (auto t = throttling_increase(it->second, sample)) m_throttling += *t;
  }
  it->second = sample;
  // A negative delta is a counter reset (container restarted): skip it.
  if (dt > 0 && dcpu >= 0) return dcpu * 1000 / dt;
  return std::nullopt;
}

void UsageSummaryBuilder::add(const Sample& sample, std::int64_t container) {
  m_first_ns = m_samples == 0 ? sample.time_ns : std::min(m_first_ns, sample.time_ns);
  m_last_ns = m_samples == 0 ? sample.time_ns : std::max(m_last_ns, sample.time_ns);
  ++m_samples;
  m_peak = std::max(m_peak, sample.working_set);
  m_sum += static_cast<long double>(sample.working_set.count);
  m_working_set_p95.count(sample.working_set.count);
  if (auto rate = cpu_rate(sample, container)) {
    m_cpu_peak = std::max(m_cpu_peak.value_or(*rate), *rate);
    m_cpu_p95.count(*rate);
  }
}

void UsageSummaryBuilder::start_second_pass() {
  m_working_set_p95.start_second_pass();
  m_cpu_p95.start_second_pass();
  m_previous.clear();
  m_second_pass = true;
}

void UsageSummaryBuilder::add_again(const Sample& sample, std::int64_t container) {
  m_working_set_p95.collect(sample.working_set.count);
  if (auto rate = cpu_rate(sample, container)) m_cpu_p95.collect(*rate);
}

UsageSummary UsageSummaryBuilder::finish(std::string project, std::string service) const {
  UsageSummary out;
  out.project = std::move(project);
  out.service = std::move(service);
  out.samples = m_samples;
  if (m_samples == 0) return out;
  out.first_ns = m_first_ns;
  out.last_ns = m_last_ns;
  out.peak_working_set = m_peak;
  out.average_working_set = Bytes{static_cast<std::int64_t>(m_sum / static_cast<long double>(m_samples))};
  out.p95_working_set = Bytes{m_working_set_p95.result()};
  out.throttling = m_throttling;
  if (m_cpu_peak) {
    out.cpu_peak = Millicores{*m_cpu_peak};
    out.cpu_p95 = Millicores{m_cpu_p95.result()};
  }
  return out;
}

UsageSummary summarize_usage(std::string project, std::string service, const std::vector<Sample>& samples,
                             const std::vector<std::int64_t>& container_of) {
  auto container = [&](std::size_t i) { return i < container_of.size() ? container_of[i] : 0; };
  UsageSummaryBuilder builder;
  for (std::size_t i = 0; i < samples.size(); ++i) builder.add(samples[i], container(i));
  builder.start_second_pass();
  for (std::size_t i = 0; i < samples.size(); ++i) builder.add_again(samples[i], container(i));
  return builder.finish(std::move(project), std::move(service));
}

}  // namespace stackfit
