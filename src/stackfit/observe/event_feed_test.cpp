// EventFeed, the thread that follows the engine's /events stream, against a
// real unix socket served by this test: events split across chunks and
// writes, lines that are not JSON, an over-long line, the end of the stream,
// and stopping it while it waits on a stream or on a connect the peer's full
// backlog holds up.
#include "stackfit/observe/event_feed.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "stackfit/observe/engine_http.hpp"
#include "testing/http_peer.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

using namespace std::chrono_literals;
using stackfit::testing::drain;
using stackfit::testing::read_request;
using stackfit::testing::send_text;
using Clock = std::chrono::steady_clock;

// One chunk of a chunked body.
std::string chunk(const std::string& data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return size + data + "\r\n";
}

std::string listen_socket(const std::string& path, int backlog, int& fd) {
  fd = testing::listen_unix(path, backlog);
  EXPECT_GE(fd, 0) << path << ": cannot bind and listen";
  return path;
}

// A fake engine: answers GET /version, then runs `stream` on the connection
// that asked for /events (the status line and headers are sent already).
class FakeEngine {
 public:
  using Stream = std::function<void(int fd)>;
  explicit FakeEngine(Stream stream) : m_stream(std::move(stream)) {
    listen_socket(m_dir.path() + "/engine.sock", 8, m_fd);
    m_thread = std::thread([this] {
      for (;;) {
        int client = ::accept(m_fd, nullptr, nullptr);
        if (client < 0) return;
        for (std::string head; !(head = read_request(client)).empty();) {
          if (head.starts_with("GET /version ")) {
            std::string body = R"({"ApiVersion":"1.41","Version":"20.10.24"})";
            send_text(client, "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
            continue;
          }
          m_events_target = head.substr(0, head.find("\r\n"));
          send_text(client, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
          m_stream(client);
          break;
        }
        ::close(client);
      }
    });
  }
  ~FakeEngine() {
    ::shutdown(m_fd, SHUT_RDWR);
    ::close(m_fd);
    m_thread.join();
  }
  FakeEngine(const FakeEngine&) = delete;
  FakeEngine& operator=(const FakeEngine&) = delete;

  [[nodiscard]] std::string path() const { return m_dir.path() + "/engine.sock"; }
  [[nodiscard]] std::string events_target() const { return m_events_target; }

 private:
  testing::TempDir m_dir;
  Stream m_stream;
  int m_fd = -1;
  std::string m_events_target;
  std::thread m_thread;
};

// Takes from the feed until the stream ended, or 5 s passed.
std::vector<ContainerEvent> collect(EventFeed& feed, std::optional<Error>& ended) {
  std::vector<ContainerEvent> all;
  auto give_up = Clock::now() + 5s;
  while (Clock::now() < give_up) {
    std::optional<Error> end;
    for (ContainerEvent& e : feed.take(end)) all.push_back(std::move(e));
    if (end) {
      ended = end;
      for (ContainerEvent& e : feed.take(end)) all.push_back(std::move(e));
      return all;
    }
    std::this_thread::sleep_for(5ms);
  }
  return all;
}

const std::string k_start = R"({"Type":"container","Action":"start","Actor":{"ID":"c1"},"timeNano":100})";
const std::string k_exec =
    R"({"Type":"container","Action":"exec_start: sh -c true","Actor":{"ID":"c1"},"timeNano":150})";
const std::string k_healthy =
    R"({"status":"health_status: healthy","Type":"container","Action":"health_status: healthy","Actor":{"ID":"c1","Attributes":{"name":"web"}},"timeNano":200})";
const std::string k_die =
    R"({"Type":"container","Action":"die","Actor":{"ID":"c2","Attributes":{"exitCode":"137"}},"timeNano":300})";
const std::string k_network = R"({"Type":"network","Action":"connect","Actor":{"ID":"n1"},"timeNano":350})";

TEST(EventFeed, EventsSplitAcrossChunksAndWritesArriveInOrder) {
  FakeEngine engine([](int fd) {
    std::string lines = k_start + "\n" + k_exec + "\n\n" + k_healthy + "\r\n" + k_network + "\n" + k_die + "\n";
    // Chunks of 7 bytes (a line spans many; "\r\n" and "\n" fall inside or
    // between them), each sent in two writes with pauses between.
    for (std::size_t at = 0; at < lines.size(); at += 7) {
      std::string c = chunk(lines.substr(at, 7));
      send_text(fd, c.substr(0, 3));
      std::this_thread::sleep_for(1ms);
      send_text(fd, c.substr(3));
    }
    send_text(fd, "0\r\n\r\n");  // the engine ends the stream
  });
  EventFeed feed(engine.path(), ContainerFilter{"shop"}, 1700000000);
  std::optional<Error> ended;
  std::vector<ContainerEvent> events = collect(feed, ended);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].kind, EventKind::start);
  EXPECT_EQ(events[0].container_id, "c1");
  EXPECT_EQ(events[1].kind, EventKind::healthy);
  EXPECT_EQ(events[1].time_ns, 200);
  EXPECT_EQ(events[2].kind, EventKind::die);
  EXPECT_EQ(events[2].exit_code, 137);
  ASSERT_TRUE(ended.has_value());
  EXPECT_EQ(ended->code, ErrorCode::unavailable);
  EXPECT_EQ(ended->message, engine.path() + ": GET /events: the engine ended the event stream");
  // The request asks for the health events and the project, from `since`.
  EXPECT_NE(engine.events_target().find("since=1700000000&"), std::string::npos) << engine.events_target();
  EXPECT_NE(engine.events_target().find("health_status"), std::string::npos);
  EXPECT_NE(engine.events_target().find("com.docker.compose.project%3Dshop"), std::string::npos);
}

TEST(EventFeed, GarbageLineEndsTheStreamAfterTheEventsBeforeIt) {
  FakeEngine engine([](int fd) {
    send_text(fd, chunk(k_start + "\n") + chunk("<html>not an engine</html>\n") + chunk(k_healthy + "\n"));
    drain(fd);
  });
  EventFeed feed(engine.path(), {}, 0);
  std::optional<Error> ended;
  std::vector<ContainerEvent> events = collect(feed, ended);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, EventKind::start);
  ASSERT_TRUE(ended.has_value());
  EXPECT_EQ(ended->code, ErrorCode::unavailable);  // the recorder then reconnects
  EXPECT_EQ(ended->message, engine.path() + ": GET /v1.41/events: an event is not a JSON object");
}

TEST(EventFeed, OverLongLineEndsTheStream) {
  FakeEngine engine([](int fd) {
    send_text(fd, chunk(k_start + "\n"));
    // A line one byte over the bound, in 64 KiB chunks, never terminated.
    std::string piece(64 * 1024, 'x');
    for (std::size_t sent = 0; sent <= k_max_http_line_bytes; sent += piece.size()) send_text(fd, chunk(piece));
    drain(fd);
  });
  EventFeed feed(engine.path(), {}, 0);
  std::optional<Error> ended;
  std::vector<ContainerEvent> events = collect(feed, ended);
  ASSERT_EQ(events.size(), 1u);
  ASSERT_TRUE(ended.has_value());
  EXPECT_EQ(ended->code, ErrorCode::unavailable);
  EXPECT_EQ(ended->message, engine.path() + ": GET /v1.41/events: a line longer than 1048576 bytes");
}

TEST(EventFeed, StopsAtOnceWhileTheStreamIsIdle) {
  std::atomic<bool> streaming = false;
  FakeEngine engine([&](int fd) {
    streaming = true;  // before the send: the feed may take the event before this thread runs again
    send_text(fd, chunk(k_start + "\n"));
    drain(fd);  // an idle stream: nothing more until the client hangs up
  });
  auto feed = std::make_unique<EventFeed>(engine.path(), ContainerFilter{}, 0);
  std::optional<Error> ended;
  std::vector<ContainerEvent> events;
  for (auto give_up = Clock::now() + 5s; events.empty() && Clock::now() < give_up; std::this_thread::sleep_for(5ms)) {
    events = feed->take(ended);
  }
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(streaming);
  EXPECT_FALSE(ended.has_value());  // still open
  auto start = Clock::now();
  feed.reset();
  EXPECT_LT(Clock::now() - start, 1s);
}

// A peer whose listen backlog is full (an engine that stopped accepting):
// the connect of the feed's thread waits (up to 5 s); destroying the feed
// must not.
TEST(EventFeed, StopsAtOnceWhileConnectWaitsOnAFullBacklog) {
  testing::TempDir dir;
  int listener = -1;
  std::string path = listen_socket(dir.path() + "/stuck.sock", 0, listener);
  std::vector<int> fillers;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  bool full = false;
  for (int i = 0; i < 16 && !full; ++i) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
      fillers.push_back(fd);
    } else {
      full = errno == EAGAIN;
      ::close(fd);
    }
  }
  ASSERT_TRUE(full) << "the backlog never filled";

  auto feed = std::make_unique<EventFeed>(path, ContainerFilter{}, 0);
  std::this_thread::sleep_for(300ms);
  std::optional<Error> ended;
  EXPECT_TRUE(feed->take(ended).empty());
  EXPECT_FALSE(ended.has_value()) << ended->message;  // still waiting to connect
  auto start = Clock::now();
  feed.reset();
  EXPECT_LT(Clock::now() - start, 1s);

  for (int fd : fillers) ::close(fd);
  ::close(listener);
}

// The same wait, left alone, gives up at the request's deadline.
TEST(EventFeed, ConnectOnAFullBacklogGivesUpAtTheDeadline) {
  testing::TempDir dir;
  int listener = -1;
  std::string path = listen_socket(dir.path() + "/stuck.sock", 0, listener);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  std::vector<int> fillers;
  for (int i = 0; i < 16; ++i) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      ::close(fd);
      break;
    }
    fillers.push_back(fd);
  }
  EngineHttp http(path);
  auto start = Clock::now();
  auto answer = http.get("/version", 300);
  auto took = Clock::now() - start;
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().kind, HttpFailureKind::timeout);
  EXPECT_EQ(answer.error().detail, "no answer within 300 ms");
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 2s);

  for (int fd : fillers) ::close(fd);
  ::close(listener);
}

}  // namespace
}  // namespace stackfit
