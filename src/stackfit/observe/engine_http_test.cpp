// EngineHttp against a real unix socket this test serves from a thread, one
// script per connection: keep-alive and reconnecting, Content-Length, chunked
// bodies cut at odd places, read-until-close, and hostile or broken peers
// (garbage, silence, hanging up mid-answer, oversized lines and bodies).
#include "stackfit/observe/engine_http.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "testing/http_peer.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

using namespace std::chrono_literals;
using stackfit::testing::read_request;
using stackfit::testing::drain;
using stackfit::testing::send_text;

// Sends `text` in pieces of `piece` bytes with a pause between them, so the
// client sees the answer split across many reads.
void send_slowly(int fd, const std::string& text, std::size_t piece) {
  for (std::size_t at = 0; at < text.size(); at += piece) {
    send_text(fd, text.substr(at, piece));
    std::this_thread::sleep_for(2ms);
  }
}

// Serves a unix socket; each accepted connection runs `script(fd, index)`
// (index counts connections from 0), then is closed.
class ScriptServer {
 public:
  using Script = std::function<void(int fd, int index)>;
  explicit ScriptServer(Script script) : m_path(m_dir.path() + "/engine.sock"), m_script(std::move(script)) {
    m_fd = testing::listen_unix(m_path, 8);
    EXPECT_GE(m_fd, 0) << m_path << ": cannot bind and listen";
    m_thread = std::thread([this] {
      for (int index = 0;; ++index) {
        int client = ::accept(m_fd, nullptr, nullptr);
        if (client < 0) return;
        m_connections = index + 1;
        m_script(client, index);
        ::close(client);
      }
    });
  }
  ~ScriptServer() {
    ::shutdown(m_fd, SHUT_RDWR);
    ::close(m_fd);
    m_thread.join();
  }
  ScriptServer(const ScriptServer&) = delete;
  ScriptServer& operator=(const ScriptServer&) = delete;

  [[nodiscard]] const std::string& path() const { return m_path; }
  [[nodiscard]] int connections() const { return m_connections; }

 private:
  testing::TempDir m_dir;
  std::string m_path;
  Script m_script;
  int m_fd = -1;
  std::atomic<int> m_connections = 0;
  std::thread m_thread;
};

std::string sized(int status, const std::string& body, const std::string& extra = "") {
  return "HTTP/1.1 " + std::to_string(status) + " Whatever\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n" + extra + "\r\n" + body;
}

TEST(EngineHttp, KeepsTheConnectionAndReconnectsWhenThePeerClosedIt) {
  std::vector<std::string> seen;
  ScriptServer server([&](int fd, int index) {
    // The first connection answers two requests then closes; the second, one.
    for (int i = 0; i < (index == 0 ? 2 : 1); ++i) {
      std::string head = read_request(fd);
      if (head.empty()) return;
      seen.push_back(head.substr(0, head.find("\r\n")));
      send_text(fd, sized(200, "answer " + std::to_string(index) + "." + std::to_string(i)));
    }
  });
  EngineHttp http(server.path());
  auto a = http.get("/one", 2000);
  ASSERT_TRUE(a) << a.error().detail;
  EXPECT_EQ(a->status, 200);
  EXPECT_EQ(a->body, "answer 0.0");
  auto b = http.get("/two?x=1", 2000);
  ASSERT_TRUE(b) << b.error().detail;
  EXPECT_EQ(b->body, "answer 0.1");
  EXPECT_EQ(server.connections(), 1);
  std::this_thread::sleep_for(50ms);  // the server has closed the first connection by now
  auto c = http.get("/three", 2000);
  ASSERT_TRUE(c) << c.error().detail;
  EXPECT_EQ(c->body, "answer 1.0");
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(seen, (std::vector<std::string>{"GET /one HTTP/1.1", "GET /two?x=1 HTTP/1.1", "GET /three HTTP/1.1"}));
}

TEST(EngineHttp, ClosedWithoutNoticeBetweenRequestsIsRetriedOnANewConnection) {
  ScriptServer server([&](int fd, int index) {
    read_request(fd);
    if (index == 0) {
      send_text(fd, sized(200, "first"));
      // Reads the next request, then hangs up without answering: a daemon restarting.
      read_request(fd);
      return;
    }
    send_text(fd, sized(200, "second"));
  });
  EngineHttp http(server.path());
  ASSERT_EQ(http.get("/a", 2000)->body, "first");
  auto again = http.get("/b", 2000);
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_EQ(again->body, "second");
}

TEST(EngineHttp, ChunkedBodyWithOddBoundariesAndExtensions) {
  ScriptServer server([](int fd, int) {
    read_request(fd);
    std::string answer =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5;name=value\r\nhello\r\n"
        "1\r\n \r\n"
        "A\r\n0123456789\r\n"
        "0\r\nX-Trailer: yes\r\n\r\n";
    send_slowly(fd, answer, 3);  // headers, sizes and data all split across reads
  });
  EngineHttp http(server.path());
  auto answer = http.get("/chunked", 3000);
  ASSERT_TRUE(answer) << answer.error().detail;
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, "hello 0123456789");
}

TEST(EngineHttp, StreamedLinesSpanChunksAndTheCallerCanStop) {
  ScriptServer server([](int fd, int) {
    read_request(fd);
    send_text(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    // Lines cut in the middle by chunk ends; an empty line is skipped.
    for (std::string chunk : {"{\"a\":", "1}\n\n{\"b\"", ":2}\n{\"c\":3}\n{\"d\":4}\n"}) {
      char size[16];
      std::snprintf(size, sizeof(size), "%zx\r\n", chunk.size());
      send_slowly(fd, size + chunk + "\r\n", 4);
    }
    drain(fd);  // the stream stays open: the client stops by itself
  });
  EngineHttp http(server.path());
  std::vector<std::string> lines;
  auto start = std::chrono::steady_clock::now();
  auto answer = http.stream_lines("/events", 5000, [&](std::string_view line) {
    lines.emplace_back(line);
    return lines.size() < 3;
  });
  ASSERT_TRUE(answer) << answer.error().detail;
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(lines, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
}

TEST(EngineHttp, StreamEndsNormallyAtItsTimeoutAndAtTheEndOfTheAnswer) {
  ScriptServer server([](int fd, int index) {
    read_request(fd);
    if (index == 0) {
      send_text(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nline1\n\r\n5\r\npart-\r\n");
      drain(fd);  // silent: the client's bounded wait ends
      return;
    }
    // Read until close, with a last line that has no '\n'.
    send_text(fd, "HTTP/1.1 200 OK\r\n\r\nx1\nx2\nlast");
  });
  EngineHttp http(server.path());
  std::vector<std::string> lines;
  auto collect = [&](std::string_view line) {
    lines.emplace_back(line);
    return true;
  };
  auto start = std::chrono::steady_clock::now();
  auto waited = http.stream_lines("/events", 300, collect);
  ASSERT_TRUE(waited) << waited.error().detail;
  EXPECT_GE(std::chrono::steady_clock::now() - start, 300ms);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1200ms);
  EXPECT_EQ(lines, std::vector<std::string>{"line1"}) << "a line cut by the deadline is not handed on";
  lines.clear();
  auto ended = http.stream_lines("/events", 3000, collect);
  ASSERT_TRUE(ended) << ended.error().detail;
  EXPECT_EQ(lines, (std::vector<std::string>{"x1", "x2", "last"}));
}

TEST(EngineHttp, NonOkAnswerToAStreamIsReturnedWhole) {
  ScriptServer server([](int fd, int) {
    read_request(fd);
    send_text(fd, sized(400, "{\"message\":\"bad filter\"}\n"));
  });
  EngineHttp http(server.path());
  int calls = 0;
  auto answer = http.stream_lines("/events", 2000, [&](std::string_view) { return ++calls > 0; });
  ASSERT_TRUE(answer) << answer.error().detail;
  EXPECT_EQ(answer->status, 400);
  EXPECT_EQ(answer->body, "{\"message\":\"bad filter\"}\n");
  EXPECT_EQ(calls, 0);
}

TEST(EngineHttp, InterimAnswersAreSkippedAndNoContentHasNoBody) {
  ScriptServer server([](int fd, int) {
    read_request(fd);
    send_text(fd, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX: y\r\n\r\n" + sized(200, "real"));
    read_request(fd);
    send_text(fd, "HTTP/1.1 204 No Content\r\n\r\n");
    read_request(fd);  // same connection: the 204 left nothing unread
    send_text(fd, sized(404, "{\"message\":\"No such container: x\"}"));
  });
  EngineHttp http(server.path());
  auto real = http.get("/a", 2000);
  ASSERT_TRUE(real) << real.error().detail;
  EXPECT_EQ(real->status, 200);
  EXPECT_EQ(real->body, "real");
  auto none = http.get("/b", 2000);
  ASSERT_TRUE(none) << none.error().detail;
  EXPECT_EQ(none->status, 204);
  EXPECT_EQ(none->body, "");
  auto missing = http.get("/c", 2000);
  ASSERT_TRUE(missing) << missing.error().detail;
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->body, "{\"message\":\"No such container: x\"}");
  EXPECT_EQ(server.connections(), 1);
}

TEST(EngineHttp, GarbageIsNotHttpEvenIfThePeerKeepsTheConnectionOpen) {
  ScriptServer server([](int fd, int index) {
    read_request(fd);
    if (index == 0) send_text(fd, "\x16\x03\x01 binary");
    if (index == 1) send_text(fd, "HTTP/1.1 2x0 OK\r\n\r\n");
    if (index == 2) send_text(fd, "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n");
    if (index == 3) send_text(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    if (index == 4) send_text(fd, "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n");
    drain(fd);
  });
  EngineHttp http(server.path());
  auto start = std::chrono::steady_clock::now();
  auto binary = http.get("/", 5000);
  ASSERT_FALSE(binary);
  EXPECT_EQ(binary.error().kind, HttpFailureKind::protocol);
  EXPECT_EQ(binary.error().detail, "no HTTP answer");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms) << "known garbage fails at once, not at the timeout";
  std::vector<std::string> details;
  for (int i = 0; i < 4; ++i) {
    auto bad = http.get("/", 2000);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().kind, HttpFailureKind::protocol);
    details.push_back(bad.error().detail);
  }
  EXPECT_EQ(details, (std::vector<std::string>{"no HTTP answer", "bad header line", "bad chunk size",
                                               "bad Content-Length"}));
}

TEST(EngineHttp, SilentPeerTimesOut) {
  ScriptServer server([](int fd, int) {
    read_request(fd);
    drain(fd);
  });
  EngineHttp http(server.path());
  auto start = std::chrono::steady_clock::now();
  auto answer = http.get("/", 250);
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().kind, HttpFailureKind::timeout);
  EXPECT_EQ(answer.error().detail, "no answer within 250 ms");
  EXPECT_GE(std::chrono::steady_clock::now() - start, 250ms);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1200ms);
}

TEST(EngineHttp, PeerHangingUpMidAnswer) {
  ScriptServer server([](int fd, int index) {
    read_request(fd);
    if (index == 0) send_text(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part");
    if (index == 1) send_text(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc");
    if (index == 2) send_text(fd, "HTTP/1.1 200 OK\r\nContent-");
    // index 3: closes without a word
  });
  EngineHttp http(server.path());
  for (int i = 0; i < 3; ++i) {
    auto cut = http.get("/", 2000);
    ASSERT_FALSE(cut);
    EXPECT_EQ(cut.error().kind, HttpFailureKind::closed) << i;
    EXPECT_EQ(cut.error().detail, "connection closed before the answer ended");
  }
  auto nothing = http.get("/", 2000);
  ASSERT_FALSE(nothing);
  EXPECT_EQ(nothing.error().kind, HttpFailureKind::protocol);
  EXPECT_EQ(nothing.error().detail, "no HTTP answer");
}

TEST(EngineHttp, OversizedLinesAndBodiesAreRefused) {
  ScriptServer server([](int fd, int index) {
    read_request(fd);
    if (index == 0) {
      send_text(fd, "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(k_max_http_body_bytes + 1) + "\r\n\r\n");
    } else if (index == 1) {
      send_text(fd, "HTTP/1.1 200 OK\r\nX-Big: ");
      send_text(fd, std::string(k_max_http_line_bytes + 10, 'h'));
    } else if (index == 2) {
      send_text(fd, "HTTP/1.1 200 OK\r\n\r\n");
      send_text(fd, std::string(k_max_http_line_bytes + 10, 'l'));  // one endless event line
    } else if (index == 3) {
      std::string header = "X-Many: " + std::string(1000, 'm') + "\r\n";
      std::string head = "HTTP/1.1 200 OK\r\n";
      while (head.size() <= k_max_http_head_bytes + 10000) head += header;
      send_text(fd, head);
    }
    drain(fd);
  });
  EngineHttp http(server.path());
  auto body = http.get("/", 3000);
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().kind, HttpFailureKind::too_large);
  EXPECT_EQ(body.error().detail, "an answer larger than 67108864 bytes");
  auto header = http.get("/", 3000);
  ASSERT_FALSE(header);
  EXPECT_EQ(header.error().kind, HttpFailureKind::too_large);
  EXPECT_EQ(header.error().detail, "a header line longer than 1048576 bytes");
  auto line = http.stream_lines("/", 3000, [](std::string_view) { return true; });
  ASSERT_FALSE(line);
  EXPECT_EQ(line.error().kind, HttpFailureKind::too_large);
  EXPECT_EQ(line.error().detail, "a line longer than 1048576 bytes");
  auto head = http.get("/", 3000);
  ASSERT_FALSE(head);
  EXPECT_EQ(head.error().kind, HttpFailureKind::too_large);
  EXPECT_EQ(head.error().detail, "headers larger than 262144 bytes");
}

TEST(EngineHttp, CancelEndsAStreamWaitingInAnotherThread) {
  ScriptServer server([](int fd, int) {
    read_request(fd);
    send_text(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\none\n\r\n");
    drain(fd);  // an idle event stream
  });
  EngineHttp http(server.path());
  std::vector<std::string> lines;
  HttpResult<HttpAnswer> answer = tl::unexpected(HttpFailure{});
  auto start = std::chrono::steady_clock::now();
  std::thread reader([&] {
    answer = http.stream_lines("/events", 60000, [&](std::string_view line) {
      lines.emplace_back(line);
      return true;
    });
  });
  std::this_thread::sleep_for(200ms);
  http.cancel();
  reader.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  ASSERT_TRUE(answer) << answer.error().detail;
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(lines, std::vector<std::string>{"one"});
  auto later = http.get("/", 60000);  // cancelled for good
  ASSERT_FALSE(later);
  EXPECT_EQ(later.error().kind, HttpFailureKind::timeout);
}

TEST(EngineHttp, ConnectFailuresNameTheSystemError) {
  testing::TempDir dir;
  EngineHttp http(dir.path() + "/absent.sock");
  auto answer = http.get("/version", 1000);
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().kind, HttpFailureKind::connect);
  EXPECT_EQ(answer.error().detail, "No such file or directory");
}

}  // namespace
}  // namespace stackfit
