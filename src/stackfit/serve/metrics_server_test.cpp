#include "stackfit/serve/metrics_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>

namespace stackfit {
namespace {

int connect_to(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Reads until the server closes or `timeout_ms` passes.
std::string read_all(int fd, int timeout_ms = 3000) {
  std::string out;
  char buf[4096];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) break;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

std::string ask(std::uint16_t port, const std::string& request) {
  int fd = connect_to(port);
  if (fd < 0) return "connect failed";
  (void)!::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string answer = read_all(fd);
  ::close(fd);
  return answer;
}

std::unique_ptr<MetricsServer> start_server(MetricsServerLimits limits = {}) {
  auto server = MetricsServer::start(ListenAddress{"127.0.0.1", 0, false}, limits);
  EXPECT_TRUE(server) << server.error().message;
  return server ? std::move(*server) : nullptr;
}

LiveReading reading(const char* service, std::int64_t working_set) {
  LiveReading r;
  r.info.id = std::string("id-") + service;
  r.info.name = std::string("p-") + service + "-1";
  r.info.service = service;
  r.info.project = "p";
  r.sample.working_set = Bytes{working_set};
  return r;
}

TEST(MetricsServer, ServesPublishedReadings) {
  auto server = start_server();
  ASSERT_TRUE(server);
  std::string empty = ask(server->port(), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(empty.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << empty;
  EXPECT_EQ(empty.find("container_memory_working_set_bytes{"), std::string::npos);
  server->publish({reading("db", 4096)});
  std::string full = ask(server->port(), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(full.find("Content-Type: text/plain; version=0.0.4"), std::string::npos) << full;
  EXPECT_NE(full.find("container_memory_working_set_bytes{name=\"p-db-1\",service=\"db\""), std::string::npos)
      << full;
  EXPECT_EQ(ask(server->port(), "GET /other HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 404 ", 0), 0u);
  EXPECT_EQ(ask(server->port(), "PUT /metrics HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 405 ", 0), 0u);
}

TEST(MetricsServer, GarbageAndOversizedRequestsAreAnsweredAndClosed) {
  auto server = start_server();
  ASSERT_TRUE(server);
  EXPECT_EQ(ask(server->port(), std::string("\x16\x03\x01\x00\xff\x01\x00\n\n", 10)).rfind("HTTP/1.1 400 ", 0),
            0u);
  EXPECT_EQ(ask(server->port(), "GET /metrics HTTP/1.1\n\n").rfind("HTTP/1.1 400 ", 0), 0u);
  std::string huge = "GET /metrics HTTP/1.1\r\nX: " + std::string(100000, 'a');
  EXPECT_EQ(ask(server->port(), huge).rfind("HTTP/1.1 431 ", 0), 0u);
}

TEST(MetricsServer, SilentClientsCannotKeepAScraperOut) {
  auto server = start_server(MetricsServerLimits{1500, 4});
  ASSERT_TRUE(server);
  // Fill every client slot with connections that never send a byte, plus
  // one that sends half a request.
  std::vector<int> silent;
  for (int i = 0; i < 4; ++i) silent.push_back(connect_to(server->port()));
  (void)!::send(silent[0], "GET /metr", 9, MSG_NOSIGNAL);
  ::usleep(100 * 1000);
  auto t0 = std::chrono::steady_clock::now();
  std::string answer = ask(server->port(), "GET /metrics HTTP/1.1\r\n\r\n");
  auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK", 0), 0u) << answer;
  // Served at once (the oldest silent connection made room), not after the
  // 1.5 s deadline of the silent ones.
  EXPECT_LT(waited, std::chrono::milliseconds(1000));
  // The silent ones are closed without an answer: the oldest at once, the
  // others at their deadline.
  for (int fd : silent) {
    std::string rest = read_all(fd, 3000);
    EXPECT_EQ(rest, "");
    ::close(fd);
  }
}

TEST(MetricsServer, PortInUseIsOneLineNamingTheAddress) {
  auto first = start_server();
  ASSERT_TRUE(first);
  auto second = MetricsServer::start(ListenAddress{"127.0.0.1", first->port(), false});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::unavailable);
  EXPECT_EQ(second.error().message,
            "--listen 127.0.0.1:" + std::to_string(first->port()) + ": bind: Address already in use");
}

}  // namespace
}  // namespace stackfit
