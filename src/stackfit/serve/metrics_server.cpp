#include "stackfit/serve/metrics_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "stackfit/emit/prometheus_metrics.hpp"
#include "stackfit/util/clock.hpp"

namespace stackfit {
namespace {

struct Client {
  int fd = -1;
  std::int64_t deadline_ms = 0;
  std::string in;
  std::string out;
  std::size_t sent = 0;
  bool answering = false;
};

void close_client(Client& c) {
  if (c.fd >= 0) ::close(c.fd);
  c.fd = -1;
}

}  // namespace

Expected<int> listen_on(const ListenAddress& address, std::uint16_t* bound_port) {
  int family = address.ipv6 ? AF_INET6 : AF_INET;
  int fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  auto fail = [&](const char* what) {
    int err = errno;
    if (fd >= 0) ::close(fd);
    return make_error(ErrorCode::unavailable,
                      "--listen " + address.text() + ": " + what + ": " + std::strerror(err));
  };
  if (fd < 0) return fail("socket");
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_storage storage{};
  socklen_t len = 0;
  if (address.ipv6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&storage);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(address.port);
    ::inet_pton(AF_INET6, address.host.c_str(), &a->sin6_addr);
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    len = sizeof *a;
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&storage);
    a->sin_family = AF_INET;
    a->sin_port = htons(address.port);
    ::inet_pton(AF_INET, address.host.c_str(), &a->sin_addr);
    len = sizeof *a;
  }
  if (::bind(fd, reinterpret_cast<sockaddr*>(&storage), len) != 0) return fail("bind");
  if (::listen(fd, 64) != 0) return fail("listen");
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &len) != 0) return fail("getsockname");
  *bound_port = ntohs(address.ipv6 ? reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port
                                   : reinterpret_cast<sockaddr_in*>(&storage)->sin_port);
  return fd;
}

Expected<std::unique_ptr<MetricsServer>> MetricsServer::start(const ListenAddress& address,
                                                              MetricsServerLimits limits) {
  std::uint16_t port = 0;
  auto fd = listen_on(address, &port);
  TRY(fd);
  int wake[2];
  if (::pipe2(wake, O_NONBLOCK | O_CLOEXEC) != 0) {
    int err = errno;
    ::close(*fd);
    return make_error(ErrorCode::io, std::string("--listen: pipe: ") + std::strerror(err));
  }
  return std::unique_ptr<MetricsServer>(new MetricsServer(*fd, wake[0], wake[1], port, limits));
}

MetricsServer::MetricsServer(int listen_fd, int wake_read, int wake_write, std::uint16_t port,
                             MetricsServerLimits limits)
    : m_listen_fd(listen_fd), m_wake_read(wake_read), m_wake_write(wake_write), m_port(port), m_limits(limits) {
  m_thread = std::thread([this] { serve(); });
}

MetricsServer::~MetricsServer() {
  char byte = 'x';
  (void)!::write(m_wake_write, &byte, 1);
  if (m_thread.joinable()) m_thread.join();
  ::close(m_listen_fd);
  ::close(m_wake_read);
  ::close(m_wake_write);
}

void MetricsServer::publish(std::vector<LiveReading> readings) {
  std::lock_guard<std::mutex> lock(m_mutex);
  m_readings = std::move(readings);
}

std::string MetricsServer::render() {
  std::vector<LiveReading> copy;
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    copy = m_readings;
  }
  return render_prometheus_metrics(copy);
}

void MetricsServer::serve() {
  std::vector<Client> clients;
  std::vector<pollfd> fds;
  std::int64_t accept_paused_until = 0;  // after EMFILE/ENFILE: do not spin on a readable listener
  for (;;) {
    std::int64_t now = monotonic_now_ms();
    // Drop clients past their deadline (slow, half-open, silent).
    for (Client& c : clients) {
      if (c.deadline_ms <= now) close_client(c);
    }
    std::erase_if(clients, [](const Client& c) { return c.fd < 0; });

    fds.clear();
    fds.push_back({m_wake_read, POLLIN, 0});
    bool accepting = now >= accept_paused_until;
    fds.push_back({accepting ? m_listen_fd : -1, POLLIN, 0});
    int timeout = now < accept_paused_until ? static_cast<int>(accept_paused_until - now) : -1;
    for (const Client& c : clients) {
      fds.push_back({c.fd, static_cast<short>(c.answering ? POLLOUT : POLLIN), 0});
      int left = static_cast<int>(std::max<std::int64_t>(0, c.deadline_ms - now));
      timeout = timeout < 0 ? left : std::min(timeout, left);
    }
    int ready = ::poll(fds.data(), fds.size(), timeout);
    if ((ready < 0 && errno != EINTR) || fds[0].revents != 0) break;  // asked to stop
    now = monotonic_now_ms();

    for (std::size_t i = 0; i < clients.size(); ++i) {
      Client& c = clients[i];
      short ev = fds[i + 2].revents;
      if (ev == 0) continue;
      if (!c.answering) {
        char buf[2048];
        ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
          close_client(c);  // gone before asking anything
          continue;
        }
        if (n > 0) c.in.append(buf, static_cast<std::size_t>(n));
        RequestHead head = parse_request_head(c.in);
        if (head.status == HeadStatus::incomplete) continue;
        c.out = answer_request(head, [this] { return render(); }).bytes;
        c.in.clear();
        c.in.shrink_to_fit();
        c.answering = true;
        ::shutdown(c.fd, SHUT_RD);
      }
      ssize_t n = ::send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) c.sent += static_cast<std::size_t>(n);
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || c.sent == c.out.size()) close_client(c);
    }

    if (accepting && (fds[1].revents & POLLIN) != 0) {
      for (std::size_t n = 0; n < m_limits.max_clients; ++n) {
        int fd = ::accept4(m_listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
          if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
            accept_paused_until = now + 100;
          }
          break;
        }
        if (clients.size() >= m_limits.max_clients) {
          // Full: the oldest connection makes room, so clients that hold a
          // connection open without asking cannot keep a scraper out.
          auto oldest = std::min_element(clients.begin(), clients.end(), [](const Client& a, const Client& b) {
            return a.deadline_ms < b.deadline_ms;
          });
          close_client(*oldest);
          clients.erase(oldest);
        }
        Client c;
        c.fd = fd;
        c.deadline_ms = now + m_limits.client_timeout_ms;
        clients.push_back(std::move(c));
      }
    }
  }
  for (Client& c : clients) close_client(c);
}

}  // namespace stackfit
