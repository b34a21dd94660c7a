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

namespace {

// Millicores used between consecutive samples of each container.
std::vector<std::int64_t> cpu_rates(const std::vector<Sample>& samples, const std::vector<std::int64_t>& container_of) {
  std::map<std::int64_t, const Sample*> previous;
  std::vector<std::int64_t> rates;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    std::int64_t key = i < container_of.size() ? container_of[i] : 0;
    const Sample& s = samples[i];
    auto it = previous.find(key);
    if (it != previous.end()) {
      std::int64_t dt = s.time_ns - it->second->time_ns;
      std::int64_t dcpu = s.cpu_usage_ns - it->second->cpu_usage_ns;
      // A negative delta is a counter reset (container restarted): skip it.
      if (dt > 0 && dcpu >= 0) rates.push_back(dcpu * 1000 / dt);
    }
    previous[key] = &s;
  }
  return rates;
}

}  // namespace

UsageSummary summarize_usage(std::string project, std::string service, const std::vector<Sample>& samples,
                             const std::vector<std::int64_t>& container_of) {
  UsageSummary out;
  out.project = std::move(project);
  out.service = std::move(service);
  out.samples = static_cast<std::int64_t>(samples.size());
  if (samples.empty()) return out;
  out.first_ns = samples.front().time_ns;
  out.last_ns = samples.back().time_ns;
  std::vector<std::int64_t> ws;
  ws.reserve(samples.size());
  long double sum = 0;  // int64 could overflow over long histories
  for (const Sample& s : samples) {
    ws.push_back(s.working_set.count);
    sum += static_cast<long double>(s.working_set.count);
    out.peak_working_set = std::max(out.peak_working_set, s.working_set);
  }
  out.average_working_set = Bytes{static_cast<std::int64_t>(sum / static_cast<long double>(samples.size()))};
  out.p95_working_set = Bytes{nearest_rank_percentile(std::move(ws), 95)};
  std::vector<std::int64_t> rates = cpu_rates(samples, container_of);
  if (!rates.empty()) {
    out.cpu_peak = Millicores{*std::max_element(rates.begin(), rates.end())};
    out.cpu_p95 = Millicores{nearest_rank_percentile(std::move(rates), 95)};
  }
  return out;
}

}  // namespace stackfit
