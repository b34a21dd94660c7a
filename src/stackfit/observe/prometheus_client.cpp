#include "stackfit/observe/prometheus_client.hpp"

#include <cctype>
#include <chrono>
#include <thread>

#include "stackfit/observe/engine_json.hpp"  // url_encode
#include "stackfit/observe/http_client.hpp"

namespace stackfit {
namespace {

constexpr std::string_view k_query_range_path = "/api/v1/query_range";

enum class Retry { yes, no };

struct AttemptFailure {
  Retry retry = Retry::no;
  std::string reason;
};

std::string transport_reason(const HttpFailure& f) {
  return f.kind == HttpFailureKind::connect ? "connect: " + f.detail : f.detail;
}

}  // namespace

std::string prometheus_time(std::int64_t t_ms) {
  std::string s = std::to_string(t_ms / 1000);
  std::int64_t ms = t_ms % 1000;
  if (ms != 0) {
    std::string frac = std::to_string(ms);
    s += "." + std::string(3 - frac.size(), '0') + frac;
  }
  return s;
}

std::string redact_url_password(std::string_view url) {
  std::string out(url);
  std::size_t scheme = out.find("://");
  std::size_t from = scheme == std::string::npos ? 0 : scheme + 3;
  std::size_t at = out.find('@', from);
  std::size_t slash = out.find('/', from);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return out;
  std::size_t colon = out.find(':', from);
  if (colon == std::string::npos || colon > at) return out;
  return out.replace(colon + 1, at - colon - 1, "***");
}

std::string take_url_userinfo(std::string& url) {
  std::size_t scheme = url.find("://");
  std::size_t from = scheme == std::string::npos ? 0 : scheme + 3;
  std::size_t at = url.find('@', from);
  std::size_t slash = url.find('/', from);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return "";
  std::string info = url.substr(from, at - from);
  url.erase(from, at - from + 1);
  std::string decoded;
  for (std::size_t i = 0; i < info.size(); ++i) {
    if (info[i] == '%' && i + 2 < info.size() + 0 && std::isxdigit(static_cast<unsigned char>(info[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(info[i + 2]))) {
      decoded += static_cast<char>(std::stoi(info.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      decoded += info[i];
    }
  }
  return decoded;
}

Expected<std::string> normalize_prometheus_url(std::string_view text) {
  std::string url(text);
  auto bad = [&](const char* why) {
    return make_error(ErrorCode::usage, "--prometheus " + redact_url_password(url) + ": " + why);
  };
  std::size_t scheme_end = 0;
  if (url.starts_with("http://")) scheme_end = 7;
  else if (url.starts_with("https://")) scheme_end = 8;
  else return bad("expected an http:// or https:// URL");
  if (url.find_first_of("?# \t\r\n") != std::string::npos) return bad("no query, fragment or spaces allowed");
  while (url.size() > scheme_end && url.back() == '/') url.pop_back();
  if (url.size() == scheme_end || url[scheme_end] == '/' || url[scheme_end] == ':') return bad("no host");
  return url;
}

PrometheusClient::PrometheusClient(PrometheusOptions options) : m_options(std::move(options)) {
  HttpClientOptions http;
  http.timeout_ms = m_options.timeout_ms;
  http.connect_timeout_ms = std::min<std::int64_t>(m_options.timeout_ms, 5000);
  http.basic_auth = m_options.basic_auth;
  http.bearer_token = m_options.bearer_token;
  http.max_body_bytes = m_options.max_body_bytes;
  m_http = std::make_unique<HttpClient>(std::move(http));
}

PrometheusClient::~PrometheusClient() = default;

Expected<PromMatrix> PrometheusClient::query_range(const std::string& query, std::int64_t start_ms,
                                                   std::int64_t end_ms, std::int64_t step_ms) {
  std::string where = m_options.base_url + std::string(k_query_range_path);
  std::string url = where + "?query=" + url_encode(query) + "&start=" + prometheus_time(start_ms) +
                    "&end=" + prometheus_time(end_ms) + "&step=" + prometheus_time(step_ms);
  std::int64_t backoff_ms = m_options.backoff_ms;
  for (int attempt = 0;; ++attempt) {
    AttemptFailure failed;
    auto answer = m_http->get(url);
    if (!answer) {
      // too_large is the server's data, not a passing failure: retrying would fetch it again.
      bool too_large = answer.error().kind == HttpFailureKind::too_large;
      failed = {too_large ? Retry::no : Retry::yes,
                transport_reason(answer.error()) + (too_large ? " (lower --max-points or narrow --selector)" : "")};
    } else if (answer->status != 200) {
      std::string detail = prometheus_error_of(answer->body);
      failed = {answer->status >= 500 || answer->status == 429 ? Retry::yes : Retry::no,
                "HTTP " + std::to_string(answer->status) + (detail.empty() ? "" : ": " + detail)};
    } else {
      auto matrix = parse_prometheus_matrix(answer->body);
      if (matrix) return matrix;
      // A 200 answer with status "error" or a malformed body will not improve on retry.
      failed = {Retry::no, matrix.error().message};
    }
    if (failed.retry == Retry::no || attempt >= m_options.retries) {
      std::string attempts = attempt > 0 ? " (after " + std::to_string(attempt + 1) + " attempts)" : "";
      return make_error(ErrorCode::unavailable, where + ": " + failed.reason + attempts);
    }
    ++m_retries_made;
    std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms));
    backoff_ms *= 2;
  }
}

}  // namespace stackfit
