// The recorder's handling of health events, against a fake engine served on
// a real unix socket (one thread per connection: the event stream keeps its
// own) and the v2 cgroup fixture tree, with time driven by a FakeClock (no
// sleeps: the recorder ticks as fast as it can, and the test stops it once the
// store holds what it waits for): a container that starts during the
// recording is discovered with its health check, its start and health events
// are stored, and a status the engine repeats (Podman sends one after every
// check) is stored once per change.
#include "stackfit/record/recorder.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "stackfit/store/sample_store.hpp"
#include "stackfit/util/clock.hpp"
#include "testing/http_peer.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

using stackfit::testing::read_request;
using stackfit::testing::send_text;

constexpr const char* k_id = "81d0e6c4b2a9f7e5d3c1b8a6f4e2d0c9b7a5f3e1d8c6b4a2f0e9d7c5b3a1f8e6";  // in the v2 fixture
constexpr int k_pid = 4242;

std::string sized(const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

std::string chunk(const std::string& data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return size + data + "\r\n";
}

// The fake clock's start (2027-01-15) and the events' times after it.
constexpr std::int64_t k_start_ns = 1'800'000'000'000'000'000;
constexpr std::int64_t k_ms = 1'000'000;

std::string event(const std::string& action, std::int64_t t_ns, const std::string& extra = "") {
  return R"({"Type":"container","Action":")" + action + R"(","Actor":{"ID":")" + k_id +
         R"(","Attributes":{"name":"shop-web-1"}},"timeNano":)" + std::to_string(t_ns) + extra + "}\n";
}

// The engine: no container until the stream has sent its start; then one,
// whose inspection carries a health check. The stream waits for the
// recorder's first list of containers (so the container starts during the
// recording, as in the original race), then sends every event at once.
class FakeEngine {
 public:
  explicit FakeEngine(std::string path) : m_path(std::move(path)) {
    m_fd = testing::listen_unix(m_path, 8);
    EXPECT_GE(m_fd, 0) << m_path << ": cannot bind and listen";
    m_accept = std::thread([this] {
      for (;;) {
        int client = ::accept(m_fd, nullptr, nullptr);
        if (client < 0) return;
        std::lock_guard lock(m_mutex);
        m_clients.emplace_back([this, client] { serve(client); });
      }
    });
  }
  ~FakeEngine() {
    ::shutdown(m_fd, SHUT_RDWR);
    ::close(m_fd);
    m_accept.join();
    std::lock_guard lock(m_mutex);
    for (std::thread& t : m_clients) t.join();
  }
  FakeEngine(const FakeEngine&) = delete;
  FakeEngine& operator=(const FakeEngine&) = delete;

  std::atomic<bool> streamed_all = false;

  // Waits (bounded) until the recorder has listed the containers once.
  bool wait_listed() {
    std::unique_lock lock(m_listed_mutex);
    return m_listed_cv.wait_for(lock, std::chrono::seconds(10), [this] { return m_listed; });
  }

 private:
  void serve(int fd) {
    for (std::string head; !(head = read_request(fd)).empty();) {
      std::string target = head.substr(4, head.find(' ', 4) - 4);
      if (target == "/version") {
        send_text(fd, sized(R"({"ApiVersion":"1.41"})"));
      } else if (target.starts_with("/v1.41/containers/json")) {
        send_text(fd, sized(m_started ? std::string(R"([{"Id":")") + k_id + "\"}]" : "[]"));
        {
          std::lock_guard lock(m_listed_mutex);
          m_listed = true;
        }
        m_listed_cv.notify_all();
      } else if (target.starts_with("/v1.41/containers/")) {
        send_text(fd, sized(std::string(R"({"Id":")") + k_id + R"(","Name":"/shop-web-1","Config":{"Image":"web",)" +
                            R"("Labels":{"com.docker.compose.project":"shop","com.docker.compose.service":"web"},)" +
                            R"("Healthcheck":{"Test":["CMD-SHELL","test -f /ready"],"Interval":1000000000}},)" +
                            R"("State":{"Pid":)" + std::to_string(k_pid) + "}}"));
      } else if (target.starts_with("/v1.41/events")) {
        send_text(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        if (!wait_listed()) break;
        m_started = true;
        // The start and the first status together (the container is not
        // tracked yet when they arrive), then Podman-style repeats. Times
        // rise: the recorder skips an event no later than the last it took.
        std::string all = event("start", k_start_ns + 100 * k_ms);
        all += event("health_status: healthy", k_start_ns + 110 * k_ms);
        all += event("health_status", k_start_ns + 350 * k_ms, R"(,"HealthStatus":"healthy")");
        all += event("health_status: unhealthy", k_start_ns + 450 * k_ms);
        all += event("health_status: unhealthy", k_start_ns + 460 * k_ms);
        all += event("health_status: healthy", k_start_ns + 550 * k_ms);
        // Set before the send: once the bytes are in the socket the
        // recorder may store them all and the test read this flag before
        // this thread runs again.
        streamed_all = true;
        send_text(fd, chunk(all));
        char buffer[256];
        while (::read(fd, buffer, sizeof buffer) > 0) {
        }
        break;
      } else {
        send_text(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
      }
    }
    ::close(fd);
  }

  std::string m_path;
  int m_fd = -1;
  std::atomic<bool> m_started = false;
  std::mutex m_mutex;         // m_clients
  std::mutex m_listed_mutex;  // m_listed
  std::condition_variable m_listed_cv;
  bool m_listed = false;
  std::vector<std::thread> m_clients;
  std::thread m_accept;
};

TEST(RecorderHealth, StoresHealthChecksAndStatusChangesOfAContainerStartedDuringTheRecording) {
  testing::TempDir dir;
  dir.write("proc/" + std::to_string(k_pid) + "/cgroup",
            std::string("0::/system.slice/docker-") + k_id + ".scope\n");
  auto store = SampleStore::open(dir.path() + "/s.db");
  ASSERT_TRUE(store) << store.error().message;
  FakeEngine engine(dir.path() + "/engine.sock");

  RecordOptions options;
  options.engine_socket = dir.path() + "/engine.sock";
  options.filter.project = "shop";
  options.interval_ms = 50;
  options.proc_root = dir.path() + "/proc";
  options.mounts.version = CgroupVersion::v2;
  options.mounts.memory_root = testing::source_path("tests/fixtures/cgroup/v2");
  FakeClock clock(k_start_ns);
  Recorder recorder(options, &*store, clock);
  std::atomic<bool> stop = false;
  // Each tick: stop once the three status changes are stored, or after 10 s
  // of real time (the events never came: the assertions below say so).
  const std::int64_t give_up_ms = monotonic_now_ms() + 10'000;
  auto on_tick = [&](const RecordProgress&, const std::vector<LiveReading>&) {
    auto health = store->load_health(0, INT64_MAX);
    if ((health && health->size() >= 3) || monotonic_now_ms() > give_up_ms) stop = true;
  };
  auto started = recorder.run(stop, on_tick);
  ASSERT_TRUE(started) << started.error().message;
  EXPECT_EQ(*started, k_start_ns);
  ASSERT_TRUE(engine.streamed_all);

  auto containers = store->load_containers();
  ASSERT_TRUE(containers) << containers.error().message;
  ASSERT_EQ(containers->size(), 1u);
  EXPECT_EQ((*containers)[0].service, "web");
  ASSERT_TRUE((*containers)[0].healthcheck.has_value());
  EXPECT_EQ((*containers)[0].healthcheck->test, R"(["CMD-SHELL","test -f /ready"])");
  EXPECT_EQ((*containers)[0].healthcheck->interval_ns, 1'000'000'000);
  auto starts = store->load_starts(0, INT64_MAX);
  ASSERT_TRUE(starts);
  EXPECT_EQ(starts->size(), 1u);
  auto health = store->load_health(0, INT64_MAX);
  ASSERT_TRUE(health);
  std::vector<bool> statuses;
  for (const auto& h : *health) statuses.push_back(h.healthy);
  // healthy, (healthy again: dropped), unhealthy, (unhealthy again: dropped), healthy.
  EXPECT_EQ(statuses, (std::vector<bool>{true, false, true}));
  ASSERT_FALSE(starts->empty());
  ASSERT_FALSE(health->empty());
  // The first status is the one sent with the start (stored once discovery
  // gave the container a key), not the repeat 250 ms later; each at the
  // engine's time.
  EXPECT_EQ((*starts)[0].time_ns, k_start_ns + 100 * k_ms);
  EXPECT_EQ((*health)[0].time_ns, k_start_ns + 110 * k_ms);
  EXPECT_EQ((*health)[1].time_ns, k_start_ns + 450 * k_ms);
  EXPECT_EQ((*health)[2].time_ns, k_start_ns + 550 * k_ms);
}

TEST(RecorderRetention, PeriodIsATenthOfKeepBetweenOneIntervalAndTenMinutes) {
  RecordOptions o;
  o.interval_ms = 1000;
  o.keep_ms = 14LL * 24 * 3600 * 1000;
  EXPECT_EQ(retention_period_ms(o), 600'000);
  o.keep_ms = 60'000;
  EXPECT_EQ(retention_period_ms(o), 6'000);
  o.keep_ms = 2'000;
  EXPECT_EQ(retention_period_ms(o), 1'000);
  o.interval_ms = 900'000;  // an interval longer than 10 minutes: once per interval
  EXPECT_EQ(retention_period_ms(o), 900'000);
}

std::int64_t sqlite_int(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  std::int64_t out = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
    out = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

TEST(RecorderRetention, KeepPrunesWhileRecordingNotOnlyAtStart) {
  testing::TempDir dir;
  std::string path = dir.path() + "/s.db";
  auto store = SampleStore::open(path);
  ASSERT_TRUE(store) << store.error().message;
  RecordOptions options;
  options.cgroups = {std::string("system.slice/docker-") + k_id + ".scope"};
  options.interval_ms = 100;
  options.keep_ms = 300;  // pruned every 100 ms (one interval)
  options.mounts.version = CgroupVersion::v2;
  options.mounts.memory_root = testing::source_path("tests/fixtures/cgroup/v2");
  options.duration_ms = 1500;  // 16 ticks of fake time: no sleep
  FakeClock clock(k_start_ns);
  Recorder recorder(options, &*store, clock);
  std::atomic<bool> stop = false;
  auto started = recorder.run(stop, nullptr);
  ASSERT_TRUE(started) << started.error().message;
  EXPECT_EQ(*started, k_start_ns);
  std::int64_t newest = sqlite_int(path, "SELECT max(time_ns) FROM samples");
  std::int64_t oldest = sqlite_int(path, "SELECT min(time_ns) FROM samples");
  EXPECT_GE(oldest, *started + 600'000'000) << "samples of the first second were kept";
  // At most keep + one period + one interval (the tick before a prune) of samples remain.
  EXPECT_LE(newest - oldest, 500'000'000);
}

}  // namespace
}  // namespace stackfit
