// The engine's HTTP/1.1 client (observe/engine_http): status line, headers,
// Content-Length, chunked and read-until-close bodies, line streams. The
// input is the whole answer a peer sends on a real unix socket; a thread of
// this process plays the peer: it accepts, reads the request, sends the
// input and hangs up. Inputs of even length are read by get(), odd ones by
// stream_lines() (the /events path).
#include <sys/socket.h>
#include <sys/un.h>

#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>

#include "fuzz_support.hpp"
#include "stackfit/observe/engine_http.hpp"

using namespace stackfit;

namespace {

class AnswerPeer {
 public:
  AnswerPeer() : m_socket(m_dir.path() + "/engine.sock") {
    m_listen = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, m_socket.c_str(), m_socket.size() + 1);
    if (m_listen < 0 || ::bind(m_listen, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::listen(m_listen, 4) != 0) {
      std::abort();
    }
    std::thread(&AnswerPeer::serve, this).detach();  // lives as long as the process
  }

  [[nodiscard]] const std::string& socket() const { return m_socket; }

  // Makes `answer` what the next connection gets.
  void arm(std::string_view answer) {
    std::lock_guard lock(m_mutex);
    m_answer.assign(answer);
    m_armed = true;
    m_changed.notify_all();
  }

  // Waits until the armed answer was sent and the connection closed.
  void wait_done() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_armed; });
  }

 private:
  void serve() {
    for (;;) {
      std::unique_lock lock(m_mutex);
      m_changed.wait(lock, [this] { return m_armed; });
      lock.unlock();
      int fd = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) std::abort();
      read_request(fd);
      for (std::string_view rest = m_answer; !rest.empty();) {
        ssize_t n = ::send(fd, rest.data(), rest.size(), MSG_NOSIGNAL);
        if (n <= 0) break;  // the client gave up early
        rest.remove_prefix(static_cast<std::size_t>(n));
      }
      ::close(fd);
      lock.lock();
      m_armed = false;
      m_changed.notify_all();
    }
  }

  static void read_request(int fd) {
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) return;
      request.append(buffer, static_cast<std::size_t>(n));
    }
  }

  fuzz::ScratchDir m_dir;
  std::string m_socket;
  int m_listen = -1;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::string m_answer;
  bool m_armed = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static AnswerPeer* peer = new AnswerPeer();  // never destroyed: its thread runs to the end
  peer->arm(fuzz::as_text(data, size));
  EngineHttp http(peer->socket());
  constexpr std::int64_t k_timeout_ms = 5000;  // the peer always hangs up first
  if (size % 2 == 0) {
    (void)http.get("/version", k_timeout_ms);
  } else {
    std::size_t lines = 0;
    (void)http.stream_lines("/events", k_timeout_ms, [&lines](std::string_view) { return ++lines < 1000; });
  }
  peer->wait_done();
  return 0;
}
