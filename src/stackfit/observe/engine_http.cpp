#include "stackfit/observe/engine_http.hpp"

#include "stackfit/observe/curl_library.hpp"

#include <cstring>
#include <mutex>

namespace stackfit {

// State of one request, seen by the write callback.
struct EngineHttp::Transfer {
  CURL* curl = nullptr;
  const std::function<bool(std::string_view)>* on_line = nullptr;  // null: collect the whole body
  HttpAnswer answer;
  std::string pending_line;
  bool stopped_by_caller = false;
  bool too_large = false;
};

namespace {

constexpr std::int64_t k_connect_timeout_ms = 5000;

// Splits streamed bytes into lines for on_line; returns false to make curl stop.
bool feed_lines(EngineHttp::Transfer& t, std::string_view data) {
  while (!data.empty()) {
    auto newline = data.find('\n');
    std::string_view piece = data.substr(0, newline);
    if (t.pending_line.size() + piece.size() > k_max_http_line_bytes) {
      t.too_large = true;
      return false;
    }
    t.pending_line.append(piece);
    if (newline == std::string_view::npos) return true;
    data.remove_prefix(newline + 1);
    bool keep_going = t.pending_line.empty() || (*t.on_line)(t.pending_line);
    t.pending_line.clear();
    if (!keep_going) {
      t.stopped_by_caller = true;
      return false;
    }
  }
  return true;
}

// CURLOPT_WRITEFUNCTION: returning anything but `size` aborts the transfer.
std::size_t on_write(char* data, std::size_t one, std::size_t size, void* user) {
  auto& t = *static_cast<EngineHttp::Transfer*>(user);
  std::size_t bytes = one * size;
  long status = 0;
  curl_api()->easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &status);
  if (t.on_line != nullptr && status == 200) {
    return feed_lines(t, std::string_view(data, bytes)) ? bytes : 0;
  }
  if (t.answer.body.size() + bytes > k_max_http_body_bytes) {
    t.too_large = true;
    return 0;
  }
  t.answer.body.append(data, bytes);
  return bytes;
}

HttpFailure failure(HttpFailureKind kind, std::string detail) { return HttpFailure{kind, std::move(detail)}; }

// Words a curl failure; `os_errno` is CURLINFO_OS_ERRNO (the connect errno).
HttpFailure describe(CURLcode code, long os_errno, std::int64_t timeout_ms) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
      return failure(HttpFailureKind::connect,
                     os_errno != 0 ? std::strerror(static_cast<int>(os_errno)) : curl_api()->easy_strerror(code));
    case CURLE_UNSUPPORTED_PROTOCOL:  // curl's word for an answer without an HTTP status line
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_GOT_NOTHING:
      return failure(HttpFailureKind::protocol, "no HTTP answer");
    case CURLE_PARTIAL_FILE:  // a chunked or sized answer cut short
    case CURLE_RECV_ERROR:
      return failure(HttpFailureKind::closed, "connection closed before the answer ended");
    case CURLE_OPERATION_TIMEDOUT:
      return failure(HttpFailureKind::timeout, "no answer within " + std::to_string(timeout_ms) + " ms");
    default:
      return failure(HttpFailureKind::protocol, curl_api()->easy_strerror(code));
  }
}

}  // namespace

EngineHttp::EngineHttp(std::string socket_path) : m_socket(std::move(socket_path)) {
  const CurlApi* api = curl_api();
  m_curl = api ? api->easy_init() : nullptr;
}

EngineHttp::~EngineHttp() {
  if (m_curl != nullptr) curl_api()->easy_cleanup(static_cast<CURL*>(m_curl));
}

HttpResult<HttpAnswer> EngineHttp::get(const std::string& target, std::int64_t timeout_ms) {
  Transfer transfer;
  return perform(target, timeout_ms, transfer);
}

HttpResult<HttpAnswer> EngineHttp::stream_lines(const std::string& target, std::int64_t timeout_ms,
                                                const std::function<bool(std::string_view)>& on_line) {
  Transfer transfer;
  transfer.on_line = &on_line;
  auto result = perform(target, timeout_ms, transfer);
  if (!result && result.error().kind == HttpFailureKind::timeout && transfer.answer.status == 200) {
    return std::move(transfer.answer);  // the bounded wait ended: a normal end of the stream
  }
  if (result && result->status == 200 && !transfer.pending_line.empty()) {
    on_line(transfer.pending_line);  // a last line without '\n'
  }
  return result;
}

HttpResult<HttpAnswer> EngineHttp::perform(const std::string& target, std::int64_t timeout_ms, Transfer& t) {
  auto* curl = static_cast<CURL*>(m_curl);
  if (curl == nullptr) return tl::unexpected(
        failure(HttpFailureKind::connect, curl_api() ? "curl_api()->easy_init failed" : curl_load_error()));
  t.curl = curl;
  std::string url = "http://localhost" + target;
  curl_api()->easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, m_socket.c_str());
  curl_api()->easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_api()->easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  curl_api()->easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_api()->easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(k_connect_timeout_ms));
  curl_api()->easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_api()->easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_write);
  curl_api()->easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  CURLcode code = curl_api()->easy_perform(curl);
  curl_api()->easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &t.answer.status);
  if (t.too_large) {
    return tl::unexpected(failure(HttpFailureKind::too_large,
                                  t.on_line != nullptr && t.answer.status == 200
                                      ? "a line longer than " + std::to_string(k_max_http_line_bytes) + " bytes"
                                      : "an answer larger than " + std::to_string(k_max_http_body_bytes) + " bytes"));
  }
  if (code == CURLE_WRITE_ERROR && t.stopped_by_caller) return std::move(t.answer);
  if (code != CURLE_OK) {
    long os_errno = 0;
    curl_api()->easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
    return tl::unexpected(describe(code, os_errno, timeout_ms));
  }
  return std::move(t.answer);
}

}  // namespace stackfit
