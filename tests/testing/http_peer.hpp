// The server side of a hand-written HTTP exchange over a socket, for unit
// tests that play the engine (engine_http_test, event_feed_test,
// recorder_test).
#pragma once

#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <string>

namespace stackfit::testing {

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
