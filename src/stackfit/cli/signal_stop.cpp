#include "stackfit/cli/signal_stop.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>

namespace stackfit::cli {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_wake_fd{-1};

extern "C" void on_stop_signal(int) {
  g_stop.store(true);
  // write(2) is async-signal-safe; errno is kept for the interrupted code.
  int saved_errno = errno;
  int fd = g_wake_fd.load();
  if (fd >= 0) {
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(fd, &one, sizeof one);
  }
  errno = saved_errno;
}

}  // namespace

const std::atomic<bool>& install_stop_signals() {
  if (g_wake_fd.load() < 0) g_wake_fd.store(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  return g_stop;
}

int stop_signal_wake_fd() { return g_wake_fd.load(); }

}  // namespace stackfit::cli
