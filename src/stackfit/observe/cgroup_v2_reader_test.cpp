// CgroupV2Reader over fixture trees in the v2 format (tests/fixtures/cgroup/v2:
// systemd's docker-<id>.scope layout). These machines run cgroup v1, so v2
// is only reachable through fixtures here.
#include "stackfit/observe/cgroup_v2_reader.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <limits>

#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

using stackfit::testing::source_path;
using stackfit::testing::TempDir;

const std::string k_limited =
    "/system.slice/docker-3f9c2a7be1d84c6a9e0b5d2f7a1c8e4b6d0f2a9c7e5b3d1f8a6c4e2b0d9f7a5c.scope";
const std::string k_unlimited =
    "/system.slice/docker-81d0e6c4b2a9f7e5d3c1b8a6f4e2d0c9b7a5f3e1d8c6b4a2f0e9d7c5b3a1f8e6.scope";

CgroupMounts mounts_under(const std::string& root) { return CgroupMounts{CgroupVersion::v2, root, "", ""}; }

struct FixtureCopy {
  TempDir dir;
  FixtureCopy() {
    std::filesystem::copy(source_path("tests/fixtures/cgroup/v2"), dir.path(),
                          std::filesystem::copy_options::recursive);
  }
  [[nodiscard]] CgroupMounts mounts() const { return mounts_under(dir.path()); }
  [[nodiscard]] std::string cgroup_dir() const { return dir.path() + k_limited; }
  void write(const std::string& file, const std::string& text) const {
    dir.write(k_limited.substr(1) + "/" + file, text);
  }
};

TEST(CgroupV2Reader, ReadsEveryFigureOfADockerScope) {
  auto reader = CgroupV2Reader::open(mounts_under(source_path("tests/fixtures/cgroup/v2")), k_limited);
  ASSERT_TRUE(reader) << reader.error().message;
  auto s = (*reader)->read();
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->usage, Bytes{12345344});
  EXPECT_EQ(s->inactive_file, Bytes{2969600});
  EXPECT_EQ(s->working_set, Bytes{12345344 - 2969600});
  EXPECT_EQ(s->rss, Bytes{5271552});
  EXPECT_EQ(s->page_cache, Bytes{4325376});
  EXPECT_EQ(s->peak, Bytes{16 * k_mib});
  EXPECT_EQ(s->oom_kills, 2);
  EXPECT_EQ(s->cpu_usage_ns, 1532104 * 1000LL);
  EXPECT_EQ(s->cpu_periods, 4121);
  EXPECT_EQ(s->cpu_throttled_periods, 37);
  EXPECT_EQ(s->cpu_throttled_ns, 1850412 * 1000LL);
  ASSERT_TRUE(s->memory_pressure_some_avg10);
  EXPECT_DOUBLE_EQ(*s->memory_pressure_some_avg10, 1.25);
  EXPECT_EQ((*reader)->memory_limit().value(), Bytes{256 * k_mib});
}

// Kernel before 5.19 (no memory.peak), memory.max "max", the cpu controller
// not enabled for the cgroup, PSI off.
TEST(CgroupV2Reader, OptionalFilesAbsentAndMaxLimit) {
  auto reader = CgroupV2Reader::open(mounts_under(source_path("tests/fixtures/cgroup/v2")), k_unlimited);
  ASSERT_TRUE(reader) << reader.error().message;
  auto s = (*reader)->read();
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->peak, std::nullopt);
  EXPECT_EQ(s->memory_pressure_some_avg10, std::nullopt);
  EXPECT_EQ(s->working_set, Bytes{1163264 - 98304});
  EXPECT_EQ(s->rss, Bytes{405504});
  EXPECT_EQ(s->cpu_usage_ns, 48211000);
  EXPECT_EQ(s->cpu_periods, 0);
  EXPECT_EQ(s->cpu_throttled_periods, 0);
  EXPECT_EQ(s->cpu_throttled_ns, 0);
  EXPECT_EQ((*reader)->memory_limit().value(), std::nullopt);
}

TEST(CgroupV2Reader, RereadsSeeNewValues) {
  FixtureCopy copy;
  auto reader = CgroupV2Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  auto first = (*reader)->read();
  ASSERT_TRUE(first);
  copy.write("memory.events", "low 0\nhigh 0\nmax 50\noom 3\noom_kill 3\noom_group_kill 0\n");
  ASSERT_TRUE(first->peak);
  copy.write("memory.peak", std::to_string(first->peak->count + 65536) + "\n");
  copy.write("memory.max", "max\n");
  // Usage and CPU time unchanged: the OOM counter and the peak are reused
  // (CgroupReadSchedule), the limit is read on demand.
  auto idle = (*reader)->read();
  ASSERT_TRUE(idle);
  EXPECT_EQ(idle->oom_kills, first->oom_kills);
  EXPECT_EQ(idle->peak, first->peak);
  EXPECT_EQ((*reader)->memory_limit().value(), std::nullopt);
  // CPU time moved: the counter is read, and since it moved, the peak too.
  copy.write("cpu.stat", "usage_usec 48300\nuser_usec 30000\nsystem_usec 18300\n");
  auto s = (*reader)->read();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->cpu_usage_ns, 48300000);
  EXPECT_EQ(s->oom_kills, 3);
  EXPECT_EQ(s->peak, Bytes{first->peak->count + 65536});
}

// memory.current is read only when the CPU time in cpu.stat moved (or at
// the refresh): with nothing run in the cgroup, nothing was charged to it.
TEST(CgroupV2Reader, UsageWaitsForTheCpuTime) {
  FixtureCopy copy;
  auto reader = CgroupV2Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  ASSERT_EQ((*reader)->read()->usage, Bytes{12345344});
  copy.write("memory.current", "4096000\n");
  EXPECT_EQ((*reader)->read()->usage, Bytes{12345344});
  copy.write("cpu.stat", "usage_usec 48300\nuser_usec 30000\nsystem_usec 18300\n");
  auto s = (*reader)->read();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->usage, Bytes{4096000});
  EXPECT_EQ(s->working_set, Bytes{4096000 - 2969600});
}

// TasksRan::none (a parent's CPU time stood still): cpu.stat is not read,
// and the rest goes as for an unmoved CPU time: memory.current waits for the
// refresh.
TEST(CgroupV2Reader, ReadingWhenNoTaskRanDoesNotReadCpuStat) {
  FixtureCopy copy;
  auto reader = CgroupV2Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  auto first = (*reader)->read(TasksRan::none);
  ASSERT_TRUE(first) << first.error().message;
  copy.write("cpu.stat", "usage_usec 48300\nuser_usec 30000\nsystem_usec 18300\nnr_throttled 9\nthrottled_usec 5\n");
  copy.write("memory.current", "4096000\n");
  for (int reading = 2; reading <= CgroupReadSchedule::k_refresh_readings; ++reading) {
    auto s = (*reader)->read(TasksRan::none);
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->cpu_usage_ns, first->cpu_usage_ns) << "reading " << reading;
    EXPECT_EQ(s->usage, first->usage);
  }
  auto refreshed = (*reader)->read(TasksRan::none);
  ASSERT_TRUE(refreshed);
  EXPECT_EQ(refreshed->usage, Bytes{4096000});
  EXPECT_EQ(refreshed->cpu_usage_ns, first->cpu_usage_ns);
  auto maybe = (*reader)->read(TasksRan::maybe);
  ASSERT_TRUE(maybe);
  EXPECT_EQ(maybe->cpu_usage_ns, 48300000);
  EXPECT_EQ(maybe->cpu_throttled_periods, 9);
  EXPECT_EQ(maybe->cpu_throttled_ns, 5000);
}

// memory.stat is re-read when usage moves; with nothing moving it is reused
// until the refresh, k_refresh_readings readings after the last full one.
TEST(CgroupV2Reader, MemoryStatIsReusedWhileNothingMoves) {
  FixtureCopy copy;
  auto reader = CgroupV2Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  auto first = (*reader)->read();
  ASSERT_TRUE(first);
  std::int64_t inactive = first->inactive_file.count + 1048576;
  copy.write("memory.stat", "anon 1000\nfile 2000000\ninactive_file " + std::to_string(inactive) + "\n");
  for (int reading = 2; reading <= CgroupReadSchedule::k_refresh_readings; ++reading) {
    auto s = (*reader)->read();
    ASSERT_TRUE(s);
    EXPECT_EQ(s->inactive_file, first->inactive_file) << "reading " << reading;
    EXPECT_EQ(s->working_set, first->working_set);
  }
  auto refreshed = (*reader)->read();
  ASSERT_TRUE(refreshed);
  EXPECT_EQ(refreshed->inactive_file, Bytes{inactive});
  EXPECT_EQ(refreshed->rss, Bytes{1000});
  EXPECT_EQ(refreshed->working_set, Bytes{std::max<std::int64_t>(first->usage.count - inactive, 0)});
}

TEST(CgroupV2Reader, GarbageInMemoryStatNamesTheFile) {
  FixtureCopy copy;
  copy.write("memory.stat", "anon 4096\nfile: 12\n");
  auto reader = CgroupV2Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  auto s = (*reader)->read();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::bad_input);
  EXPECT_EQ(s.error().message,
            copy.cgroup_dir() + "/memory.stat: line 2: expected \"<key> <number>\", got \"file: 12\"");
}

TEST(CgroupV2Reader, MemoryStatMissingAKey) {
  FixtureCopy copy;
  copy.write("memory.stat", "anon 4096\nfile 8192\n");
  auto reader = CgroupV2Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  EXPECT_EQ((*reader)->read().error().message, copy.cgroup_dir() + "/memory.stat: no \"inactive_file\" line");
}

TEST(CgroupV2Reader, CpuStatWithoutUsage) {
  FixtureCopy copy;
  copy.write("cpu.stat", "nr_periods 1\n");
  auto reader = CgroupV2Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  EXPECT_EQ((*reader)->read().error().message, copy.cgroup_dir() + "/cpu.stat: no \"usage_usec\" line");
}

// Hostile or corrupt throttling counters: a signed, fractional or textual
// value refuses the whole file (the line quoted), a value past int64
// saturates (and its microseconds do not overflow into negative ns).
TEST(CgroupV2Reader, GarbageThrottlingCountersAreRefusedOrSaturated) {
  FixtureCopy copy;
  auto reader = CgroupV2Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  const std::string path = copy.cgroup_dir() + "/cpu.stat";
  copy.write("cpu.stat", "usage_usec 5\nnr_periods -4\nnr_throttled 1\n");
  EXPECT_EQ((*reader)->read().error().message,
            path + ": line 2: expected \"<key> <number>\", got \"nr_periods -4\"");
  copy.write("cpu.stat", "usage_usec 5\nnr_periods 10\nnr_throttled 1.5\n");
  EXPECT_EQ((*reader)->read().error().message,
            path + ": line 3: expected \"<key> <number>\", got \"nr_throttled 1.5\"");
  copy.write("cpu.stat", "usage_usec 5\nnr_periods 10\nthrottled_usec \n");
  EXPECT_EQ((*reader)->read().error().message,
            path + ": line 3: expected \"<key> <number>\", got \"throttled_usec \"");
  copy.write("cpu.stat", "usage_usec 99999999999999999999\nnr_periods 99999999999999999999\n"
                         "nr_throttled 7\nthrottled_usec 9223372036854775807\n");
  auto s = (*reader)->read();
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->cpu_usage_ns, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(s->cpu_periods, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(s->cpu_throttled_periods, 7);
  EXPECT_EQ(s->cpu_throttled_ns, std::numeric_limits<std::int64_t>::max());
}

TEST(CgroupV2Reader, MalformedPressure) {
  FixtureCopy copy;
  copy.write("memory.pressure", "some avg10=high\n");
  auto reader = CgroupV2Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  EXPECT_EQ((*reader)->read().error().message, copy.cgroup_dir() + "/memory.pressure: no \"some avg10=\" figure");
}

TEST(CgroupV2Reader, GarbageMax) {
  FixtureCopy copy;
  copy.write("memory.max", "-1\n");
  auto reader = CgroupV2Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  EXPECT_EQ((*reader)->memory_limit().error().message,
            copy.cgroup_dir() + "/memory.max: expected a number, got \"-1\"");
}

TEST(CgroupV2Reader, VanishedBetweenReads) {
  FixtureCopy copy;
  auto reader = CgroupV2Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  ASSERT_TRUE((*reader)->read());
  std::filesystem::remove_all(copy.cgroup_dir());
  auto s = (*reader)->read();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::unavailable);
  EXPECT_EQ(s.error().message, copy.cgroup_dir() + ": cgroup vanished");
}

// The root cgroup has no memory.current: not something to record.
TEST(CgroupV2Reader, RootIsNotAMemoryCgroup) {
  std::string root = source_path("tests/fixtures/cgroup/v2");
  auto reader = CgroupV2Reader::open(mounts_under(root), "/");
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, ErrorCode::bad_input);
  EXPECT_EQ(reader.error().message, root + ": not a memory cgroup (no memory.current)");
}

TEST(CgroupV2Reader, MissingCgroup) {
  std::string root = source_path("tests/fixtures/cgroup/v2");
  auto reader = CgroupV2Reader::open(mounts_under(root), "/system.slice/docker-gone.scope");
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, ErrorCode::not_found);
  EXPECT_EQ(reader.error().message, root + "/system.slice/docker-gone.scope: no such cgroup");
}

// A real cgroup2 folder on this hybrid host: the unified mount holds no
// memory controller, so the reader refuses it with the documented line.
TEST(CgroupV2Reader, LiveUnifiedFolderWithoutMemoryController) {
  const std::string root = "/sys/fs/cgroup/unified";
  if (::geteuid() != 0 || !std::filesystem::exists(root + "/cgroup.procs")) {
    GTEST_SKIP() << "needs root and a cgroup2 mount at " << root;
  }
  const std::string relative = "/stackfit-test-" + std::to_string(::getpid());
  ASSERT_EQ(::mkdir((root + relative).c_str(), 0755), 0);
  auto reader = CgroupV2Reader::open(mounts_under(root), relative);
  ::rmdir((root + relative).c_str());
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, ErrorCode::bad_input);
  EXPECT_EQ(reader.error().message, root + relative + ": not a memory cgroup (no memory.current)");
}

}  // namespace
}  // namespace stackfit
