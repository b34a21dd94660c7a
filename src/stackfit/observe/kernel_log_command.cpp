#include "stackfit/observe/kernel_log_command.hpp"

#include "stackfit/util/clock.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace stackfit {
namespace {

// Reads both pipes until the child closes them, the deadline, or the bound.
// Returns "" on success, else the reason.
std::string drain(int out_fd, int err_fd, std::string& out, std::string& err) {
  const std::int64_t deadline = monotonic_now_ms() + k_kernel_log_command_timeout_ms;
  bool out_open = true;
  bool err_open = true;
  while (out_open || err_open) {
    std::int64_t left = deadline - monotonic_now_ms();
    if (left <= 0) return "no answer within " + std::to_string(k_kernel_log_command_timeout_ms) + " ms";
    pollfd p[2] = {{out_open ? out_fd : -1, POLLIN, 0}, {err_open ? err_fd : -1, POLLIN, 0}};
    if (::poll(p, 2, static_cast<int>(left)) < 0 && errno != EINTR) return std::strerror(errno);
    char buffer[65536];
    for (int i = 0; i < 2; ++i) {
      if (p[i].revents == 0) continue;
      ssize_t n = ::read(p[i].fd, buffer, sizeof(buffer));
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) {
        (i == 0 ? out_open : err_open) = false;
        continue;
      }
      std::string& sink = i == 0 ? out : err;
      if (i == 1 && sink.size() > 4096) continue;  // only its first line is shown
      sink.append(buffer, static_cast<std::size_t>(n));
      if (out.size() > k_kernel_log_command_max_bytes) {
        return "more than " + std::to_string(k_kernel_log_command_max_bytes) + " bytes of output";
      }
    }
  }
  return {};
}

}  // namespace

Expected<std::string> run_kernel_log_command(const std::vector<std::string>& argv) {
  const std::string& program = argv.at(0);
  if (::access(program.c_str(), X_OK) != 0) return make_error(ErrorCode::unavailable, program + ": not found");
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return make_error(ErrorCode::unavailable, program + ": " + std::strerror(errno));
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return make_error(ErrorCode::unavailable, program + ": " + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int spawned = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  std::string out;
  std::string err;
  std::string problem = spawned == 0 ? drain(out_pipe[0], err_pipe[0], out, err) : std::strerror(spawned);
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  if (spawned != 0) return make_error(ErrorCode::unavailable, program + ": " + problem);
  if (!problem.empty()) ::kill(pid, SIGKILL);  // the child we started, by its pid
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!problem.empty()) return make_error(ErrorCode::unavailable, program + ": " + problem);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string first = err.substr(0, err.find('\n')).substr(0, 200);
    std::string code = WIFEXITED(status) ? "exit " + std::to_string(WEXITSTATUS(status))
                                         : "signal " + std::to_string(WTERMSIG(status));
    return make_error(ErrorCode::unavailable, program + ": " + code + (first.empty() ? "" : ": " + first));
  }
  return out;
}

}  // namespace stackfit
