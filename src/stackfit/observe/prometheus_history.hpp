// Reads usage history for a cluster from a Prometheus-compatible server and
// pushes it into a UsageSink, chunk by chunk: the window is cut into chunks
// of at most `max_points_per_query` points per series (Prometheus refuses
// more than 11,000), each chunk's queries run on at most `concurrency`
// connections, and chunks are folded into the sink strictly in time order,
// at most `concurrency` chunks ahead — so memory depends on the chunk size
// and the number of series, never on the length of the window.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "stackfit/model/usage_sink.hpp"
#include "stackfit/observe/prometheus_client.hpp"
#include "stackfit/observe/prometheus_fold.hpp"

namespace stackfit {

inline constexpr std::int64_t k_prometheus_max_points = 11000;  // Prometheus' per-series bound

struct PrometheusHistoryOptions {
  PrometheusOptions server;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::int64_t step_ms = 60000;  // >= 1000: the scrape interval of the series
  int concurrency = 4;           // 1..16 requests in flight
  std::int64_t max_points_per_query = 10000;  // 2..11000
  std::string matchers;          // extra label matchers for every query ("" or `namespace="shop"`)
  // "" groups Compose containers per (project, service) across hosts; a
  // label name ("host", "instance") splits them per host (observe/fleet_series).
  std::string host_label;
  // Only the working-set and CPU queries per chunk (the others are answered
  // as empty): a second read for figures that need only those points
  // (`history`'s p95s), at a fraction of the queries.
  bool usage_only = false;
  // Called on the calling thread after each finished query: (done, total).
  std::function<void(std::int64_t, std::int64_t)> progress;
};

struct PrometheusHistoryStats {
  std::int64_t chunks = 0;
  std::int64_t queries = 0;
  std::int64_t retries = 0;
  std::int64_t series = 0;  // summed over chunks
  std::int64_t points = 0;
  std::int64_t non_finite_points = 0;
  std::vector<std::string> warnings;  // the servers' "warnings" (partial data), deduplicated
  GroupingStats grouping;
};

// One chunk [start_ms, end_ms] (both evaluated).
struct TimeChunk {
  std::int64_t start_ms;
  std::int64_t end_ms;
};
// Cuts [start, end] on the step grid into chunks of <= max_points points.
[[nodiscard]] std::vector<TimeChunk> plan_chunks(std::int64_t start_ms, std::int64_t end_ms, std::int64_t step_ms,
                                                 std::int64_t max_points);

// Errors: usage (bad window/step/concurrency), unavailable (the server:
// "<url>/api/v1/query_range: <reason>"). On error the sink may have received
// part of the window: callers print nothing computed from it.
[[nodiscard]] Expected<PrometheusHistoryStats> read_prometheus_history(const PrometheusHistoryOptions& options,
                                                                       UsageSink& sink);

}  // namespace stackfit
