// A client of Prometheus' HTTP API (also Thanos Query, Mimir, VictoriaMetrics:
// same /api/v1 paths and JSON). Range queries with a timeout per request and
// retries with exponential backoff on connection failures, timeouts and 5xx /
// 429 answers; a 4xx answer (a bad query) is never retried.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "stackfit/observe/prometheus_json.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

struct PrometheusOptions {
  std::string base_url;  // "http://host:9090" or with a path prefix ("https://h/prometheus"); no trailing '/'
  std::int64_t timeout_ms = 60000;  // per request
  int retries = 3;                  // extra attempts after the first
  std::int64_t backoff_ms = 500;    // before the first retry; doubles each time
  std::string basic_auth;           // "user:password"
  std::string bearer_token;
  std::size_t max_body_bytes = 256u * 1024u * 1024u;  // one answer (one chunk of one query), ~10M points
};

// Checks and normalises --prometheus: http:// or https://, a host, no query
// or fragment; drops trailing '/'. Usage error otherwise.
[[nodiscard]] Expected<std::string> normalize_prometheus_url(std::string_view text);

// `url` with the password of its user info (http://user:PASS@host) replaced
// by "***", for messages; unchanged when it has none.
[[nodiscard]] std::string redact_url_password(std::string_view url);

// Removes "user:password@" from `url` and returns it percent-decoded ("" when
// absent), so the password is sent as basic auth and never appears in a
// message that quotes the URL.
[[nodiscard]] std::string take_url_userinfo(std::string& url);

class HttpClient;

// One connection's worth of client. Not thread-safe: one per thread.
class PrometheusClient {
 public:
  explicit PrometheusClient(PrometheusOptions options);
  ~PrometheusClient();
  PrometheusClient(const PrometheusClient&) = delete;
  PrometheusClient& operator=(const PrometheusClient&) = delete;

  // GET /api/v1/query_range. start/end/step in ms (step > 0, the server
  // refuses more than 11,000 points per series: callers chunk). Errors:
  // unavailable, "<base>/api/v1/query_range: <reason>" — connect/timeout
  // failures say how many attempts were made; HTTP errors carry Prometheus'
  // errorType and error.
  [[nodiscard]] Expected<PromMatrix> query_range(const std::string& query, std::int64_t start_ms,
                                                 std::int64_t end_ms, std::int64_t step_ms);

  // Attempts beyond the first made so far (for the summary line).
  [[nodiscard]] std::int64_t retries_made() const { return m_retries_made; }

 private:
  PrometheusOptions m_options;
  std::unique_ptr<HttpClient> m_http;
  std::int64_t m_retries_made = 0;
};

// Seconds with millisecond precision, as the API takes them: "1700000000.5".
[[nodiscard]] std::string prometheus_time(std::int64_t t_ms);

}  // namespace stackfit
