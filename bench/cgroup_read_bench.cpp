// Cost of one CgroupReader::read() — the recorder's per-container, per-sample
// work. Aim (issue 3): under 10 µs of CPU per container per sample.
//
// BM_CgroupV1ReadLive reads a real cgroup v1 memory+cpuacct+cpu cgroup that
// this program creates (stackfit-bench-<pid>) and moves a child process into
// (the child holds 8 MiB); needs root and a v1 memory controller, otherwise
// it is not registered. The Pread* figures split that cost per kernel file.
// The fixture benchmarks read the trees in tests/fixtures/cgroup (regular
// files: they measure parsing plus a page-cache pread, not the kernel's
// cgroup code) and run anywhere, v2 included.
//
// Rerun: build-dir/bench/cgroup_read_bench --benchmark_min_time=2s
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "stackfit/observe/cgroup_format.hpp"
#include "stackfit/observe/cgroup_reader.hpp"
#include "stackfit/util/file_io.hpp"

namespace {

using stackfit::CgroupMounts;
using stackfit::CgroupReader;
using stackfit::CgroupVersion;

constexpr std::size_t k_child_bytes = 8u * 1024u * 1024u;

// The fixture trees beside this source file (CMake compiles with absolute
// paths, so __FILE__ locates the source tree).
std::string fixture_root(const char* version) {
  std::string here = __FILE__;
  return here.substr(0, here.rfind('/')) + "/../tests/fixtures/cgroup/" + version;
}

bool write_text(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return ok;
}

// A live v1 cgroup with one child process in it; removed (child killed by its
// pid, folders rmdir'ed) on destruction.
class LiveV1Cgroup {
 public:
  explicit LiveV1Cgroup(const CgroupMounts& mounts)
      : m_mounts(mounts), m_relative("/stackfit-bench-" + std::to_string(::getpid())) {
    for (const std::string& root : {mounts.memory_root, mounts.cpu_root, mounts.cpu_stat_root}) {
      if (root.empty()) continue;
      std::string dir = root + m_relative;
      if (::mkdir(dir.c_str(), 0755) != 0) return;
      m_dirs.push_back(dir);
    }
    start_child();
  }
  ~LiveV1Cgroup() {
    if (m_pid > 0) {
      ::kill(m_pid, SIGKILL);
      ::waitpid(m_pid, nullptr, 0);
    }
    for (auto it = m_dirs.rbegin(); it != m_dirs.rend(); ++it) {
      for (int attempt = 0; attempt < 200; ++attempt) {
        if (::rmdir(it->c_str()) == 0 || errno == ENOENT) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
  }
  LiveV1Cgroup(const LiveV1Cgroup&) = delete;
  LiveV1Cgroup& operator=(const LiveV1Cgroup&) = delete;

  [[nodiscard]] bool ready() const { return m_ready; }
  [[nodiscard]] const std::string& relative() const { return m_relative; }
  [[nodiscard]] std::string memory_dir() const { return m_mounts.memory_root + m_relative; }

 private:
  void start_child() {
    int go[2];
    int done[2];
    if (::pipe2(go, O_CLOEXEC) != 0 || ::pipe2(done, O_CLOEXEC) != 0) return;
    m_pid = ::fork();
    if (m_pid == 0) {
      char byte = 0;
      if (::read(go[0], &byte, 1) != 1) ::_exit(2);
      void* mem = ::mmap(nullptr, k_child_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (mem == MAP_FAILED) ::_exit(3);
      for (std::size_t i = 0; i < k_child_bytes; i += 4096) static_cast<volatile char*>(mem)[i] = 1;
      if (::write(done[1], "d", 1) != 1) ::_exit(4);
      ::sleep(600);  // bounded: the parent kills it long before
      ::_exit(0);
    }
    ::close(go[0]);
    ::close(done[1]);
    bool moved = true;
    for (const std::string& dir : m_dirs) moved = moved && write_text(dir + "/cgroup.procs", std::to_string(m_pid));
    char byte = 0;
    m_ready = moved && ::write(go[1], "g", 1) == 1 && ::read(done[0], &byte, 1) == 1;
    ::close(go[1]);
    ::close(done[0]);
  }

  CgroupMounts m_mounts;
  std::string m_relative;
  std::vector<std::string> m_dirs;
  pid_t m_pid = -1;
  bool m_ready = false;
};

void run_reads(benchmark::State& state, CgroupReader& reader) {
  for (auto _ : state) {
    auto sample = reader.read();
    if (!sample) {
      state.SkipWithError(sample.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(sample->working_set);
  }
}

void bench_read(benchmark::State& state, const CgroupMounts& mounts, const std::string& relative) {
  auto reader = stackfit::open_cgroup(mounts, relative);
  if (!reader) {
    state.SkipWithError(reader.error().message.c_str());
    return;
  }
  run_reads(state, **reader);
}

// One pread of one file, as read() does it: the kernel's share of the cost.
void bench_pread(benchmark::State& state, const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    state.SkipWithError((path + ": open failed").c_str());
    return;
  }
  std::array<char, 8192> buffer;
  for (auto _ : state) benchmark::DoNotOptimize(::pread(fd, buffer.data(), buffer.size(), 0));
  ::close(fd);
}

// The floor: one trivial syscall on this host (VM exits and mitigations make
// it far from free); a live read() costs about six of these plus the
// kernel's own work for memory.stat.
void BM_SyscallFloor(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(::getppid());
}
BENCHMARK(BM_SyscallFloor);

// Parsing alone (no syscall): the v1 memory.stat of the fixture, the six keys
// the v1 reader wants. The user-space share of a read().
void BM_ParseMemoryStatV1(benchmark::State& state) {
  const std::string path =
      fixture_root("v1") +
      "/memory/docker/3f9c2a7be1d84c6a9e0b5d2f7a1c8e4b6d0f2a9c7e5b3d1f8a6c4e2b0d9f7a5c/memory.stat";
  auto text = stackfit::read_file(path);
  if (!text) {
    state.SkipWithError(text.error().message.c_str());
    return;
  }
  for (auto _ : state) {
    std::array<stackfit::KeyedField, 6> fields{{{"total_inactive_file", {}},
                                                {"inactive_file", {}},
                                                {"total_rss", {}},
                                                {"rss", {}},
                                                {"total_cache", {}},
                                                {"cache", {}}}};
    benchmark::DoNotOptimize(stackfit::parse_flat_keyed(*text, fields, path));
    benchmark::DoNotOptimize(fields);
  }
}
BENCHMARK(BM_ParseMemoryStatV1);

void register_fixture_benchmarks() {
  CgroupMounts v1{CgroupVersion::v1, fixture_root("v1") + "/memory", fixture_root("v1") + "/cpuacct",
                  fixture_root("v1") + "/cpu"};
  CgroupMounts v2{CgroupVersion::v2, fixture_root("v2"), "", ""};
  benchmark::RegisterBenchmark("BM_CgroupV1ReadFixture", [v1](benchmark::State& state) {
    bench_read(state, v1, "/docker/3f9c2a7be1d84c6a9e0b5d2f7a1c8e4b6d0f2a9c7e5b3d1f8a6c4e2b0d9f7a5c");
  });
  benchmark::RegisterBenchmark("BM_CgroupV2ReadFixture", [v2](benchmark::State& state) {
    bench_read(state, v2,
               "/system.slice/docker-3f9c2a7be1d84c6a9e0b5d2f7a1c8e4b6d0f2a9c7e5b3d1f8a6c4e2b0d9f7a5c.scope");
  });
}

// A cgroup's first reading: every file (memory.stat, the OOM counter, the
// peak too; observe/cgroup_read_schedule.hpp), on descriptors opened outside
// the timed region, so it includes the kernel's allocation of each file's
// seq_file buffer at its first read. A reading 1 µs after the previous one
// cannot look busy (CPU time is charged at scheduler ticks), so a busy
// cgroup's reading (usage, CPU, memory.stat, at times the OOM counter) is
// best estimated from the BM_PreadLive figures plus BM_ParseMemoryStatV1.
void bench_full_read(benchmark::State& state, const CgroupMounts& mounts, const std::string& relative) {
  for (auto _ : state) {
    state.PauseTiming();
    auto reader = stackfit::open_cgroup(mounts, relative);
    state.ResumeTiming();
    if (!reader) {
      state.SkipWithError(reader.error().message.c_str());
      break;
    }
    auto sample = (*reader)->read();
    if (!sample) {
      state.SkipWithError(sample.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(sample->working_set);
    state.PauseTiming();
    reader->reset();
    state.ResumeTiming();
  }
}

void register_live_benchmarks(const CgroupMounts& mounts, const LiveV1Cgroup& cgroup) {
  std::string relative = cgroup.relative();
  // Idle: the child's CPU time and memory do not move, so a read() after the
  // first takes cpuacct.usage and memory.usage_in_bytes only (and the rest
  // at every 10th reading).
  benchmark::RegisterBenchmark("BM_CgroupV1ReadLive/idle",
                               [mounts, relative](benchmark::State& state) { bench_read(state, mounts, relative); });
  benchmark::RegisterBenchmark("BM_CgroupV1ReadLive/full", [mounts, relative](benchmark::State& state) {
    bench_full_read(state, mounts, relative);
  });
  const char* files[] = {"memory.usage_in_bytes", "memory.stat", "memory.max_usage_in_bytes", "memory.oom_control"};
  for (const char* file : files) {
    std::string path = cgroup.memory_dir() + "/" + file;
    benchmark::RegisterBenchmark((std::string("BM_PreadLive/") + file).c_str(),
                                 [path](benchmark::State& state) { bench_pread(state, path); });
  }
  std::string cpuacct = mounts.cpu_root + relative + "/cpuacct.usage";
  benchmark::RegisterBenchmark("BM_PreadLive/cpuacct.usage",
                               [cpuacct](benchmark::State& state) { bench_pread(state, cpuacct); });
  std::string cpu_stat = mounts.cpu_stat_root + relative + "/cpu.stat";
  benchmark::RegisterBenchmark("BM_PreadLive/cpu.stat",
                               [cpu_stat](benchmark::State& state) { bench_pread(state, cpu_stat); });
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  register_fixture_benchmarks();
  std::unique_ptr<LiveV1Cgroup> live;
  auto mounts = stackfit::detect_cgroup_mounts("/sys/fs/cgroup");
  if (::geteuid() != 0 || !mounts || mounts->version != CgroupVersion::v1) {
    std::fprintf(stderr, "cgroup_read_bench: live v1 benchmarks need root and cgroup v1; fixture benchmarks only\n");
  } else {
    live = std::make_unique<LiveV1Cgroup>(*mounts);
    if (live->ready()) {
      register_live_benchmarks(*mounts, *live);
    } else {
      std::fprintf(stderr, "cgroup_read_bench: could not set up %s; fixture benchmarks only\n",
                   live->memory_dir().c_str());
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;  // `live` removes its cgroup and child here
}
