// CgroupV1Reader against the live kernel: creates its own cgroups under the
// host's v1 memory, cpuacct and cpu controllers, moves a child process it
// forked into them, and reads them back. Needs root and a v1 memory
// controller (these machines and CI have both); skipped otherwise. Touches no
// process but its own child and no cgroup but the ones it creates.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <ctime>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "stackfit/model/cpu_throttling.hpp"
#include "stackfit/observe/cgroup_reader.hpp"
#include "stackfit/observe/parent_cpu_gate.hpp"
#include "stackfit/util/file_io.hpp"

namespace stackfit {
namespace {

constexpr std::int64_t k_page_bytes = 4096;

bool write_text(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return ok;
}

std::int64_t thread_cpu_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// The child: waits for a byte on go_fd, touches alloc_bytes of anonymous
// memory, burns burn_cpu_ns of CPU (at most 20 s of wall time), writes a byte
// to ready_fd, then sleeps until killed (exits by itself after 60 s).
[[noreturn]] void run_child(int go_fd, int ready_fd, std::size_t alloc_bytes, std::int64_t burn_cpu_ns) {
  char byte = 0;
  if (::read(go_fd, &byte, 1) != 1) ::_exit(2);
  void* mem = ::mmap(nullptr, alloc_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) ::_exit(3);
  auto* bytes = static_cast<volatile char*>(mem);
  for (std::size_t i = 0; i < alloc_bytes; i += k_page_bytes) bytes[i] = 1;
  const std::time_t wall_deadline = std::time(nullptr) + 20;
  // clock_gettime itself is the work: a call the compiler cannot drop.
  while (thread_cpu_ns() < burn_cpu_ns && std::time(nullptr) < wall_deadline) {
  }
  if (::write(ready_fd, "r", 1) != 1) ::_exit(4);
  ::sleep(60);
  ::_exit(0);
}

// A forked child, parked until go(); killed by its pid and reaped at scope end.
class Child {
 public:
  Child(std::size_t alloc_bytes, std::int64_t burn_cpu_ns) {
    int go[2];
    int ready[2];
    if (::pipe2(go, O_CLOEXEC) != 0 || ::pipe2(ready, O_CLOEXEC) != 0) return;
    m_pid = ::fork();
    if (m_pid == 0) run_child(go[0], ready[1], alloc_bytes, burn_cpu_ns);
    ::close(go[0]);
    ::close(ready[1]);
    m_go_fd = go[1];
    m_ready_fd = ready[0];
  }
  ~Child() {
    if (m_pid > 0) {
      ::kill(m_pid, SIGKILL);
      ::waitpid(m_pid, nullptr, 0);
    }
    if (m_go_fd >= 0) ::close(m_go_fd);
    if (m_ready_fd >= 0) ::close(m_ready_fd);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  [[nodiscard]] pid_t pid() const { return m_pid; }
  [[nodiscard]] bool go() const { return ::write(m_go_fd, "g", 1) == 1; }
  // True when the child reported ready within timeout_s; false when it died
  // or the time ran out.
  [[nodiscard]] bool wait_ready(int timeout_s) const {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    int flags = ::fcntl(m_ready_fd, F_GETFL);
    ::fcntl(m_ready_fd, F_SETFL, flags | O_NONBLOCK);
    while (std::chrono::steady_clock::now() < deadline) {
      char byte = 0;
      ssize_t n = ::read(m_ready_fd, &byte, 1);
      if (n == 1) return true;
      if (n == 0) return false;  // the child exited
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
  // The wait status once the child exited within timeout_s, else nullopt.
  [[nodiscard]] std::optional<int> wait_exit(int timeout_s) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
        m_pid = -1;
        return status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::nullopt;
  }
  void kill_and_reap() {
    if (m_pid <= 0) return;
    ::kill(m_pid, SIGKILL);
    ::waitpid(m_pid, nullptr, 0);
    m_pid = -1;
  }

 private:
  pid_t m_pid = -1;
  int m_go_fd = -1;
  int m_ready_fd = -1;
};

// stackfit-test-<pid>-<tag> under each of the given controller mounts,
// removed at scope end (bounded retries: a just-killed task may take a moment
// to leave the cgroup).
class LiveCgroup {
 public:
  LiveCgroup(const std::vector<std::string>& controller_roots, const std::string& tag)
      : m_relative("/stackfit-test-" + std::to_string(::getpid()) + "-" + tag) {
    for (const std::string& root : controller_roots) {
      if (root.empty()) continue;
      std::string dir = root + m_relative;
      if (::mkdir(dir.c_str(), 0755) == 0) m_dirs.push_back(dir);
    }
  }
  ~LiveCgroup() {
    for (const std::string& dir : m_dirs) {
      for (int attempt = 0; attempt < 200; ++attempt) {
        if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
  }
  LiveCgroup(const LiveCgroup&) = delete;
  LiveCgroup& operator=(const LiveCgroup&) = delete;

  [[nodiscard]] const std::string& relative() const { return m_relative; }
  [[nodiscard]] std::size_t created() const { return m_dirs.size(); }
  // Moves `pid` into every created cgroup.
  [[nodiscard]] bool adopt(pid_t pid) const {
    for (const std::string& dir : m_dirs) {
      if (!write_text(dir + "/cgroup.procs", std::to_string(pid))) return false;
    }
    return true;
  }

 private:
  std::string m_relative;
  std::vector<std::string> m_dirs;
};

class CgroupV1Live : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to create cgroups";
    if (!file_exists("/sys/fs/cgroup/memory/memory.usage_in_bytes")) GTEST_SKIP() << "no cgroup v1 memory controller";
    auto mounts = detect_cgroup_mounts("/sys/fs/cgroup");
    ASSERT_TRUE(mounts) << mounts.error().message;
    ASSERT_EQ(mounts->version, CgroupVersion::v1);
    m_mounts = *mounts;
  }
  [[nodiscard]] std::vector<std::string> roots() const {
    return {m_mounts.memory_root, m_mounts.cpu_root, m_mounts.cpu_stat_root};
  }
  CgroupMounts m_mounts;
};

TEST_F(CgroupV1Live, MeasuresARealProcessUnderALimit) {
  LiveCgroup cgroup(roots(), "usage");
  ASSERT_EQ(cgroup.created(), 3u);
  const std::string memory_dir = m_mounts.memory_root + cgroup.relative();
  ASSERT_TRUE(write_text(memory_dir + "/memory.limit_in_bytes", std::to_string(64 * k_mib)));
  // 2 ms of CPU per 10 ms period: the child's first scheduler slice that runs
  // past 2 ms is throttled, even on a loaded host where it gets little CPU.
  const std::string cpu_dir = m_mounts.cpu_stat_root + cgroup.relative();
  ASSERT_TRUE(write_text(cpu_dir + "/cpu.cfs_period_us", "10000"));
  ASSERT_TRUE(write_text(cpu_dir + "/cpu.cfs_quota_us", "2000"));

  auto reader = open_cgroup(m_mounts, cgroup.relative());
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ((*reader)->memory_limit().value(), Bytes{64 * k_mib});

  Child child(20 * k_mib, 200'000'000);
  ASSERT_GT(child.pid(), 0);
  ASSERT_TRUE(cgroup.adopt(child.pid()));
  auto before = (*reader)->read();
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_EQ(before->oom_kills, 0);
  ASSERT_TRUE(child.go());
  ASSERT_TRUE(child.wait_ready(30));

  auto after = (*reader)->read();
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_GE(after->working_set, Bytes{18 * k_mib});
  EXPECT_LE(after->working_set, Bytes{64 * k_mib});
  EXPECT_GE(after->rss, Bytes{18 * k_mib});
  EXPECT_GE(after->usage, after->working_set);
  ASSERT_TRUE(after->peak);
  EXPECT_GE(*after->peak, after->working_set);
  EXPECT_GE(after->cpu_usage_ns - before->cpu_usage_ns, 190'000'000);
  EXPECT_GT(after->cpu_throttled_periods, 0);
  EXPECT_GT(after->cpu_throttled_ns, 0);
  // >= 190 ms of CPU at 2 ms per 10 ms period is >= 95 periods, nearly all
  // of them throttled; the kernel's counters move together.
  EXPECT_GE(after->cpu_periods - before->cpu_periods, 95);
  EXPECT_LE(after->cpu_throttled_periods, after->cpu_periods);
  auto throttling = throttling_increase(*before, *after);
  ASSERT_TRUE(throttling);
  EXPECT_GT(throttled_percent(*throttling).value(), 50.0);
  EXPECT_EQ(after->oom_kills, 0);

  // Once empty, the cgroup is removed under the open reader.
  child.kill_and_reap();
  bool removed = false;
  for (int attempt = 0; attempt < 200 && !removed; ++attempt) {
    removed = ::rmdir(memory_dir.c_str()) == 0;
    if (!removed) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(removed);
  auto gone = (*reader)->read();
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::unavailable);
  EXPECT_EQ(gone.error().message, memory_dir + ": cgroup vanished");
  EXPECT_EQ((*reader)->memory_limit().error().message, memory_dir + ": cgroup vanished");
}

// The kernel's cpuacct.usage is hierarchical: a parent's stands still while
// its children's tasks sleep, and moves as soon as one of them runs, which is
// what lets the recorder skip the children's files (ParentCpuGates).
TEST_F(CgroupV1Live, ParentCpuTimeStandsStillUntilAChildsTaskRuns) {
  LiveCgroup parent(roots(), "gate");
  LiveCgroup busy(roots(), "gate/busy");
  LiveCgroup idle(roots(), "gate/idle");
  ASSERT_EQ(parent.created(), 3u);
  ASSERT_EQ(busy.created(), 3u);
  ASSERT_EQ(idle.created(), 3u);
  Child busy_child(4 * k_mib, 20'000'000);
  Child idle_child(k_page_bytes, 1'000'000);
  ASSERT_GT(busy_child.pid(), 0);
  ASSERT_GT(idle_child.pid(), 0);
  // The busy child waits on a pipe until go(); the idle one runs for 1 ms
  // first (a parent whose CPU time reads 0 never counts as still), then sleeps.
  ASSERT_TRUE(busy.adopt(busy_child.pid()));
  ASSERT_TRUE(idle.adopt(idle_child.pid()));
  ASSERT_TRUE(idle_child.go());
  ASSERT_TRUE(idle_child.wait_ready(30));
  auto busy_reader = open_cgroup(m_mounts, busy.relative());
  ASSERT_TRUE(busy_reader) << busy_reader.error().message;

  ParentCpuGates gates(m_mounts);
  ParentCpuGates::Slot* slot = gates.add(busy.relative());
  ASSERT_EQ(gates.add(idle.relative()), slot);
  ASSERT_NE(slot, nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the moves are charged by now
  gates.check_all();  // the baseline
  auto before = (*busy_reader)->read();
  ASSERT_TRUE(before) << before.error().message;
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  gates.check_all();
  EXPECT_EQ(ParentCpuGates::tasks_ran(slot), TasksRan::none);
  auto reused = (*busy_reader)->read(ParentCpuGates::tasks_ran(slot));
  ASSERT_TRUE(reused);
  EXPECT_EQ(reused->cpu_usage_ns, before->cpu_usage_ns);

  ASSERT_TRUE(busy_child.go());
  ASSERT_TRUE(busy_child.wait_ready(30));
  gates.check_all();
  EXPECT_EQ(ParentCpuGates::tasks_ran(slot), TasksRan::maybe);
  auto after = (*busy_reader)->read(ParentCpuGates::tasks_ran(slot));
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_GE(after->cpu_usage_ns - before->cpu_usage_ns, 15'000'000);
  EXPECT_GE(after->usage.count - before->usage.count, 3 * k_mib);

  // Asleep again (the child sleeps after writing "ready"): still once more.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  gates.check_all();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  gates.check_all();
  EXPECT_EQ(ParentCpuGates::tasks_ran(slot), TasksRan::none);
}

TEST_F(CgroupV1Live, CountsARealOomKill) {
  LiveCgroup cgroup(roots(), "oom");
  ASSERT_EQ(cgroup.created(), 3u);
  const std::string memory_dir = m_mounts.memory_root + cgroup.relative();
  ASSERT_TRUE(write_text(memory_dir + "/memory.limit_in_bytes", std::to_string(32 * k_mib)));
  // No way out through swap: memory+swap capped too where swap is accounted.
  if (file_exists(memory_dir + "/memory.memsw.limit_in_bytes")) {
    ASSERT_TRUE(write_text(memory_dir + "/memory.memsw.limit_in_bytes", std::to_string(32 * k_mib)));
  }
  ASSERT_TRUE(write_text(memory_dir + "/memory.swappiness", "0"));

  auto reader = open_cgroup(m_mounts, cgroup.relative());
  ASSERT_TRUE(reader) << reader.error().message;
  Child child(200 * k_mib, 0);
  ASSERT_GT(child.pid(), 0);
  ASSERT_TRUE(cgroup.adopt(child.pid()));
  EXPECT_EQ((*reader)->read().value().oom_kills, 0);
  ASSERT_TRUE(child.go());

  auto status = child.wait_exit(30);
  ASSERT_TRUE(status) << "the child outlived 30 s in a 32 MiB cgroup";
  ASSERT_TRUE(WIFSIGNALED(*status)) << "exit status " << WEXITSTATUS(*status);
  EXPECT_EQ(WTERMSIG(*status), SIGKILL);
  auto after = (*reader)->read();
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_GE(after->oom_kills, 1);
  ASSERT_TRUE(after->peak);
  EXPECT_GE(*after->peak, Bytes{30 * k_mib});
  EXPECT_LE(*after->peak, Bytes{32 * k_mib});
}

}  // namespace
}  // namespace stackfit
