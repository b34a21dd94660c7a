// The server side of a hand-written HTTP exchange over a socket, for unit
// tests that play the engine (engine_http_test, event_feed_test,
// recorder_test).
#pragma once

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <string>

namespace stackfit::testing {

// A unix socket bound at `path` and listening with `backlog`: the engine's
// side. -1 when it cannot be bound or listened on.
inline int listen_unix(const std::string& path, int backlog) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 || ::listen(fd, backlog) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Reads one request head (up to the empty line); "" when the client closed.
inline std::string read_request(int fd) {
  std::string head;
  char c;
  while (head.find("\r\n\r\n") == std::string::npos) {
    if (::read(fd, &c, 1) != 1) return "";
    head.push_back(c);
  }
  return head;
}

// Sends all of `text`; stops quietly when the client hung up (no SIGPIPE).
inline void send_text(int fd, const std::string& text) {
  for (std::size_t at = 0; at < text.size();) {
    ssize_t n = ::send(fd, text.data() + at, text.size() - at, MSG_NOSIGNAL);
    if (n <= 0) return;
    at += static_cast<std::size_t>(n);
  }
}

// Waits until the client hangs up (it does after a failure or a stop).
inline void drain(int fd) {
  char buffer[4096];
  while (::read(fd, buffer, sizeof(buffer)) > 0) {
  }
}

}  // namespace stackfit::testing
