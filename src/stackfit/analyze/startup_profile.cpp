#include "stackfit/analyze/startup_profile.hpp"

#include <algorithm>
#include <map>

#include "stackfit/analyze/usage_summary.hpp"

namespace stackfit {
namespace {

// The readings of one container after one start, within the window.
struct Run {
  std::int64_t start_ns = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> readings;  // (time_ns, working set bytes)
};

constexpr std::int64_t k_ns_per_ms = 1'000'000;

// From the start to the first reading after the run's peak that is back
// within 10% of the way from `steady` to that peak.
std::int64_t settle_ms(const Run& run, std::int64_t steady, std::int64_t window_ms) {
  auto peak = std::max_element(run.readings.begin(), run.readings.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; });
  if (peak->second <= steady) return (peak->first - run.start_ns) / k_ns_per_ms;
  const std::int64_t threshold = steady + (peak->second - steady) / 10;
  for (auto it = peak; it != run.readings.end(); ++it) {
    if (it->second <= threshold) return (it->first - run.start_ns) / k_ns_per_ms;
  }
  return window_ms;
}

}  // namespace

std::optional<MeasuredStartup> measure_startup(const std::vector<Sample>& samples,
                                               const std::vector<std::int64_t>& container_of,
                                               const std::vector<ContainerStart>& starts, std::int64_t window_ms) {
  std::map<std::int64_t, std::vector<std::int64_t>> starts_of;
  for (const ContainerStart& s : starts) starts_of[s.container].push_back(s.time_ns);
  for (auto& [container, times] : starts_of) std::sort(times.begin(), times.end());

  const std::int64_t window_ns = window_ms * k_ns_per_ms;
  std::map<std::pair<std::int64_t, std::int64_t>, Run> runs;  // by (container, start time)
  std::vector<std::int64_t> outside;
  for (std::size_t i = 0; i < samples.size() && i < container_of.size(); ++i) {
    const Sample& s = samples[i];
    auto it = starts_of.find(container_of[i]);
    std::optional<std::int64_t> start;
    if (it != starts_of.end()) {
      auto after = std::upper_bound(it->second.begin(), it->second.end(), s.time_ns);
      if (after != it->second.begin()) start = *std::prev(after);
    }
    if (start && s.time_ns - *start <= window_ns) {
      Run& run = runs[{container_of[i], *start}];
      run.start_ns = *start;
      run.readings.emplace_back(s.time_ns, s.working_set.count);
    } else {
      outside.push_back(s.working_set.count);
    }
  }
  if (runs.empty()) return std::nullopt;

  MeasuredStartup out;
  out.starts = static_cast<std::int64_t>(runs.size());
  std::int64_t last_max = 0;
  for (const auto& [key, run] : runs) {
    for (const auto& r : run.readings) out.startup_peak.count = std::max(out.startup_peak.count, r.second);
    last_max = std::max(last_max, run.readings.back().second);
  }
  out.steady.count = outside.empty() ? last_max : nearest_rank_percentile(outside, 95.0);
  for (const auto& [key, run] : runs) {
    std::int64_t ms = settle_ms(run, out.steady.count, window_ms);
    out.settle_ms = std::max(out.settle_ms.value_or(0), ms);
  }
  return out;
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
