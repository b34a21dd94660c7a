// The peers' memory-limit formulas as the backtest replays them
// (analyze/limit_strategy.hpp says what each one is and where it comes from).
#include <algorithm>
#include <cmath>
#include <deque>

#include "stackfit/analyze/decaying_histogram.hpp"
#include "stackfit/analyze/limit_strategy.hpp"
#include "stackfit/analyze/recommend_text.hpp"

namespace stackfit {
namespace {

constexpr std::int64_t k_ns_per_hour = 3600LL * 1'000'000'000;
constexpr std::int64_t k_ns_per_day = 24 * k_ns_per_hour;

// Rounded up to whole bytes, clamped as the recommender clamps sizes.
std::int64_t ceil_bytes(double v) { return recommend_detail::clamp_size(v); }

// KRR simple. The window's maximum comes from a monotonic deque: readings and
// recommendations arrive in time order, so each reading enters and leaves once.
class KrrSimple final : public LimitStrategy {
 public:
  void observe(std::int64_t t_ns, Bytes seen) override {
    while (!m_max.empty() && m_max.back().second <= seen.count) m_max.pop_back();
    m_max.emplace_back(t_ns, seen.count);
    m_times.push_back(t_ns);
  }
  void oom_kill(std::int64_t, Bytes) override {}  // simple.py reads no OOM data
  void limit_set(std::int64_t, std::optional<Bytes>) override {}
  std::optional<Bytes> recommend(std::int64_t t_ns) override {
    const std::int64_t from = t_ns - k_history_ns;
    while (!m_max.empty() && m_max.front().first < from) m_max.pop_front();
    while (!m_times.empty() && m_times.front() < from) m_times.pop_front();
    if (static_cast<std::int64_t>(m_times.size()) < k_points_required || m_max.empty()) return std::nullopt;
    return Bytes{ceil_bytes(static_cast<double>(m_max.front().second) * (1 + k_buffer))};
  }

 private:
  static constexpr std::int64_t k_history_ns = 336 * k_ns_per_hour;  // history_duration = 24 * 7 * 2 hours
  static constexpr std::int64_t k_points_required = 100;             // points_required = 100
  static constexpr double k_buffer = 0.15;                           // memory_buffer_percentage = 15
  std::deque<std::pair<std::int64_t, std::int64_t>> m_max;  // (t, reading), readings decreasing
  std::deque<std::int64_t> m_times;
};

// VPA's recommender for one container (model/container.go, aggregations,
// logic/recommender.go, logic/estimator.go).
class Vpa final : public LimitStrategy {
 public:
  void observe(std::int64_t t_ns, Bytes seen) override {
    if (m_samples == 0) m_first_ns = t_ns;
    m_last_ns = t_ns;
    ++m_samples;  // TotalSamplesCount (VPA counts CPU samples: one per reading here)
    add_peak(t_ns, static_cast<double>(seen.count), false);
  }
  void oom_kill(std::int64_t t_ns, Bytes) override {
    // RecordOOM: memoryUsed = max(request, the interval's usage peak);
    // memoryNeeded = max(used + OOMMinBumpUp, used x OOMBumpUpRatio).
    double used = std::max(m_request, m_interval_peak);
    double needed = std::max(used + k_oom_min_bump, used * k_oom_bump_ratio);
    add_peak(t_ns, needed, true);
  }
  void limit_set(std::int64_t, std::optional<Bytes>) override {}
  std::optional<Bytes> recommend(std::int64_t) override {
    if (m_peaks.empty()) return std::nullopt;
    MemoryHistogram h(vpa_shape());
    for (const Peak& p : m_peaks) h.add(p.bytes, 1.0, p.window_end_ns);
    // getConfidence: min(lifespan in days, samples / (60 * 24)).
    double days = static_cast<double>(m_last_ns - m_first_ns) / static_cast<double>(k_ns_per_day);
    double confidence = std::min(days, static_cast<double>(m_samples) / 1440.0);
    double target = std::max(h.percentile(0.90) * (1 + k_margin), k_min_memory);
    m_request = target;
    if (confidence <= 0) return std::nullopt;  // VPA: an infinite upper bound
    double upper = h.percentile(0.95) * (1 + k_margin) * (1 + 1 / confidence);
    return Bytes{ceil_bytes(std::max(upper, k_min_memory))};
  }

 private:
  struct Peak {
    std::int64_t window_end_ns;
    double bytes;
  };
  static HistogramShape vpa_shape() {  // model/aggregations_config.go
    return HistogramShape{1e7, 1.05, 1e12, 24 * k_ns_per_hour};
  }
  // addMemorySample: one peak per MemoryAggregationInterval (24 h), stamped
  // with the interval's end; a larger reading in the interval replaces it.
  void add_peak(std::int64_t t_ns, double bytes, bool oom) {
    if (m_peaks.empty() || t_ns >= m_window_end_ns) {
      std::int64_t from = m_peaks.empty() ? t_ns : m_window_end_ns;
      m_window_end_ns = from + (t_ns - from) / k_ns_per_day * k_ns_per_day + k_ns_per_day;
      m_interval_peak = 0;
      m_oom_peak = 0;
      m_peaks.push_back(Peak{m_window_end_ns, bytes});
    } else if (bytes > std::max(m_interval_peak, m_oom_peak)) {
      m_peaks.back().bytes = bytes;
    } else {
      return;
    }
    (oom ? m_oom_peak : m_interval_peak) = bytes;
  }
  static constexpr double k_margin = 0.15;                // recommendation-margin-fraction
  static constexpr double k_min_memory = 250.0 * k_mib;   // pod-recommendation-min-memory-mb (one container)
  static constexpr double k_oom_bump_ratio = 1.2;         // DefaultOOMBumpUpRatio
  static constexpr double k_oom_min_bump = 100.0 * k_mib; // DefaultOOMMinBumpUp
  std::vector<Peak> m_peaks;
  std::int64_t m_window_end_ns = 0;
  double m_interval_peak = 0;
  double m_oom_peak = 0;
  double m_request = 0;
  std::int64_t m_samples = 0;
  std::int64_t m_first_ns = 0;
  std::int64_t m_last_ns = 0;
};

}  // namespace

std::unique_ptr<LimitStrategy> make_krr_simple_strategy() { return std::make_unique<KrrSimple>(); }
std::unique_ptr<LimitStrategy> make_vpa_strategy() { return std::make_unique<Vpa>(); }

}  // namespace stackfit
