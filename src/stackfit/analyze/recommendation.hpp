// The recommendation core: a UsageSink that folds usage history into small,
// fixed-size state per workload (decaying histograms, exact maxima, an online
// least-squares trend, OOM and restart counts) and turns it into memory/CPU
// requests and limits with a confidence and plain-language reasons.
// Strategies, formulas and defaults: docs/recommend.md. Only computes; emit/
// presents. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "stackfit/analyze/adaptive_limit.hpp"
#include "stackfit/analyze/cpu_throttle_advice.hpp"
#include "stackfit/analyze/decaying_histogram.hpp"
#include "stackfit/model/usage_sink.hpp"
#include "stackfit/model/resource_target.hpp"
#include "stackfit/model/resources.hpp"
#include "stackfit/model/runtime_hints.hpp"

namespace stackfit {

enum class Strategy { adaptive, peak, percentile };
enum class Profile { prod, dev };
[[nodiscard]] const char* to_string(Strategy s);
[[nodiscard]] const char* to_string(Profile p);
// "adaptive" | "peak" | "percentile", "prod" | "dev"; anything else: usage error.
[[nodiscard]] Expected<Strategy> parse_strategy(std::string_view text);
[[nodiscard]] Expected<Profile> parse_profile(std::string_view text);

// Every default is documented (with its KRR / VPA origin) in docs/recommend.md.
struct RecommendOptions {
  Strategy strategy = Strategy::adaptive;
  Profile profile = Profile::prod;
  double margin = 0.15;              // KRR simple memory_buffer_percentage 15; VPA safety margin 0.15
  double cpu_percentile = 0.95;      // peak: KRR simple cpu_percentile 95
  std::int64_t points_required = 100;  // KRR simple points_required
  // percentile (VPA recommender.go defaults)
  double target_percentile = 0.90;
  double lower_percentile = 0.50;
  double upper_percentile = 0.95;
  std::int64_t startup_window_ns = 300LL * 1'000'000'000;  // first 5 minutes after each start
  Bytes min_memory{6 * k_mib};        // Docker refuses limits below 6 MiB
  Bytes memory_step{4 * k_mib};       // round memory up to this
  Millicores min_cpu{10};
  Millicores cpu_step{10};            // round CPU up to this
  double oom_bump_ratio = 1.2;        // VPA DefaultOOMBumpUpRatio
  Bytes oom_min_bump{100 * k_mib};    // VPA DefaultOOMMinBumpUp (100 MiB)
  // Trend: flagged when R^2 >= this and the fitted rise over the steady
  // history is at least trend_min_rise of the mean working set.
  double trend_min_r2 = 0.5;
  double trend_min_rise = 0.10;
  std::int64_t trend_min_history_ns = 3600LL * 1'000'000'000;
  // adaptive (analyze/adaptive_limit.hpp); its default-model margin is `margin`.
  AdaptiveOptions adaptive;
  // A CPU limit in force is raised when throttled in more than this share
  // of CFS periods (analyze/cpu_throttle_advice.hpp; --cpu-throttle-target).
  double cpu_throttle_target = 0.05;
};

// oom_only: too few samples for a strategy, but OOM-killed in the window: the
// limit is the OOM bump alone (never "nothing" after a kill).
enum class RecommendationStatus { ok, not_enough_data, trend, oom_only };
[[nodiscard]] const char* to_string(RecommendationStatus s);

// What the caller knows about the workload beyond its history.
struct WorkloadContext {
  Resources declared;            // from the stack; empty when not in it
  RuntimeHints hints;            // recognised runtime, for knobs
  std::optional<Strategy> strategy;  // per-service override of options.strategy
};

struct Recommendation {
  WorkloadKey key;
  RecommendationStatus status = RecommendationStatus::not_enough_data;
  Strategy strategy = Strategy::adaptive;
  std::int64_t samples = 0;          // memory points
  std::int64_t cpu_samples = 0;
  std::int64_t first_ns = 0;
  std::int64_t last_ns = 0;
  std::int64_t history_ns = 0;
  double confidence = 0;             // 0..1
  Resources recommended;             // empty fields: nothing recommended
  Resources declared;
  // What history says (empty when never seen).
  std::optional<Bytes> peak;
  std::optional<Bytes> p95;          // steady state, from the histogram
  std::optional<Bytes> startup_peak;
  std::optional<Bytes> steady_peak;
  std::optional<double> trend_bytes_per_hour;  // set when flagged
  std::optional<Millicores> cpu_p95;
  std::optional<Millicores> cpu_peak;
  std::optional<Bytes> limit_seen;   // largest memory limit reported by the source
  std::int64_t oom_kills = 0;
  std::int64_t restarts = 0;
  std::vector<RuntimeKnobValue> knobs;
  std::vector<std::string> reasons;
  std::optional<AdaptiveChoice> adaptive;  // adaptive: the model that set the limit
  CpuLimitAdvice cpu_limit_advice;   // throttling figures and what became of the CPU limit
};

// Per-instance (container / pod) state: when it last started, its limit.
struct InstanceState {
  std::int64_t start_ns = 0;
  bool started = false;
  std::optional<Bytes> limit;
  Bytes peak;  // largest working set since start_ns
};

// Everything kept about one workload, however long the history: fixed size
// plus one small InstanceState per instance (see state_bytes()).
struct WorkloadState {
  MemoryHistogram memory{memory_histogram_shape()};  // steady-state working set
  HourlyEnvelope hours;                              // adaptive's hourly summaries (last 28 days)
  CpuHistogram cpu{cpu_histogram_shape()};           // steady-state CPU
  std::int64_t samples = 0;
  std::int64_t steady_samples = 0;
  std::int64_t cpu_samples = 0;
  std::int64_t first_ns = 0;
  std::int64_t last_ns = 0;
  Bytes peak;
  Bytes startup_peak;
  Bytes steady_peak;
  Millicores cpu_peak;
  std::optional<Bytes> limit_seen;
  std::int64_t oom_kills = 0;
  std::optional<Bytes> oom_limit;    // largest limit in force at an OOM kill
  Bytes oom_usage;                   // largest working set seen by a killed instance
  std::int64_t restarts = 0;  // start() of an instance that had started before
  std::int64_t trend_origin_ns = 0;
  // Least squares of steady working set (MiB) over time (hours since first_ns).
  double n = 0, sum_t = 0, sum_y = 0, sum_tt = 0, sum_ty = 0, sum_yy = 0;
  std::vector<std::pair<std::string, InstanceState>> instances;
  CpuThrottleHistory throttle;

  // Bytes this state occupies, heap included.
  [[nodiscard]] std::size_t state_bytes() const;
};

class Recommender final : public UsageSink {
 public:
  explicit Recommender(RecommendOptions options);
  Recommender(const Recommender&) = delete;
  Recommender& operator=(const Recommender&) = delete;
  ~Recommender() override;

  void memory(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Bytes working_set) override;
  void cpu(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Millicores rate) override;
  void oom_kill(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns) override;
  void start(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns) override;
  void memory_limit(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Bytes limit) override;
  void cpu_throttling(const WorkloadKey& key, std::string_view, std::int64_t, const CpuThrottling& t) override {
    state_for(key).throttle.add(t);
  }
  void cpu_limit(const WorkloadKey& key, std::string_view, std::int64_t, Millicores limit) override {
    state_for(key).throttle.limit(limit);
  }

  // Workloads seen, sorted.
  [[nodiscard]] std::vector<WorkloadKey> workloads() const;
  [[nodiscard]] const WorkloadState* state(const WorkloadKey& key) const;
  // The recommendation for `key` (not_enough_data when never seen).
  [[nodiscard]] Recommendation recommend(const WorkloadKey& key, const WorkloadContext& context) const;
  [[nodiscard]] const RecommendOptions& options() const { return m_options; }

 private:
  WorkloadState& state_for(const WorkloadKey& key);
  std::pair<const WorkloadKey*, WorkloadState*> lookup(const WorkloadKey& key);
  InstanceState& instance_for(WorkloadState& w, std::string_view instance);
  RecommendOptions m_options;
  std::map<WorkloadKey, std::unique_ptr<WorkloadState>> m_states;
  // Sources pass the same WorkloadKey object for every point of a workload:
  // a cache by address (checked by value) skips the map's string compares.
  std::unordered_map<const WorkloadKey*, std::pair<const WorkloadKey*, WorkloadState*>> m_by_address;
  const WorkloadKey* m_last_address = nullptr;  // the last key's address, and its entry
  std::pair<const WorkloadKey*, WorkloadState*> m_last{nullptr, nullptr};
};

// OOM-aware floor: max(limit * ratio, limit + min_bump), VPA's rule.
[[nodiscard]] Bytes oom_bump(Bytes limit_at_kill, const RecommendOptions& options);
// Round up to a multiple of `step` (step <= 0: unchanged).
[[nodiscard]] std::int64_t round_up(std::int64_t value, std::int64_t step);
// c / (1 + c) with c = min(history days, samples / 1440): VPA's getConfidence
// (estimator.go), squashed into 0..1.
[[nodiscard]] double confidence_of(std::int64_t history_ns, std::int64_t samples);

}  // namespace stackfit
