#include "stackfit/observe/engine_http.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <optional>

#include "stackfit/util/clock.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {
namespace {

constexpr std::int64_t k_connect_timeout_ms = 5000;
constexpr std::size_t k_read_bytes = 16u * 1024u;     // one recv
constexpr std::size_t k_max_chunk_line_bytes = 4096;  // "1a2b;ext=...\r\n"
constexpr int k_max_interim_answers = 16;             // 1xx answers before the real one

HttpFailure failure(HttpFailureKind kind, std::string detail) { return HttpFailure{kind, std::move(detail)}; }
HttpFailure no_http_answer() { return failure(HttpFailureKind::protocol, "no HTTP answer"); }
// "a header line longer than 1048576 bytes" and the like.
HttpFailure over(const std::string& what, std::size_t bound) {
  return failure(HttpFailureKind::too_large, what + " than " + std::to_string(bound) + " bytes");
}
HttpFailure timed_out_after(std::int64_t timeout_ms) {
  return failure(HttpFailureKind::timeout, "no answer within " + std::to_string(timeout_ms) + " ms");
}
HttpFailure closed_early() {
  return failure(HttpFailureKind::closed, "connection closed before the answer ended");
}


bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);  // ASCII letters only; header names are tokens
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Parses "HTTP/1.x NNN reason"; nullopt if it is not a status line.
std::optional<long> parse_status_line(std::string_view line) {
  if (line.size() < 12 || !line.starts_with("HTTP/1.") || line[8] != ' ') return std::nullopt;
  long status = 0;
  for (std::size_t i = 9; i < 12; ++i) {
    if (line[i] < '0' || line[i] > '9') return std::nullopt;
    status = status * 10 + (line[i] - '0');
  }
  if (line.size() > 12 && line[12] != ' ') return std::nullopt;
  if (status < 100) return std::nullopt;
  return status;
}

// Decimal or hex digits into a size; nullopt when empty, not digits, or absurdly large.
std::optional<std::size_t> parse_size(std::string_view digits, int base) {
  if (digits.empty() || digits.size() > 15) return std::nullopt;
  std::size_t value = 0;
  for (char c : digits) {
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : 99;
    if (d >= base) return std::nullopt;
    value = value * static_cast<std::size_t>(base) + static_cast<std::size_t>(d);
  }
  return value;
}

}  // namespace

// One request and its answer on the kept connection: buffered reads against a
// deadline, and where the body goes (lines for a 200 stream, else `answer.body`).
struct EngineHttp::Transfer {
  Transfer(int socket_fd, std::string& input_buffer, std::int64_t deadline, std::int64_t timeout,
           const std::function<bool(std::string_view)>* line_handler, std::string& partial_line)
      : fd(socket_fd),
        input(input_buffer),
        deadline_ms(deadline),
        timeout_ms(timeout),
        on_line(line_handler),
        pending_line(partial_line) {}

  int fd;
  int cancel_fd = -1;
  std::string& input;
  std::int64_t deadline_ms;
  std::int64_t timeout_ms;
  const std::function<bool(std::string_view)>* on_line;  // null: collect the whole body
  std::string& pending_line;
  HttpAnswer answer;
  bool received_any = false;     // a byte of the answer arrived
  bool stopped_by_caller = false;
  bool keep_alive = true;

  HttpFailure timed_out() const {
    return timed_out_after(timeout_ms);
  }

  // Reads what the peer sent next into `input`; 0 when the peer closed.
  HttpResult<std::size_t> fill() {
    for (;;) {
      std::int64_t left = deadline_ms - monotonic_now_ms();
      if (left <= 0) return tl::unexpected(timed_out());
      pollfd p[2] = {{fd, POLLIN, 0}, {cancel_fd, POLLIN, 0}};
      int ready = ::poll(p, cancel_fd >= 0 ? 2 : 1, static_cast<int>(std::min<std::int64_t>(left, INT_MAX)));
      if (ready < 0 && errno != EINTR) return tl::unexpected(failure(HttpFailureKind::closed, std::strerror(errno)));
      if (ready <= 0) continue;
      if (p[1].revents != 0) return tl::unexpected(timed_out());  // cancelled
      char buffer[k_read_bytes];
      ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
        if (errno == ECONNRESET) return std::size_t{0};  // the peer hung up
        return tl::unexpected(failure(HttpFailureKind::closed, std::strerror(errno)));
      }
      if (n > 0) received_any = true;
      input.append(buffer, static_cast<std::size_t>(n));
      return static_cast<std::size_t>(n);
    }
  }

  // The next line without its "\r\n" or "\n"; nullopt if the peer closed
  // first. Longer than `max`: too_large, "<what> than <max> bytes".
  // `acceptable_prefix` sees the incomplete line after each read and fails it
  // early as not HTTP (a peer that sends garbage and then waits).
  HttpResult<std::optional<std::string>> line(std::size_t max, const std::string& what,
                                              bool (*acceptable_prefix)(std::string_view) = nullptr) {
    std::size_t scanned = 0;
    for (;;) {
      auto newline = input.find('\n', scanned);
      if (newline != std::string::npos) {
        if (newline > max) return tl::unexpected(over(what, max));
        std::string text = input.substr(0, newline);
        input.erase(0, newline + 1);
        if (!text.empty() && text.back() == '\r') text.pop_back();
        return text;
      }
      if (input.size() > max) return tl::unexpected(over(what, max));
      if (acceptable_prefix != nullptr && !acceptable_prefix(input)) return tl::unexpected(no_http_answer());
      scanned = input.size();
      auto got = fill();
      TRY(got);
      if (*got == 0) return std::optional<std::string>{};
    }
  }

  // Hands body bytes on; false when the caller asked to stop.
  HttpResult<bool> deliver(std::string_view data) {
    if (on_line == nullptr || answer.status != 200) {
      if (answer.body.size() + data.size() > k_max_http_body_bytes) {
        return tl::unexpected(over("an answer larger", k_max_http_body_bytes));
      }
      answer.body.append(data);
      return true;
    }
    while (!data.empty()) {
      auto newline = data.find('\n');
      std::string_view piece = data.substr(0, newline);
      if (pending_line.size() + piece.size() > k_max_http_line_bytes) {
        return tl::unexpected(over("a line longer", k_max_http_line_bytes));
      }
      pending_line.append(piece);
      if (newline == std::string_view::npos) return true;
      data.remove_prefix(newline + 1);
      bool keep_going = pending_line.empty() || (*on_line)(pending_line);
      pending_line.clear();
      if (!keep_going) {
        stopped_by_caller = true;
        return false;
      }
    }
    return true;
  }

  // Exactly `size` body bytes; false when the caller asked to stop.
  HttpResult<bool> sized_body(std::size_t size) {
    while (size > 0) {
      if (input.empty()) {
        auto got = fill();
        TRY(got);
        if (*got == 0) return tl::unexpected(closed_early());
      }
      std::size_t take = std::min(size, input.size());
      auto more = deliver(std::string_view(input).substr(0, take));
      input.erase(0, take);
      size -= take;
      if (!more) return more;
      if (!*more) return false;
    }
    return true;
  }

  HttpResult<void> chunked_body() {
    const std::string long_line = "a chunk header longer";
    for (;;) {
      auto header = line(k_max_chunk_line_bytes, long_line);
      TRY(header);
      if (!*header) return tl::unexpected(closed_early());
      std::string_view digits = **header;
      digits = trim(digits.substr(0, digits.find(';')));  // chunk extensions are ignored
      auto size = parse_size(digits, 16);
      if (!size) return tl::unexpected(failure(HttpFailureKind::protocol, "bad chunk size"));
      if (*size == 0) break;
      auto more = sized_body(*size);
      TRY(more);
      if (!*more) return {};
      auto end = line(k_max_chunk_line_bytes, long_line);
      TRY(end);
      if (!*end) return tl::unexpected(closed_early());
      if (!(*end)->empty()) return tl::unexpected(failure(HttpFailureKind::protocol, "chunk without its CRLF"));
    }
    // Trailer fields, then the empty line that ends the answer.
    for (std::size_t bytes = 0;;) {
      auto trailer = line(k_max_http_line_bytes, "a trailer line longer");
      TRY(trailer);
      if (!*trailer) return tl::unexpected(closed_early());
      if ((*trailer)->empty()) return {};
      bytes += (*trailer)->size();
      if (bytes > k_max_http_head_bytes) {
        return tl::unexpected(over("trailers larger", k_max_http_head_bytes));
      }
    }
  }

  HttpResult<void> until_close() {
    keep_alive = false;
    for (;;) {
      if (!input.empty()) {
        auto more = deliver(input);
        input.clear();
        TRY(more);
        if (!*more) return {};
      }
      auto got = fill();
      TRY(got);
      if (*got == 0) return {};
    }
  }

  // Status line and headers, then the body as they describe it.
  HttpResult<void> read_answer() {
    // Content-Length, when the answer has one (a flag, not an optional: GCC 12
    // saw the optional's value as maybe uninitialized at -O2).
    std::size_t content_length = 0;
    bool has_content_length = false;
    bool chunked = false;
    for (int interim = 0;; ++interim) {
      auto status_line = line(k_max_http_line_bytes, "a status line longer",
                              [](std::string_view start) {
                                std::string_view http = "HTTP/1.";
                                return http.substr(0, std::min(http.size(), start.size())) ==
                                       start.substr(0, std::min(http.size(), start.size()));
                              });
      TRY(status_line);
      if (!*status_line) return tl::unexpected(received_any ? closed_early() : no_http_answer());
      auto status = parse_status_line(**status_line);
      if (!status) return tl::unexpected(no_http_answer());
      answer.status = *status;
      keep_alive = (**status_line)[7] == '1';  // HTTP/1.1 keeps by default, 1.0 does not
      std::size_t head_bytes = (*status_line)->size();
      for (;;) {
        auto header = line(k_max_http_line_bytes, "a header line longer");
        TRY(header);
        if (!*header) return tl::unexpected(closed_early());
        if ((*header)->empty()) break;
        head_bytes += (*header)->size();
        if (head_bytes > k_max_http_head_bytes) {
          return tl::unexpected(over("headers larger", k_max_http_head_bytes));
        }
        std::string_view text = **header;
        auto colon = text.find(':');
        if (colon == std::string_view::npos || colon == 0) {
          return tl::unexpected(failure(HttpFailureKind::protocol, "bad header line"));
        }
        std::string_view name = text.substr(0, colon);
        std::string_view value = trim(text.substr(colon + 1));
        if (iequals(name, "Content-Length")) {
          auto length = parse_size(value, 10);
          if (!length || (has_content_length && content_length != *length)) {
            return tl::unexpected(failure(HttpFailureKind::protocol, "bad Content-Length"));
          }
          content_length = *length;
          has_content_length = true;
        } else if (iequals(name, "Transfer-Encoding")) {
          auto comma = value.rfind(',');  // the last coding is the one to undo first
          std::string_view last = trim(comma == std::string_view::npos ? value : value.substr(comma + 1));
          chunked = iequals(last, "chunked");
          if (!chunked) return tl::unexpected(failure(HttpFailureKind::protocol, "unsupported Transfer-Encoding"));
        } else if (iequals(name, "Connection")) {
          if (iequals(value, "close")) keep_alive = false;
          if (iequals(value, "keep-alive")) keep_alive = true;
        }
      }
      if (answer.status >= 200) break;
      if (answer.status == 101) return tl::unexpected(failure(HttpFailureKind::protocol, "unexpected protocol switch"));
      if (interim + 1 >= k_max_interim_answers) {
        return tl::unexpected(failure(HttpFailureKind::protocol, "too many 1xx answers"));
      }
      has_content_length = false;  // a 1xx answer has no body: the real one follows
      chunked = false;
    }
    if (answer.status == 204 || answer.status == 304) return {};
    if (chunked) return chunked_body();
    if (has_content_length) {
      if (content_length > k_max_http_body_bytes && (on_line == nullptr || answer.status != 200)) {
        return tl::unexpected(over("an answer larger", k_max_http_body_bytes));
      }
      TRY(sized_body(content_length));
      return {};
    }
    return until_close();
  }
};

EngineHttp::EngineHttp(std::string socket_path)
    : m_socket(std::move(socket_path)), m_cancel(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

EngineHttp::~EngineHttp() {
  disconnect();
  if (m_cancel >= 0) ::close(m_cancel);
}

void EngineHttp::cancel() {
  std::uint64_t one = 1;
  if (m_cancel >= 0) (void)!::write(m_cancel, &one, sizeof(one));
}

void EngineHttp::disconnect() {
  if (m_fd >= 0) ::close(m_fd);
  m_fd = -1;
  m_input.clear();
}

HttpResult<void> EngineHttp::connect_socket(std::int64_t deadline_ms, std::int64_t timeout_ms) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (m_socket.size() >= sizeof(address.sun_path)) {
    return tl::unexpected(failure(HttpFailureKind::connect, std::strerror(ENAMETOOLONG)));
  }
  std::memcpy(address.sun_path, m_socket.data(), m_socket.size());
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return tl::unexpected(failure(HttpFailureKind::connect, std::strerror(errno)));
  // A unix socket connects at once, or fails with EAGAIN while the
  // listener's backlog is full (there is no asynchronous connect as for TCP):
  // retry in short steps for at most k_connect_timeout_ms, and give up at
  // once when cancel() is called, so stopping never waits for the engine.
  const std::int64_t give_up_ms = monotonic_now_ms() + std::clamp<std::int64_t>(deadline_ms - monotonic_now_ms(), 1, k_connect_timeout_ms);
  auto cancelled = [this](int wait_ms) {
    pollfd p{m_cancel, POLLIN, 0};
    return m_cancel >= 0 && ::poll(&p, 1, wait_ms) > 0;
  };
  for (;;) {
    if (cancelled(0)) {
      ::close(fd);
      return tl::unexpected(timed_out_after(timeout_ms));
    }
    int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
    if (rc == 0) break;
    int error = errno;
    if (error == EINTR) continue;
    if (error == EINPROGRESS) {
      // Not seen on Linux for unix sockets; handled as for TCP all the same.
      for (std::int64_t left; (left = give_up_ms - monotonic_now_ms()) > 0;) {
        pollfd p[2] = {{fd, POLLOUT, 0}, {m_cancel, POLLIN, 0}};
        int ready = ::poll(p, m_cancel >= 0 ? 2 : 1, static_cast<int>(std::min<std::int64_t>(left, INT_MAX)));
        if (ready > 0) break;
      }
      int so_error = 0;
      socklen_t length = sizeof(so_error);
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &length);
      pollfd out{fd, POLLOUT, 0};
      if (!cancelled(0) && ::poll(&out, 1, 0) > 0 && so_error == 0) break;
      ::close(fd);
      if (so_error != 0) return tl::unexpected(failure(HttpFailureKind::connect, std::strerror(so_error)));
      return tl::unexpected(timed_out_after(timeout_ms));
    }
    if (error != EAGAIN) {
      ::close(fd);
      return tl::unexpected(failure(HttpFailureKind::connect, std::strerror(error)));
    }
    std::int64_t left = give_up_ms - monotonic_now_ms();
    if (left <= 0) {
      ::close(fd);
      return tl::unexpected(timed_out_after(timeout_ms));
    }
    constexpr std::int64_t k_connect_retry_ms = 10;
    (void)cancelled(static_cast<int>(std::min(left, k_connect_retry_ms)));
  }
  m_fd = fd;
  m_input.clear();
  return {};
}

HttpResult<HttpAnswer> EngineHttp::get(const std::string& target, std::int64_t timeout_ms) {
  return perform("GET", target, timeout_ms, nullptr, nullptr);
}

HttpResult<HttpAnswer> EngineHttp::write_request(EngineWriteKey /*key*/, const char* method, const std::string& target,
                                                 std::int64_t timeout_ms) {
  return perform(method, target, timeout_ms, nullptr, nullptr);
}

HttpResult<HttpAnswer> EngineHttp::stream_lines(const std::string& target, std::int64_t timeout_ms,
                                                const std::function<bool(std::string_view)>& on_line) {
  std::string pending_line;
  auto result = perform("GET", target, timeout_ms, &on_line, &pending_line);
  if (result && result->status == 200 && !pending_line.empty()) {
    on_line(pending_line);  // a last line without '\n'
  }
  return result;
}

namespace {

// True when a kept connection can no longer carry a request: the peer closed
// it (or sent something unasked, which leaves us out of step).
bool stale(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) != 0;
}

// Writes all of `request` before the deadline; false with errno on failure.
HttpResult<void> send_all(int fd, std::string_view request, std::int64_t deadline_ms, std::int64_t timeout_ms) {
  while (!request.empty()) {
    ssize_t n = ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    if (n > 0) {
      request.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      std::int64_t left = deadline_ms - monotonic_now_ms();
      if (left <= 0) {
        return tl::unexpected(timed_out_after(timeout_ms));
      }
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left, INT_MAX)));
      continue;
    }
    return tl::unexpected(no_http_answer());  // EPIPE, ECONNRESET: hung up without answering
  }
  return {};
}

}  // namespace

HttpResult<HttpAnswer> EngineHttp::perform(const char* method, const std::string& target, std::int64_t timeout_ms,
                                           const std::function<bool(std::string_view)>* on_line,
                                           std::string* pending_line) {
  // +1: monotonic_now_ms() truncates, and the wait must last at least timeout_ms.
  const std::int64_t deadline_ms = monotonic_now_ms() + std::max<std::int64_t>(timeout_ms, 1) + 1;
  const bool get = std::string_view(method) == "GET";
  const std::string request = std::string(method) + " " + target +
                              " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: stackfit\r\nAccept: */*\r\n" +
                              (get ? "" : "Content-Length: 0\r\n") + "\r\n";
  std::string unused_line;
  if (pending_line == nullptr) pending_line = &unused_line;
  // A kept connection the peer closed in the meantime is retried once on a new one.
  for (int attempt = 0;; ++attempt) {
    if (m_fd >= 0 && stale(m_fd)) disconnect();
    bool reused = m_fd >= 0;
    if (!reused) {
      TRY(connect_socket(deadline_ms, timeout_ms));
    }
    Transfer t(m_fd, m_input, deadline_ms, timeout_ms, on_line, *pending_line);
    t.cancel_fd = m_cancel;
    auto sent = send_all(m_fd, request, deadline_ms, timeout_ms);
    auto read = sent ? t.read_answer() : HttpResult<void>(tl::unexpected(sent.error()));
    if (!read) {
      disconnect();
      if (reused && attempt == 0 && !t.received_any && read.error().kind != HttpFailureKind::timeout) continue;
      if (read.error().kind == HttpFailureKind::timeout && on_line != nullptr && t.answer.status == 200) {
        pending_line->clear();  // a line cut by the deadline is not handed on
        return std::move(t.answer);  // the bounded wait of a stream ended: a normal end
      }
      return tl::unexpected(read.error());
    }
    if (t.stopped_by_caller) pending_line->clear();
    if (t.stopped_by_caller || !t.keep_alive || !m_input.empty()) disconnect();
    return std::move(t.answer);
  }
}

}  // namespace stackfit
