#include "stackfit/analyze/startup_profile.hpp"

#include <algorithm>
#include <map>

#include "stackfit/analyze/usage_summary.hpp"

namespace stackfit {
namespace {

constexpr std::int64_t k_ns_per_ms = 1'000'000;

// From the start to the first reading after the run's peak that is back
// within 10% of the way from `steady` to that peak.
std::int64_t settle_ms(std::int64_t start_ns, const std::vector<std::pair<std::int64_t, std::int64_t>>& readings,
                       std::int64_t steady, std::int64_t window_ms) {
  auto peak = std::max_element(readings.begin(), readings.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; });
  if (peak->second <= steady) return (peak->first - start_ns) / k_ns_per_ms;
  const std::int64_t threshold = steady + (peak->second - steady) / 10;
  for (auto it = peak; it != readings.end(); ++it) {
    if (it->second <= threshold) return (it->first - start_ns) / k_ns_per_ms;
  }
  return window_ms;
}

}  // namespace

ContainerStartIndex::ContainerStartIndex(const std::vector<ContainerStart>& starts) {
  for (const ContainerStart& s : starts) m_starts[s.container].push_back(s.time_ns);
  for (auto& [container, times] : m_starts) std::sort(times.begin(), times.end());
}

std::optional<std::int64_t> ContainerStartIndex::latest_at(std::int64_t container, std::int64_t t_ns) const {
  auto it = m_starts.find(container);
  if (it == m_starts.end()) return std::nullopt;
  auto after = std::upper_bound(it->second.begin(), it->second.end(), t_ns);
  if (after == it->second.begin()) return std::nullopt;
  return *std::prev(after);
}

StartupProfileBuilder::StartupProfileBuilder(const ContainerStartIndex& index, std::int64_t window_ms)
    : m_index(&index), m_window_ms(window_ms), m_steady(95.0) {}

std::optional<std::int64_t> StartupProfileBuilder::window_start(const Sample& sample, std::int64_t container) const {
  std::optional<std::int64_t> start = m_index->latest_at(container, sample.time_ns);
  if (start && sample.time_ns - *start <= m_window_ms * k_ns_per_ms) return start;
  return std::nullopt;
}

void StartupProfileBuilder::add(const Sample& sample, std::int64_t container) {
  if (auto start = window_start(sample, container)) {
    Run& run = m_runs[{container, *start}];
    run.start_ns = *start;
    run.readings.emplace_back(sample.time_ns, sample.working_set.count);
  } else {
    m_steady.count(sample.working_set.count);
  }
}

void StartupProfileBuilder::start_second_pass() { m_steady.start_second_pass(); }

void StartupProfileBuilder::add_again(const Sample& sample, std::int64_t container) {
  if (!window_start(sample, container)) m_steady.collect(sample.working_set.count);
}

std::optional<MeasuredStartup> StartupProfileBuilder::finish() const {
  if (m_runs.empty()) return std::nullopt;
  MeasuredStartup out;
  out.starts = static_cast<std::int64_t>(m_runs.size());
  std::int64_t last_max = 0;
  for (const auto& [key, run] : m_runs) {
    for (const auto& r : run.readings) out.startup_peak.count = std::max(out.startup_peak.count, r.second);
    last_max = std::max(last_max, run.readings.back().second);
  }
  out.steady.count = m_steady.size() == 0 ? last_max : m_steady.result();
  for (const auto& [key, run] : m_runs) {
    std::int64_t ms = settle_ms(run.start_ns, run.readings, out.steady.count, m_window_ms);
    out.settle_ms = std::max(out.settle_ms.value_or(0), ms);
  }
  return out;
}

std::optional<MeasuredStartup> measure_startup(const std::vector<Sample>& samples,
                                               const std::vector<std::int64_t>& container_of,
                                               const std::vector<ContainerStart>& starts, std::int64_t window_ms) {
  ContainerStartIndex index(starts);
  StartupProfileBuilder builder(index, window_ms);
  const std::size_t n = std::min(samples.size(), container_of.size());
  for (std::size_t i = 0; i < n; ++i) builder.add(samples[i], container_of[i]);
  builder.start_second_pass();
  for (std::size_t i = 0; i < n; ++i) builder.add_again(samples[i], container_of[i]);
  return builder.finish();
}

std::optional<MeasuredHealthy> measure_time_to_healthy(const std::vector<std::int64_t>& containers,
                                                       const std::vector<ContainerStart>& starts,
                                                       const std::vector<HealthEvent>& health) {
  std::map<std::int64_t, std::vector<std::int64_t>> starts_of;
  std::map<std::int64_t, std::vector<std::int64_t>> healthy_of;
  for (std::int64_t c : containers) {
    starts_of[c];
    healthy_of[c];
  }
  for (const ContainerStart& s : starts) {
    if (auto it = starts_of.find(s.container); it != starts_of.end()) it->second.push_back(s.time_ns);
  }
  for (const HealthEvent& h : health) {
    if (!h.healthy) continue;
    if (auto it = healthy_of.find(h.container); it != healthy_of.end()) it->second.push_back(h.time_ns);
  }
  std::vector<std::int64_t> waits_ms;
  MeasuredHealthy out;
  for (auto& [container, times] : starts_of) {
    std::sort(times.begin(), times.end());
    std::vector<std::int64_t>& healthy = healthy_of[container];
    std::sort(healthy.begin(), healthy.end());
    for (std::size_t i = 0; i < times.size(); ++i) {
      auto first = std::lower_bound(healthy.begin(), healthy.end(), times[i]);
      bool before_next = first != healthy.end() && (i + 1 == times.size() || *first < times[i + 1]);
      if (!before_next) {
        ++out.never_healthy;
        continue;
      }
      waits_ms.push_back((*first - times[i]) / k_ns_per_ms);
    }
  }
  if (waits_ms.empty()) return std::nullopt;
  std::sort(waits_ms.begin(), waits_ms.end());
  out.starts = static_cast<std::int64_t>(waits_ms.size());
  out.max_ms = waits_ms.back();
  out.median_ms = waits_ms[(waits_ms.size() - 1) / 2];
  return out;
}

}  // namespace stackfit
