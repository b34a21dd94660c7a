// HTTP GET to a TCP URL (http:// or https://) with libcurl: the transport
// under the Prometheus client. One client per thread (a curl easy handle keeps
// its connection between requests). Failures are a kind plus a detail, as for
// the engine's unix-socket transport (engine_http.hpp).
#pragma once

#include <cstdint>
#include <string>

#include "stackfit/observe/engine_http.hpp"

namespace stackfit {

struct HttpClientOptions {
  std::int64_t timeout_ms = 30000;         // whole request, > 0
  std::int64_t connect_timeout_ms = 5000;  // TCP (+TLS) connect, > 0
  std::size_t max_body_bytes = k_max_http_body_bytes;
  std::string basic_auth;    // "user:password", empty: none
  std::string bearer_token;  // empty: none
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // GET `url` (already escaped). Any status is an answer; failures are
  // transport failures (connect, timeout, protocol, too_large, closed).
  [[nodiscard]] HttpResult<HttpAnswer> get(const std::string& url);

 private:
  HttpClientOptions m_options;
  void* m_curl = nullptr;     // CURL*
  void* m_headers = nullptr;  // curl_slist*
};

}  // namespace stackfit
