// HTTP/1.1 GET over a unix socket with libcurl: the transport under
// EngineClient. Knows nothing of Docker; reports failures as a kind plus a
// detail so the client can word them ("connect: Connection refused", "not a
// Docker Engine API (...)").
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace stackfit {

struct HttpAnswer {
  long status = 0;   // HTTP status code
  std::string body;  // at most k_max_http_body_bytes
};

enum class HttpFailureKind {
  connect,    // the socket could not be reached; detail is strerror(errno)
  timeout,    // no complete answer in time; detail says how long
  protocol,   // the peer answered something that is not HTTP, or hung up without answering
  too_large,  // the answer exceeded the size bound
  closed,     // the peer hung up in the middle of an answer (e.g. the daemon stopped)
};

struct HttpFailure {
  HttpFailureKind kind = HttpFailureKind::protocol;
  std::string detail;  // one line, no socket prefix
};

template <class T>
using HttpResult = tl::expected<T, HttpFailure>;

// Bounds that keep a hostile or broken peer from exhausting memory.
inline constexpr std::size_t k_max_http_body_bytes = 64u * 1024u * 1024u;
inline constexpr std::size_t k_max_http_line_bytes = 1024u * 1024u;

// One curl easy handle bound to one socket path; reused between requests so
// the connection is kept. Not thread-safe: one thread per EngineHttp.
class EngineHttp {
 public:
  explicit EngineHttp(std::string socket_path);
  ~EngineHttp();
  EngineHttp(const EngineHttp&) = delete;
  EngineHttp& operator=(const EngineHttp&) = delete;

  // GET http://localhost<target>, the whole answer within timeout_ms (> 0).
  [[nodiscard]] HttpResult<HttpAnswer> get(const std::string& target, std::int64_t timeout_ms);

  // GET a streamed answer and call on_line for each '\n'-terminated line of a
  // 200 answer until on_line returns false, the peer ends the answer, or
  // timeout_ms (> 0) elapses; those three end it normally (status 200, empty
  // body). A non-200 answer is returned whole, as from get(). Lines longer
  // than k_max_http_line_bytes fail with too_large.
  [[nodiscard]] HttpResult<HttpAnswer> stream_lines(const std::string& target, std::int64_t timeout_ms,
                                                    const std::function<bool(std::string_view)>& on_line);

  // The state of one request as its write callback sees it (defined in the .cpp).
  struct Transfer;

 private:
  HttpResult<HttpAnswer> perform(const std::string& target, std::int64_t timeout_ms, Transfer& transfer);

  std::string m_socket;
  void* m_curl = nullptr;  // CURL*
};

}  // namespace stackfit
