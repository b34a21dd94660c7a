// HTTP/1.1 GET over a unix socket: the transport under EngineClient. A small
// client of our own (keep-alive, Content-Length, chunked, read-until-close,
// deadlines by poll) so the recorder does not load libcurl and its ~30
// libraries. Knows nothing of Docker; reports failures as a kind plus a
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

// The pass that lets one class, observe/engine_writer's EngineWriter, send
// requests that change the engine: only it can make one (private constructor).
// Every other command provably sends GET only (docs/cleanup.md).
class EngineWriteKey {
  friend class EngineWriter;
  EngineWriteKey() = default;
};

template <class T>
using HttpResult = tl::expected<T, HttpFailure>;

// Bounds that keep a hostile or broken peer from exhausting memory.
inline constexpr std::size_t k_max_http_body_bytes = 64u * 1024u * 1024u;
inline constexpr std::size_t k_max_http_line_bytes = 1024u * 1024u;
inline constexpr std::size_t k_max_http_head_bytes = 256u * 1024u;  // status line and headers together

// One connection to one socket path, kept between requests and reopened when
// the peer has closed it. Not thread-safe: one thread per EngineHttp.
class EngineHttp {
 public:
  explicit EngineHttp(std::string socket_path);
  ~EngineHttp();
  EngineHttp(const EngineHttp&) = delete;
  EngineHttp& operator=(const EngineHttp&) = delete;

  // GET http://localhost<target>, the whole answer within timeout_ms (> 0).
  [[nodiscard]] HttpResult<HttpAnswer> get(const std::string& target, std::int64_t timeout_ms);

  // `method` ("DELETE", "POST") with an empty body, the whole answer within
  // timeout_ms: the engine's write requests, for EngineWriter alone.
  [[nodiscard]] HttpResult<HttpAnswer> write_request(EngineWriteKey key, const char* method, const std::string& target,
                                                     std::int64_t timeout_ms);

  // GET a streamed answer and call on_line for each '\n'-terminated line of a
  // 200 answer until on_line returns false, the peer ends the answer, or
  // timeout_ms (> 0) elapses; those three end it normally (status 200, empty
  // body). A non-200 answer is returned whole, as from get(). Lines longer
  // than k_max_http_line_bytes fail with too_large.
  [[nodiscard]] HttpResult<HttpAnswer> stream_lines(const std::string& target, std::int64_t timeout_ms,
                                                    const std::function<bool(std::string_view)>& on_line);

  // Ends the request in progress in another thread, and every later one, at
  // once: a stream ends normally, anything else fails with timeout. The only
  // member that is safe to call from another thread.
  void cancel();

  // The state of one request and its answer (defined in the .cpp).
  struct Transfer;

 private:
  HttpResult<HttpAnswer> perform(const char* method, const std::string& target, std::int64_t timeout_ms,
                                 const std::function<bool(std::string_view)>* on_line, std::string* pending_line);
  HttpResult<void> connect_socket(std::int64_t deadline_ms, std::int64_t timeout_ms);
  void disconnect();

  std::string m_socket;
  int m_fd = -1;       // the kept connection, or -1
  int m_cancel = -1;   // eventfd, readable once cancel() was called
  std::string m_input;  // bytes read from m_fd and not yet parsed
};

}  // namespace stackfit
