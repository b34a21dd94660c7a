#include "stackfit/serve/http_request.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace stackfit {
namespace {

bool is_token_char(char c) { return (c >= 'A' && c <= 'Z'); }
bool is_target_char(char c) { return c > 0x20 && c < 0x7f; }
bool is_field_char(char c) { return (c >= 0x20 && c < 0x7f) || c == '\t'; }

const char* reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 431: return "Request Header Fields Too Large";
    default: return "Error";
  }
}

RequestHead bad() { return RequestHead{HeadStatus::bad, {}, {}}; }

}  // namespace

RequestHead parse_request_head(std::string_view bytes, std::size_t max_bytes) {
  std::size_t end = bytes.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    // A bare LF or a NUL anywhere already tells the request is not HTTP.
    for (std::size_t i = 0; i < bytes.size() && i < max_bytes; ++i) {
      if (bytes[i] == '\0' || (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r'))) return bad();
    }
    if (bytes.size() >= max_bytes) return RequestHead{HeadStatus::too_large, {}, {}};
    return RequestHead{};
  }
  if (end + 4 > max_bytes) return RequestHead{HeadStatus::too_large, {}, {}};
  std::string_view head = bytes.substr(0, end + 2);  // every line with its CRLF

  std::size_t eol = head.find("\r\n");
  std::string_view line = head.substr(0, eol);
  std::size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0 || sp1 > 16) return bad();
  std::size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || sp2 == sp1 + 1) return bad();
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  for (char c : method) {
    if (!is_token_char(c)) return bad();
  }
  if (target.front() != '/') return bad();
  for (char c : target) {
    if (!is_target_char(c)) return bad();
  }
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return bad();

  for (std::size_t pos = eol + 2; pos < head.size();) {
    std::size_t next = head.find("\r\n", pos);
    std::string_view field = head.substr(pos, next - pos);
    if (field.empty() || field.find(':') == std::string_view::npos || field.front() == ' ' ||
        field.front() == '\t' || field.front() == ':') {
      return bad();
    }
    for (char c : field) {
      if (!is_field_char(c)) return bad();
    }
    pos = next + 2;
  }
  RequestHead out;
  out.status = HeadStatus::complete;
  out.method = std::string(method);
  out.path = std::string(target.substr(0, target.find('?')));
  return out;
}

std::string http_response(int status, std::string_view content_type, std::string_view body, bool head_only,
                          std::string_view extra_headers) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\n";
  out += "Content-Type: ";
  out += content_type;
  out += "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n";
  out += extra_headers;
  out += "\r\n";
  if (!head_only) out += body;
  return out;
}

std::string ListenAddress::text() const {
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Expected<ListenAddress> parse_listen_address(std::string_view value) {
  auto fail = [&](const std::string& why) {
    return make_error(ErrorCode::usage, "--listen \"" + std::string(value) + "\": " + why);
  };
  ListenAddress out;
  std::string_view port_text = value;
  if (!value.empty() && value.front() == '[') {
    std::size_t close = value.find(']');
    if (close == std::string_view::npos || close + 1 >= value.size() || value[close + 1] != ':') {
      return fail("expected [IPv6]:PORT");
    }
    out.host = std::string(value.substr(1, close - 1));
    out.ipv6 = true;
    port_text = value.substr(close + 2);
    in6_addr a6{};
    if (::inet_pton(AF_INET6, out.host.c_str(), &a6) != 1) return fail("not a numeric IPv6 address");
  } else if (std::size_t colon = value.rfind(':'); colon != std::string_view::npos) {
    out.host = std::string(value.substr(0, colon));
    port_text = value.substr(colon + 1);
    if (out.host == "localhost") out.host = "127.0.0.1";
    in_addr a4{};
    if (out.host.find(':') != std::string::npos) return fail("put an IPv6 address in brackets: [::1]:PORT");
    if (::inet_pton(AF_INET, out.host.c_str(), &a4) != 1) return fail("not a numeric IPv4 address or localhost");
  } else {
    out.host = "127.0.0.1";
  }
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
      port > 65535) {
    return fail("port must be a number from 1 to 65535");
  }
  out.port = static_cast<std::uint16_t>(port);
  return out;
}

}  // namespace stackfit
