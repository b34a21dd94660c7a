// What a recording says about a service's start-up: the peak working set in
// the first minutes after each observed container start, the usage it
// settles to, and how long that takes. Only computes; plan/startup_waves
// schedules with it. docs/startup.md defines each figure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "stackfit/analyze/two_pass_percentile.hpp"
#include "stackfit/model/container_lifecycle.hpp"
#include "stackfit/model/sample.hpp"

namespace stackfit {

// Per replica (the largest over the service's containers).
struct MeasuredStartup {
  Bytes startup_peak;                     // max working set within the start-up window of any start
  Bytes steady;                           // p95 of the working set outside start-up windows
  std::optional<std::int64_t> settle_ms;  // longest time from a start until the peak has passed
  std::int64_t starts = 0;                // container starts observed with samples after them
};

inline constexpr std::int64_t k_default_startup_window_ms = 120'000;

// Measures one service. `samples` in time order, `container_of[i]` the
// container of sample i, `starts` the observed starts of those containers.
// A sample belongs to the start-up of the latest start of its container at
// or before it when at most `window_ms` later. Steady usage is the 95th
// percentile (nearest rank) of the other samples; when there are none (a
// recording shorter than the window), the largest last reading of a
// start-up. The settle time of a start runs to the first reading after its
// peak that is back within 10% of the way from steady to that peak (the
// window when it never gets there). Returns nothing when no start was
// observed with a reading after it: the caller then uses declared figures.
[[nodiscard]] std::optional<MeasuredStartup> measure_startup(const std::vector<Sample>& samples,
                                                             const std::vector<std::int64_t>& container_of,
                                                             const std::vector<ContainerStart>& starts,
                                                             std::int64_t window_ms);

// The observed starts of a recording's containers, sorted per container:
// shared by the StartupProfileBuilders of one recording.
class ContainerStartIndex {
 public:
  explicit ContainerStartIndex(const std::vector<ContainerStart>& starts);
  // The latest start of `container` at or before t_ns, if any.
  [[nodiscard]] std::optional<std::int64_t> latest_at(std::int64_t container, std::int64_t t_ns) const;

 private:
  std::map<std::int64_t, std::vector<std::int64_t>> m_starts;
};

// measure_startup over samples streamed twice (the store's scan run again)
// instead of held: it keeps the readings inside start-up windows (bounded by
// the starts and the window) and counts the others for the steady p95 with
// TwoPassPercentile, so `plan --startup --db` does not load a whole history.
// Per pass, each container's samples in time order (containers may
// interleave). `index` must outlive the builder.
class StartupProfileBuilder {
 public:
  StartupProfileBuilder(const ContainerStartIndex& index, std::int64_t window_ms);
  void add(const Sample& sample, std::int64_t container);  // pass 1
  void start_second_pass();
  void add_again(const Sample& sample, std::int64_t container);  // pass 2: the same samples
  [[nodiscard]] std::optional<MeasuredStartup> finish() const;

 private:
  struct Run {
    std::int64_t start_ns = 0;
    std::vector<std::pair<std::int64_t, std::int64_t>> readings;  // (time_ns, working set bytes)
  };
  // The start whose window holds this sample, if any.
  [[nodiscard]] std::optional<std::int64_t> window_start(const Sample& sample, std::int64_t container) const;

  const ContainerStartIndex* m_index;
  std::int64_t m_window_ms;
  std::map<std::pair<std::int64_t, std::int64_t>, Run> m_runs;  // by (container, start time)
  TwoPassPercentile m_steady;  // working sets outside start-up windows
};

// How long a service took from a container start to healthy.
struct MeasuredHealthy {
  std::int64_t max_ms = 0;         // the longest over the starts that turned healthy
  std::int64_t median_ms = 0;      // lower median of the same
  std::int64_t starts = 0;         // starts followed by a `healthy` event
  std::int64_t never_healthy = 0;  // starts with no `healthy` event before the container's next start
};

// Time to healthy of the containers `containers` (a service's): per start,
// the time to the first `healthy` event of that container at or after it and
// before its next start (an `unhealthy` event on the way does not end the
// wait). Returns nothing when no start turned healthy.
[[nodiscard]] std::optional<MeasuredHealthy> measure_time_to_healthy(const std::vector<std::int64_t>& containers,
                                                                     const std::vector<ContainerStart>& starts,
                                                                     const std::vector<HealthEvent>& health);

}  // namespace stackfit
