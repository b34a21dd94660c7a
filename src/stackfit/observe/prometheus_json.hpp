// The answers of Prometheus' HTTP API (/api/v1/query_range), parsed with
// nlohmann-json's SAX interface: no DOM is built, so a chunk of N points costs
// about 16 bytes a point plus the labels, never a tree of JSON nodes. Hostile
// input (deep nesting, wrong types, huge strings) is refused with one reason.
// Thanos, Mimir and VictoriaMetrics answer in the same format.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stackfit/util/error.hpp"

namespace stackfit {

struct PromPoint {
  std::int64_t t_ms = 0;  // Unix epoch milliseconds
  double value = 0;
};

struct PromSeries {
  std::vector<std::pair<std::string, std::string>> labels;  // in the server's order
  std::vector<PromPoint> points;                            // in the server's (time) order
  [[nodiscard]] std::string_view label(std::string_view name) const;
};

struct PromMatrix {
  std::vector<PromSeries> series;
  std::vector<std::string> warnings;  // "warnings": partial data, dropped series, ...
  std::int64_t non_finite_points = 0; // NaN/±Inf values, left out of `series`
};

// Bounds on what one answer may hold.
inline constexpr std::size_t k_max_prom_json_depth = 16;
inline constexpr std::size_t k_max_prom_string_bytes = 64 * 1024;
inline constexpr std::size_t k_max_prom_labels = 256;
// A query asks for at most 11,000 steps (Prometheus' own limit), so one more
// point in a series, or more series or points than below, is refused while
// parsing: a huge answer stops early instead of filling memory.
inline constexpr std::size_t k_max_prom_series_points = 11'001;
inline constexpr std::size_t k_max_prom_series = 100'000;
inline constexpr std::size_t k_max_prom_points = 8'000'000;

// Parses a "matrix" answer of status "success". A "status":"error" answer
// yields an Error whose message is "<errorType>: <error>" (e.g.
// "bad_data: invalid parameter \"query\": ..."); anything else that is not a
// well-formed matrix answer yields "not a Prometheus API answer: <reason>".
// Error codes: unavailable (the server's fault, seen from stackfit's side).
[[nodiscard]] Expected<PromMatrix> parse_prometheus_matrix(std::string_view body);

// "<errorType>: <error>" of an error answer (any HTTP status), or "" when the
// body is not Prometheus' error JSON. At most 300 bytes.
[[nodiscard]] std::string prometheus_error_of(std::string_view body);

}  // namespace stackfit
