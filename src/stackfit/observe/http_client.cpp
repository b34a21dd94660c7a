#include "stackfit/observe/http_client.hpp"

#include <cctype>
#include <cstring>

#include "stackfit/observe/curl_library.hpp"

namespace stackfit {
namespace {

struct Transfer {
  HttpAnswer answer;
  std::size_t max_body_bytes = 0;
  bool too_large = false;
};

// CURLOPT_WRITEFUNCTION: returning anything but `size` aborts the transfer.
std::size_t on_write(char* data, std::size_t one, std::size_t size, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  std::size_t bytes = one * size;
  if (t.answer.body.size() + bytes > t.max_body_bytes) {
    t.too_large = true;
    return 0;
  }
  t.answer.body.append(data, bytes);
  return bytes;
}

HttpFailure failure(HttpFailureKind kind, std::string detail) { return HttpFailure{kind, std::move(detail)}; }

HttpFailure describe(CURLcode code, long os_errno, std::int64_t timeout_ms) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
      return failure(HttpFailureKind::connect, code == CURLE_COULDNT_CONNECT && os_errno != 0
                                                   ? std::strerror(static_cast<int>(os_errno))
                                                   : curl_api()->easy_strerror(code));
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_GOT_NOTHING:
      return failure(HttpFailureKind::protocol, "no HTTP answer");
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
      return failure(HttpFailureKind::closed, "connection closed before the answer ended");
    case CURLE_OPERATION_TIMEDOUT:
      return failure(HttpFailureKind::timeout, "no answer within " + std::to_string(timeout_ms) + " ms");
    default:
      return failure(HttpFailureKind::protocol, curl_api()->easy_strerror(code));
  }
}

}  // namespace

HttpClient::HttpClient(HttpClientOptions options) : m_options(std::move(options)) {
  const CurlApi* api = curl_api();
  if (api == nullptr) return;
  m_curl = api->easy_init();
  if (!m_options.bearer_token.empty()) {
    std::string header = "Authorization: Bearer " + m_options.bearer_token;
    m_headers = api->slist_append(nullptr, header.c_str());
  }
}

HttpClient::~HttpClient() {
  if (m_headers != nullptr) curl_api()->slist_free_all(static_cast<curl_slist*>(m_headers));
  if (m_curl != nullptr) curl_api()->easy_cleanup(static_cast<CURL*>(m_curl));
}

HttpResult<HttpAnswer> HttpClient::get(const std::string& url) {
  auto* curl = static_cast<CURL*>(m_curl);
  if (curl == nullptr) {
    return tl::unexpected(failure(HttpFailureKind::connect, curl_api() ? "curl_easy_init failed" : curl_load_error()));
  }
  const CurlApi& api = *curl_api();
  Transfer t;
  t.max_body_bytes = m_options.max_body_bytes;
  api.easy_setopt(curl, CURLOPT_URL, url.c_str());
  api.easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  api.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  api.easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // gzip when the server offers it
  api.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_options.connect_timeout_ms));
  api.easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.timeout_ms));
  api.easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_write);
  api.easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  if (!m_options.basic_auth.empty()) {
    api.easy_setopt(curl, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    api.easy_setopt(curl, CURLOPT_USERPWD, m_options.basic_auth.c_str());
  }
  if (m_headers != nullptr) api.easy_setopt(curl, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(m_headers));
  CURLcode code = api.easy_perform(curl);
  api.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &t.answer.status);
  if (t.too_large) {
    return tl::unexpected(failure(HttpFailureKind::too_large,
                                  "an answer larger than " + std::to_string(m_options.max_body_bytes) + " bytes"));
  }
  if (code != CURLE_OK) {
    long os_errno = 0;
    api.easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
    return tl::unexpected(describe(code, os_errno, m_options.timeout_ms));
  }
  return std::move(t.answer);
}

}  // namespace stackfit
