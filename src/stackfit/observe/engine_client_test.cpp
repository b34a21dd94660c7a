// EngineClient against real sockets this test creates: a missing path, a
// socket nobody listens on, one the caller may not open, and small HTTP
// servers that are not a Docker Engine (a 404 page, a peer that does not
// speak HTTP, an engine too old). The real dockerd is exercised by
// tests/integration/engine_client_test.sh.
#include "stackfit/observe/engine_client.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "stackfit/util/file_io.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

// Binds (and, if asked, listens on) a unix socket; returns the fd or -1.
int bind_unix(const std::string& path, bool listen_too) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) return -1;
  if (listen_too && ::listen(fd, 8) != 0) return -1;
  return fd;
}

// A real unix-socket server: answers each connection's first request with
// respond(request head) and closes it. Serves until destroyed.
class TinyServer {
 public:
  TinyServer(std::string path, std::function<std::string(const std::string&)> respond)
      : m_fd(bind_unix(path, true)), m_respond(std::move(respond)) {
    m_thread = std::thread([this] { serve(); });
  }
  ~TinyServer() {
    ::shutdown(m_fd, SHUT_RDWR);
    ::close(m_fd);
    m_thread.join();
  }
  TinyServer(const TinyServer&) = delete;
  TinyServer& operator=(const TinyServer&) = delete;

  std::vector<std::string> requests() {
    std::lock_guard lock(m_mutex);
    return m_requests;
  }

 private:
  void serve() {
    for (;;) {
      int client = ::accept(m_fd, nullptr, nullptr);
      if (client < 0) return;
      std::string head;
      char buffer[4096];
      while (head.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::read(client, buffer, sizeof(buffer));
        if (n <= 0) break;
        head.append(buffer, static_cast<std::size_t>(n));
      }
      {
        std::lock_guard lock(m_mutex);
        m_requests.push_back(head.substr(0, head.find("\r\n")));
      }
      std::string answer = m_respond(head);
      (void)!::write(client, answer.data(), answer.size());
      ::close(client);
    }
  }

  int m_fd;
  std::function<std::string(const std::string&)> m_respond;
  std::mutex m_mutex;
  std::vector<std::string> m_requests;
  std::thread m_thread;
};

std::string http_answer(int status, const std::string& reason, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + " " + reason +
         "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

std::string fixture(const std::string& name) {
  return read_file(testing::source_path("tests/fixtures/engine/" + name)).value_or("");
}

// A captured dockerd /version answer with its ApiVersion replaced.
std::string version_body(const std::string& api_version) {
  std::string body = fixture("version.json");
  const std::string key = "\"ApiVersion\": \"1.41\"";
  for (auto at = body.find(key); at != std::string::npos; at = body.find(key, at + 1)) {
    body.replace(at, key.size(), "\"ApiVersion\": \"" + api_version + "\"");
  }
  return body;
}

TEST(EngineClientResolve, FlagThenEnvironmentThenDefault) {
  EXPECT_EQ(*resolve_engine_socket("unix:///a.sock", "unix:///b.sock"), "/a.sock");
  EXPECT_EQ(*resolve_engine_socket("", "unix:///run/podman/podman.sock"), "/run/podman/podman.sock");
  EXPECT_EQ(*resolve_engine_socket("", ""), "/var/run/docker.sock");
  EXPECT_EQ(*resolve_engine_socket("/tmp/x/docker.sock", ""), "/tmp/x/docker.sock");
}

TEST(EngineClientResolve, RefusesRemoteAndEmptyAddresses) {
  auto tcp = resolve_engine_socket("", "tcp://10.0.0.1:2375");
  ASSERT_FALSE(tcp.has_value());
  EXPECT_EQ(tcp.error().code, ErrorCode::usage);
  EXPECT_EQ(tcp.error().message,
            "DOCKER_HOST=tcp://10.0.0.1:2375: only unix:// sockets are supported (stackfit talks to local engines)");
  EXPECT_EQ(resolve_engine_socket("ssh://me@box", "").error().message,
            "--host ssh://me@box: only unix:// sockets are supported (stackfit talks to local engines)");
  EXPECT_EQ(resolve_engine_socket("unix://", "").error().message, "--host unix://: no socket path");
  EXPECT_EQ(resolve_engine_socket("unix:///" + std::string(120, 'a'), "").error().message,
            "--host unix:///" + std::string(120, 'a') + ": socket path longer than 107 bytes");
}

TEST(EngineClientErrors, MissingSocket) {
  testing::TempDir dir;
  std::string path = dir.path() + "/absent.sock";
  EngineClient client(path);
  auto version = client.version();
  ASSERT_FALSE(version.has_value());
  EXPECT_EQ(version.error().code, ErrorCode::unavailable);
  EXPECT_EQ(version.error().message, path + ": connect: No such file or directory");
  // Every call negotiates first, so every call says the same.
  EXPECT_EQ(client.list_container_ids({}).error().message, path + ": connect: No such file or directory");
}

TEST(EngineClientErrors, NobodyListening) {
  testing::TempDir dir;
  std::string path = dir.path() + "/stale.sock";
  int fd = bind_unix(path, false);  // the file exists, nothing accepts: a dead daemon's socket
  ASSERT_GE(fd, 0);
  ::close(fd);
  EngineClient client(path);
  EXPECT_EQ(client.version().error().message, path + ": connect: Connection refused");
  EXPECT_EQ(client.inspect("abc").error().message, path + ": connect: Connection refused");
}

TEST(EngineClientErrors, PermissionDenied) {
  testing::TempDir dir;
  std::string path = dir.path() + "/root-only.sock";
  TinyServer server(path, [](const std::string&) { return http_answer(200, "OK", version_body("1.41")); });
  if (::geteuid() != 0) {
    // Not root: the socket in a 0700 folder of ours is reachable; nothing to test here.
    GTEST_SKIP() << "needs root to drop to an unprivileged uid";
  }
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // As nobody, the 0700 temp folder (owned by root) cannot be searched.
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
    EngineClient client(path);
    auto version = client.version();
    std::string message = version ? "connected" : version.error().message;
    (void)!::write(pipe_fds[1], message.data(), message.size());
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string message;
  char buffer[512];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof(buffer))) > 0;) message.append(buffer, n);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_EQ(message, path + ": connect: Permission denied");
}

TEST(EngineClientErrors, HttpServerThatIsNotAnEngine) {
  testing::TempDir dir;
  std::string path = dir.path() + "/web.sock";
  TinyServer server(path, [](const std::string&) { return http_answer(404, "Not Found", "404 page not found\n"); });
  EngineClient client(path);
  auto version = client.version();
  ASSERT_FALSE(version.has_value());
  EXPECT_EQ(version.error().code, ErrorCode::unavailable);
  EXPECT_EQ(version.error().message, path + ": not a Docker Engine API (HTTP 404 on GET /version)");
  EXPECT_EQ(server.requests().front(), "GET /version HTTP/1.1");
}

TEST(EngineClientErrors, HttpServerWithJsonThatIsNotAnEngine) {
  testing::TempDir dir;
  std::string path = dir.path() + "/json.sock";
  TinyServer server(path, [](const std::string&) { return http_answer(200, "OK", R"({"status":"ok"})"); });
  EngineClient client(path);
  EXPECT_EQ(client.version().error().message,
            path + ": not a Docker Engine API (the answer to GET /version has no ApiVersion)");
}

TEST(EngineClientErrors, PeerThatDoesNotSpeakHttp) {
  testing::TempDir dir;
  std::string path = dir.path() + "/ssh.sock";
  TinyServer server(path, [](const std::string&) { return std::string("SSH-2.0-OpenSSH_9.2\r\n"); });
  EngineClient client(path);
  EXPECT_EQ(client.version().error().message, path + ": not a Docker Engine API (no HTTP answer)");
}

TEST(EngineClientErrors, EngineTooOld) {
  testing::TempDir dir;
  std::string path = dir.path() + "/old.sock";
  TinyServer server(path, [](const std::string&) { return http_answer(200, "OK", version_body("1.12")); });
  EngineClient client(path);
  auto version = client.version();
  ASSERT_FALSE(version.has_value());
  EXPECT_EQ(version.error().code, ErrorCode::unavailable);
  EXPECT_EQ(version.error().message, path + ": API version 1.12 too old (need 1.40)");
}

TEST(EngineClientNegotiation, NewerEngineIsSpokenToAt141) {
  testing::TempDir dir;
  std::string path = dir.path() + "/new.sock";
  TinyServer server(path, [](const std::string& head) {
    if (head.starts_with("GET /version ")) return http_answer(200, "OK", version_body("1.47"));
    return http_answer(200, "OK", "[]");
  });
  EngineClient client(path);
  EXPECT_EQ(*client.list_container_ids({"shop"}), std::vector<std::string>{});
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1],
            "GET /v1.41/containers/json?filters=%7B%22label%22%3A%5B%22com.docker.compose.project%3Dshop%22%5D%7D "
            "HTTP/1.1");
}

TEST(EngineClientNegotiation, Engine140IsSpokenToAt140) {
  testing::TempDir dir;
  std::string path = dir.path() + "/v140.sock";
  TinyServer server(path, [](const std::string&) { return http_answer(200, "OK", version_body("1.40")); });
  EngineClient client(path);
  EXPECT_EQ(*client.version(), "1.40");
}

TEST(EngineClientEvents, StreamStopsWhenTheCallerSaysSo) {
  testing::TempDir dir;
  std::string path = dir.path() + "/events.sock";
  TinyServer server(path, [](const std::string& head) {
    if (head.starts_with("GET /version ")) return http_answer(200, "OK", version_body("1.41"));
    return http_answer(200, "OK", fixture("events.jsonl"));  // a captured dockerd stream
  });
  EngineClient client(path);
  std::vector<ContainerEvent> seen;
  auto streamed = client.stream_events(1700000000, 0, [&](const ContainerEvent& event) {
    seen.push_back(event);
    return seen.size() < 3;
  });
  ASSERT_TRUE(streamed.has_value()) << streamed.error().message;
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].kind, EventKind::start);
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_TRUE(requests[1].starts_with("GET /v1.41/events?since=1700000000&filters=")) << requests[1];
  EXPECT_NE(requests[1].find("&until="), std::string::npos) << "timeout 0 replays what is buffered, then ends";
}

TEST(EngineClientEvents, PodmanReplayEndsOnStreamFalseNotUntil) {
  // Podman 4.3 ends its stream at once on a past `until`: a replay asks it
  // for stream=false. The answers are ones captured from a real Podman.
  testing::TempDir dir;
  std::string path = dir.path() + "/podman.sock";
  TinyServer server(path, [](const std::string& head) {
    if (head.starts_with("GET /version ")) return http_answer(200, "OK", fixture("podman/version.json"));
    return http_answer(200, "OK", fixture("podman/events.jsonl"));
  });
  EngineClient client(path);
  std::vector<ContainerEvent> seen;
  auto streamed = client.stream_events(1700000000, 0, [&](const ContainerEvent& event) {
    seen.push_back(event);
    return true;
  });
  ASSERT_TRUE(streamed.has_value()) << streamed.error().message;
  EXPECT_EQ(seen.size(), 4u);  // start, start, die, remove (as destroy)
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().kind, EventKind::destroy);
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_TRUE(requests[1].starts_with("GET /v1.41/events?since=1700000000&filters=")) << requests[1];
  EXPECT_NE(requests[1].find("&stream=false "), std::string::npos) << requests[1];
  EXPECT_EQ(requests[1].find("until="), std::string::npos) << requests[1];
}

TEST(EngineClientErrors, AnswerCutShort) {
  testing::TempDir dir;
  std::string path = dir.path() + "/cut.sock";
  TinyServer server(path, [](const std::string& head) {
    if (head.starts_with("GET /version ")) return http_answer(200, "OK", version_body("1.41"));
    std::string body = fixture("inspect_limited.json");
    return http_answer(200, "OK", body).substr(0, 300);  // Content-Length says more: the peer hung up
  });
  EngineClient client(path);
  auto info = client.inspect("sf-limited");
  ASSERT_FALSE(info.has_value());
  EXPECT_EQ(info.error().code, ErrorCode::unavailable);
  EXPECT_EQ(info.error().message,
            path + ": GET /v1.41/containers/sf-limited/json: connection closed before the answer ended");
}

TEST(EngineClientEvents, NotFoundAnswerIsOneLine) {
  testing::TempDir dir;
  std::string path = dir.path() + "/nf.sock";
  TinyServer server(path, [](const std::string& head) {
    if (head.starts_with("GET /version ")) return http_answer(200, "OK", version_body("1.41"));
    return http_answer(404, "Not Found", fixture("inspect_missing.json"));
  });
  EngineClient client(path);
  auto info = client.inspect("no-such-container");
  ASSERT_FALSE(info.has_value());
  EXPECT_EQ(info.error().code, ErrorCode::not_found);
  EXPECT_EQ(info.error().message,
            path + ": GET /v1.41/containers/no-such-container/json: HTTP 404: No such container: no-such-container");
}

}  // namespace
}  // namespace stackfit
