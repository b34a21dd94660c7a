// The loopback HTTP/1.1 server behind `stackfit record --listen`: one thread
// that polls the listening socket and a bounded set of connections, all
// non-blocking, each with a deadline, one request per connection. It never
// touches the recording: the recorder publishes its latest readings with
// publish(), and /metrics renders them when a client asks.
#pragma once

#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "stackfit/model/sample.hpp"
#include "stackfit/serve/http_request.hpp"

namespace stackfit {

struct MetricsServerLimits {
  int client_timeout_ms = 5000;  // whole request and answer, per connection
  std::size_t max_clients = 16;  // a further connection closes the oldest one
};

class MetricsServer {
 public:
  // Binds and listens (errors: address in use, not permitted, not local:
  // ErrorCode::unavailable, naming the address), then serves in a thread.
  [[nodiscard]] static Expected<std::unique_ptr<MetricsServer>> start(const ListenAddress& address,
                                                                      MetricsServerLimits limits = {});
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // Replaces the readings /metrics shows.
  void publish(std::vector<LiveReading> readings);
  // The bound port (useful when asked for port 0 in tests).
  [[nodiscard]] std::uint16_t port() const { return m_port; }

 private:
  MetricsServer(int listen_fd, int wake_read, int wake_write, std::uint16_t port, MetricsServerLimits limits);
  void serve();
  std::string render();

  int m_listen_fd;
  int m_wake_read;
  int m_wake_write;
  std::uint16_t m_port;
  MetricsServerLimits m_limits;
  std::mutex m_mutex;
  std::vector<LiveReading> m_readings;
  std::thread m_thread;
};

// Binds a listening TCP socket (SO_REUSEADDR, non-blocking); used by start().
[[nodiscard]] Expected<int> listen_on(const ListenAddress& address, std::uint16_t* bound_port);

}  // namespace stackfit
