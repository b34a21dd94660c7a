// The little HTTP/1.x that `record --listen` needs: parse a request head from
// the bytes a client sent (bounded, strict about CRLF and characters, so that
// garbage and oversized input are answered, never trusted), decide the answer
// for a path, and parse the --listen value ([ADDR:]PORT).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "stackfit/util/error.hpp"

namespace stackfit {

// Most bytes of a request head (request line and headers) the server reads.
inline constexpr std::size_t k_max_request_head = 8192;

enum class HeadStatus {
  incomplete,  // no blank line yet: read more
  complete,    // method, target and version parsed
  bad,         // not an HTTP/1.x request head (answer 400)
  too_large,   // no end of head within the bound (answer 431)
};

struct RequestHead {
  HeadStatus status = HeadStatus::incomplete;
  std::string method;
  std::string path;  // target without the query string
};

// Parses the head at the start of `bytes`. Lines must end in CRLF; the
// request line is `METHOD SP /target SP HTTP/1.0|1.1`; header lines must be
// printable ASCII with a colon. `max_bytes` bounds the head.
[[nodiscard]] RequestHead parse_request_head(std::string_view bytes, std::size_t max_bytes = k_max_request_head);

// The complete answer (status line, headers, body) to one request. `metrics`
// is called only for GET/HEAD of /metrics.
struct HttpReply {
  int status = 200;
  std::string bytes;
};
template <class MetricsFn>
HttpReply answer_request(const RequestHead& head, MetricsFn&& metrics);
[[nodiscard]] std::string http_response(int status, std::string_view content_type, std::string_view body,
                                        bool head_only, std::string_view extra_headers = {});

// --listen [ADDR:]PORT. A bare port binds 127.0.0.1; ADDR is a numeric IPv4
// address, `localhost`, or a bracketed IPv6 address ([::1]:9100).
struct ListenAddress {
  std::string host;  // numeric, without brackets
  std::uint16_t port = 0;
  bool ipv6 = false;
  [[nodiscard]] std::string text() const;  // 127.0.0.1:9100, [::1]:9100
};
[[nodiscard]] Expected<ListenAddress> parse_listen_address(std::string_view value);

template <class MetricsFn>
HttpReply answer_request(const RequestHead& head, MetricsFn&& metrics) {
  constexpr std::string_view text = "text/plain; charset=utf-8";
  switch (head.status) {
    case HeadStatus::bad: return {400, http_response(400, text, "bad request\n", false)};
    case HeadStatus::too_large: return {431, http_response(431, text, "request header too large\n", false)};
    case HeadStatus::incomplete: return {408, http_response(408, text, "request timeout\n", false)};
    case HeadStatus::complete: break;
  }
  bool is_head = head.method == "HEAD";
  if (head.path != "/metrics") return {404, http_response(404, text, "not found; metrics are at /metrics\n", is_head)};
  if (head.method != "GET" && !is_head) {
    return {405, http_response(405, text, "method not allowed\n", false, "Allow: GET, HEAD\r\n")};
  }
  return {200, http_response(200, "text/plain; version=0.0.4; charset=utf-8", metrics(), is_head)};
}

}  // namespace stackfit
