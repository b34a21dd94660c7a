// What one cgroup read costs when it comes after the recorder's sleep: the
// floor under `stackfit record`'s CPU per container per sample, without any
// of stackfit's code. Creates K empty cgroup v1 cpuacct cgroups
// (stackfit-floor-<pid>/cg-i), opens each cpuacct.usage once, then for each
// pause P: sleeps P, preads every file once (as a tick of the recorder
// does), and reports the thread's CPU time per read. Removes its cgroups.
//
// On this project's 2-vCPU VM, an idle VM's vCPU is handed back to the host
// during a long pause, and the reads after it run with cold caches and TLBs:
// the same read costs ~10x more after 1 s than after 1 ms
// (docs/record-bench.md). Not a Google Benchmark: the pause is the variable.
//
// usage (root, cgroup v1 cpuacct mounted): cold_read_floor [K=200] [rounds=10]
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

namespace {

constexpr const char* k_root = "/sys/fs/cgroup/cpuacct";

double thread_cpu_us() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

void pause_ns(long ns) {
  timespec t{ns / 1'000'000'000, ns % 1'000'000'000};
  while (nanosleep(&t, &t) != 0 && errno == EINTR) {
  }
}

}  // namespace

int main(int argc, char** argv) {
  int count = argc > 1 ? std::atoi(argv[1]) : 200;
  int rounds = argc > 2 ? std::atoi(argv[2]) : 10;
  if (count < 1 || count > 5000 || rounds < 2) {
    std::fprintf(stderr, "usage: cold_read_floor [K (1..5000)] [rounds (>= 2)]\n");
    return 2;
  }
  std::string parent = std::string(k_root) + "/stackfit-floor-" + std::to_string(getpid());
  if (mkdir(parent.c_str(), 0755) != 0) {
    std::fprintf(stderr, "cold_read_floor: %s: %s (needs root and cgroup v1 cpuacct)\n", parent.c_str(),
                 std::strerror(errno));
    return 1;
  }
  std::vector<int> fds;
  std::vector<std::string> dirs;
  for (int i = 0; i < count; ++i) {
    std::string dir = parent + "/cg-" + std::to_string(i);
    if (mkdir(dir.c_str(), 0755) != 0) break;
    dirs.push_back(dir);
    int fd = open((dir + "/cpuacct.usage").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) break;
    fds.push_back(fd);
  }
  int status = 0;
  if (static_cast<int>(fds.size()) != count) {
    std::fprintf(stderr, "cold_read_floor: could not create %d cgroups\n", count);
    status = 1;
  } else {
    std::printf("%d cgroup files, %d rounds per pause; CPU time per pread after the pause\n", count, rounds);
    char buffer[64];
    for (long pause : {1'000'000L, 10'000'000L, 100'000'000L, 1'000'000'000L}) {
      double total = 0;
      for (int r = 0; r < rounds; ++r) {
        pause_ns(pause);
        double before = thread_cpu_us();
        for (int fd : fds) {
          if (pread(fd, buffer, sizeof buffer, 0) < 0) status = 1;
        }
        if (r > 0) total += thread_cpu_us() - before;  // the first round warms up
      }
      std::printf("pause %5ld ms: %6.2f us per read\n", pause / 1'000'000,
                  total / (rounds - 1) / static_cast<double>(count));
    }
  }
  for (int fd : fds) close(fd);
  for (const std::string& dir : dirs) rmdir(dir.c_str());
  rmdir(parent.c_str());
  return status;
}
