// CgroupV1Reader over fixture trees in the v1 format (tests/fixtures/cgroup/v1:
// a docker cgroupfs-driver layout with cpu and cpuacct mounted apart, as on
// these machines). The live kernel is exercised by cgroup_v1_live_test.cpp.
#include "stackfit/observe/cgroup_v1_reader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <limits>

#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

using stackfit::testing::source_path;
using stackfit::testing::TempDir;

const std::string k_limited = "/docker/3f9c2a7be1d84c6a9e0b5d2f7a1c8e4b6d0f2a9c7e5b3d1f8a6c4e2b0d9f7a5c";
const std::string k_unlimited = "/docker/81d0e6c4b2a9f7e5d3c1b8a6f4e2d0c9b7a5f3e1d8c6b4a2f0e9d7c5b3a1f8e6";

CgroupMounts mounts_under(const std::string& root) {
  return CgroupMounts{CgroupVersion::v1, root + "/memory", root + "/cpuacct", root + "/cpu"};
}

// A writable copy of the v1 fixture tree, for tests that change or remove files.
struct FixtureCopy {
  TempDir dir;
  FixtureCopy() {
    std::filesystem::copy(source_path("tests/fixtures/cgroup/v1"), dir.path(),
                          std::filesystem::copy_options::recursive);
  }
  [[nodiscard]] CgroupMounts mounts() const { return mounts_under(dir.path()); }
  [[nodiscard]] std::string memory_dir() const { return dir.path() + "/memory" + k_limited; }
  void write(const std::string& file, const std::string& text) const {
    dir.write("memory" + k_limited + "/" + file, text);
  }
};

TEST(CgroupV1Reader, ReadsEveryFigureOfADockerContainer) {
  auto reader = CgroupV1Reader::open(mounts_under(source_path("tests/fixtures/cgroup/v1")), k_limited);
  ASSERT_TRUE(reader) << reader.error().message;
  auto s = (*reader)->read();
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->usage, Bytes{10035200});
  EXPECT_EQ(s->inactive_file, Bytes{2969600});
  EXPECT_EQ(s->working_set, Bytes{10035200 - 2969600});
  EXPECT_EQ(s->rss, Bytes{5271552});
  EXPECT_EQ(s->page_cache, Bytes{4325376});
  EXPECT_EQ(s->peak, Bytes{14716928});
  EXPECT_EQ(s->oom_kills, 2);
  EXPECT_EQ(s->cpu_usage_ns, 1532104876);
  EXPECT_EQ(s->cpu_periods, 4121);
  EXPECT_EQ(s->cpu_throttled_periods, 37);
  EXPECT_EQ(s->cpu_throttled_ns, 1850412379);
  EXPECT_EQ(s->memory_pressure_some_avg10, std::nullopt);
  EXPECT_EQ(s->time_ns, 0);  // the caller stamps the time
  auto limit = (*reader)->memory_limit();
  ASSERT_TRUE(limit);
  EXPECT_EQ(*limit, Bytes{256 * k_mib});
}

TEST(CgroupV1Reader, PageRoundedMaximumMeansUnlimited) {
  auto reader = CgroupV1Reader::open(mounts_under(source_path("tests/fixtures/cgroup/v1")), k_unlimited);
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ((*reader)->memory_limit().value(), std::nullopt);
  auto s = (*reader)->read();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->working_set, Bytes{1163264 - 98304});
  EXPECT_EQ(s->oom_kills, 0);
}

TEST(CgroupV1Reader, RereadsSeeNewValues) {
  FixtureCopy copy;
  auto reader = CgroupV1Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  ASSERT_EQ((*reader)->read()->usage, Bytes{10035200});
  // Rewriting in place keeps the inode, as the kernel's files do. The CPU
  // time moves with the usage, as it does when a task allocates.
  copy.write("memory.usage_in_bytes", "20070400\n");
  copy.write("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
  copy.dir.write("cpuacct" + k_limited + "/cpuacct.usage", "1532204876\n");
  auto s = (*reader)->read();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->usage, Bytes{20070400});
  EXPECT_EQ(s->working_set, Bytes{20070400 - 2969600});
  EXPECT_EQ(s->oom_kills, 3);
}

// With the CPU time unmoved, usage is reused (nothing in the cgroup ran, so
// nothing was charged to it) until the refresh. Found risen there, the CPU
// time is not this cgroup's to go by (here: a fixture edited behind the
// kernel's back; live: a --cgroup whose tasks are in the memory hierarchy
// only), and usage is read every time from then on.
TEST(CgroupV1Reader, UsageIsReadWhenCpuTimeMovedOrWhenItCannotTell) {
  FixtureCopy copy;
  auto reader = CgroupV1Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  ASSERT_EQ((*reader)->read()->usage, Bytes{10035200});
  copy.write("memory.usage_in_bytes", "20070400\n");
  for (int reading = 2; reading <= CgroupReadSchedule::k_refresh_readings; ++reading) {
    EXPECT_EQ((*reader)->read()->usage, Bytes{10035200}) << "reading " << reading;
  }
  EXPECT_EQ((*reader)->read()->usage, Bytes{20070400});  // the refresh
  copy.write("memory.usage_in_bytes", "30105600\n");
  EXPECT_EQ((*reader)->read()->usage, Bytes{30105600});  // no longer waits for the CPU time
}

// TasksRan::none (a parent's CPU time stood still): after the first reading,
// the CPU time and the throttling figures are not read (the changed files
// below prove it), and the rest goes as for an unmoved CPU time: nothing
// until the refresh, which re-reads usage (it may have fallen: reclaim) and
// memory.stat.
TEST(CgroupV1Reader, ReadingWhenNoTaskRanReadsNoCpuTimeAndNothingElseUntilTheRefresh) {
  FixtureCopy copy;
  const std::string cpuacct = "cpuacct" + k_limited + "/cpuacct.usage";
  auto reader = CgroupV1Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  auto first = (*reader)->read(TasksRan::none);  // a first reading reads everything
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->cpu_usage_ns, 1532104876);
  copy.dir.write(cpuacct, "1532204876\n");
  copy.write("memory.usage_in_bytes", "8192000\n");
  copy.write("memory.stat", "cache 100\nrss 200\ninactive_file 300\n");
  copy.dir.write("cpu" + k_limited + "/cpu.stat", "nr_periods 5000\nnr_throttled 40\nthrottled_time 1900000000\n");
  for (int reading = 2; reading <= CgroupReadSchedule::k_refresh_readings; ++reading) {
    auto s = (*reader)->read(TasksRan::none);
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->cpu_usage_ns, first->cpu_usage_ns) << "reading " << reading;
    EXPECT_EQ(s->usage, first->usage);
    EXPECT_EQ(s->working_set, first->working_set);
    EXPECT_EQ(s->cpu_throttled_periods, first->cpu_throttled_periods);
  }
  auto refreshed = (*reader)->read(TasksRan::none);
  ASSERT_TRUE(refreshed);
  EXPECT_EQ(refreshed->cpu_usage_ns, first->cpu_usage_ns);
  EXPECT_EQ(refreshed->cpu_throttled_periods, first->cpu_throttled_periods);
  EXPECT_EQ(refreshed->usage, Bytes{8192000});
  EXPECT_EQ(refreshed->working_set, Bytes{8192000 - 300});
  auto maybe = (*reader)->read(TasksRan::maybe);
  ASSERT_TRUE(maybe);
  EXPECT_EQ(maybe->cpu_usage_ns, 1532204876);
  EXPECT_EQ(maybe->cpu_throttled_periods, 40);
}

// An OOM event still has usage and the counter read with TasksRan::none;
// and a cgroup whose usage once rose with its CPU time unmoved has usage
// read every time, the parent's word notwithstanding.
TEST(CgroupV1Reader, ReadingWhenNoTaskRanStillReadsUsageAfterAnOomEventOrWithoutTheCpuGate) {
  FixtureCopy copy;
  auto reader = CgroupV1Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  (*reader)->rely_on_oom_events();
  auto first = (*reader)->read();
  ASSERT_TRUE(first);
  copy.write("memory.usage_in_bytes", "8192000\n");  // the victim's memory freed
  copy.write("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
  (*reader)->oom_event();
  auto after_event = (*reader)->read(TasksRan::none);
  ASSERT_TRUE(after_event);
  EXPECT_EQ(after_event->usage, Bytes{8192000});
  EXPECT_EQ(after_event->oom_kills, 3);
  EXPECT_EQ(after_event->cpu_usage_ns, first->cpu_usage_ns);
  copy.write("memory.usage_in_bytes", "20070400\n");
  for (int reading = 0; reading < CgroupReadSchedule::k_refresh_readings; ++reading) {
    ASSERT_TRUE((*reader)->read(TasksRan::none));
  }
  copy.write("memory.usage_in_bytes", "30105600\n");
  EXPECT_EQ((*reader)->read(TasksRan::none)->usage, Bytes{30105600});
}

// A cgroup whose CPU time reads 0 (nothing ever ran in its cpuacct cgroup)
// gives nothing to go by: usage is read every time.
TEST(CgroupV1Reader, ZeroCpuTimeMeansUsageIsReadEveryTime) {
  FixtureCopy copy;
  copy.dir.write("cpuacct" + k_limited + "/cpuacct.usage", "0\n");
  auto reader = CgroupV1Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  ASSERT_EQ((*reader)->read()->usage, Bytes{10035200});
  copy.write("memory.usage_in_bytes", "8192\n");
  EXPECT_EQ((*reader)->read()->usage, Bytes{8192});
}

// A reading whose usage and CPU time did not move reuses memory.stat, the
// OOM counter and the peak (CgroupReadSchedule); one whose CPU time moved
// re-reads memory.stat and the counter, and the peak once the counter moved.
TEST(CgroupV1Reader, SlowFilesAreReadWhenUsageOrCpuMoves) {
  FixtureCopy copy;
  auto reader = CgroupV1Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  auto first = (*reader)->read();
  ASSERT_TRUE(first);
  ASSERT_TRUE(first->peak);
  copy.write("memory.stat", "cache 100\nrss 200\ninactive_file 300\n");
  copy.write("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 5\n");
  copy.write("memory.max_usage_in_bytes", std::to_string(first->peak->count + 4096) + "\n");
  auto idle = (*reader)->read();
  ASSERT_TRUE(idle);
  EXPECT_EQ(idle->inactive_file, first->inactive_file);
  EXPECT_EQ(idle->oom_kills, first->oom_kills);
  EXPECT_EQ(idle->peak, first->peak);
  copy.dir.write("cpuacct" + k_limited + "/cpuacct.usage", std::to_string(first->cpu_usage_ns + 1000) + "\n");
  auto busy = (*reader)->read();
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->cpu_usage_ns, first->cpu_usage_ns + 1000);
  EXPECT_EQ(busy->inactive_file, Bytes{300});
  EXPECT_EQ(busy->rss, Bytes{200});
  EXPECT_EQ(busy->working_set, Bytes{first->usage.count - 300});
  EXPECT_EQ(busy->oom_kills, 5);
  EXPECT_EQ(busy->peak, Bytes{first->peak->count + 4096});
}

// Without a CFS quota (cpu.cfs_quota_us -1) the throttling counters cannot
// move, so cpu.stat is not re-read; a quota set later (docker update --cpus)
// is seen within 31 readings, and from then on every reading reads cpu.stat.
TEST(CgroupV1Reader, CpuStatIsReadWhileAQuotaIsSet) {
  FixtureCopy tree;
  const std::string cpu = "cpu" + k_limited + "/";
  tree.dir.write(cpu + "cpu.cfs_quota_us", "-1\n");
  auto reader = CgroupV1Reader::open(tree.mounts(), k_limited);
  ASSERT_TRUE(reader) << reader.error().message;
  auto throttled = [&]() {
    auto s = (*reader)->read();
    EXPECT_TRUE(s) << s.error().message;
    return s ? s->cpu_throttled_periods : -1;
  };
  EXPECT_EQ(throttled(), 37);  // the first reading always reads cpu.stat
  tree.dir.write(cpu + "cpu.stat", "nr_periods 5000\nnr_throttled 40\nthrottled_time 1900000000\n");
  EXPECT_EQ(throttled(), 37);  // no quota: the counters cannot have moved
  tree.dir.write(cpu + "cpu.cfs_quota_us", "50000\n");
  int readings = 0;
  while (throttled() != 40 && readings < 40) ++readings;
  EXPECT_LE(readings, 30);
  tree.dir.write(cpu + "cpu.stat", "nr_periods 5001\nnr_throttled 41\nthrottled_time 1900000001\n");
  EXPECT_EQ(throttled(), 41);  // quota set: every reading
  // cpu.stat turned to garbage is still an error while it is read.
  tree.dir.write(cpu + "cpu.stat", "nr_throttled lots\n");
  auto bad = (*reader)->read();
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::bad_input);
}

// Hostile or corrupt cpu.stat in the cpu controller: a signed or textual
// counter refuses the file with the line quoted; a value past int64
// saturates; a file without the counters (a kernel before CFS bandwidth
// control) gives 0s.
TEST(CgroupV1Reader, GarbageThrottlingCountersAreRefusedOrSaturated) {
  FixtureCopy tree;
  const std::string cpu = "cpu" + k_limited + "/";
  const std::string path = tree.dir.path() + "/" + cpu + "cpu.stat";
  auto reader = CgroupV1Reader::open(tree.mounts(), k_limited);
  ASSERT_TRUE(reader) << reader.error().message;
  tree.dir.write(cpu + "cpu.stat", "nr_periods 10\nnr_throttled -1\nthrottled_time 5\n");
  EXPECT_EQ((*reader)->read().error().message,
            path + ": line 2: expected \"<key> <number>\", got \"nr_throttled -1\"");
  tree.dir.write(cpu + "cpu.stat", "nr_periods\t10\n");
  EXPECT_EQ((*reader)->read().error().message,
            path + ": line 1: expected \"<key> <number>\", got \"nr_periods?10\"");
  tree.dir.write(cpu + "cpu.stat", "nr_periods 99999999999999999999\nnr_throttled 3\nthrottled_time 4\n");
  auto s = (*reader)->read();
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->cpu_periods, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(s->cpu_throttled_periods, 3);
  EXPECT_EQ(s->cpu_throttled_ns, 4);
  tree.dir.write(cpu + "cpu.stat", "nr_bursts 0\n");
  s = (*reader)->read();
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->cpu_periods, 0);
  EXPECT_EQ(s->cpu_throttled_periods, 0);
}

TEST(CgroupV1Reader, InactiveFileAboveUsageClampsWorkingSetAtZero) {
  FixtureCopy copy;
  copy.write("memory.usage_in_bytes", "1000\n");
  auto reader = CgroupV1Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  EXPECT_EQ((*reader)->read()->working_set, Bytes{0});
}

TEST(CgroupV1Reader, FallsBackToLocalKeysWithoutTotalKeys) {
  FixtureCopy copy;
  copy.write("memory.stat", "cache 8192\nrss 16384\ninactive_file 4096\nactive_file 4096\n");
  auto reader = CgroupV1Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  auto s = (*reader)->read();
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->page_cache, Bytes{8192});
  EXPECT_EQ(s->rss, Bytes{16384});
  EXPECT_EQ(s->working_set, Bytes{10035200 - 4096});
}

// Kernels before 4.13 print no oom_kill line: the counter reads 0.
TEST(CgroupV1Reader, OldKernelWithoutOomKillLineReadsZero) {
  FixtureCopy copy;
  copy.write("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\n");
  auto reader = CgroupV1Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  EXPECT_EQ((*reader)->read()->oom_kills, 0);
}

TEST(CgroupV1Reader, GarbageInMemoryStatNamesTheFile) {
  FixtureCopy copy;
  copy.write("memory.stat", "total_cache 4096\n\x7f\x45LF garbage\n");
  auto reader = CgroupV1Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  auto s = (*reader)->read();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::bad_input);
  EXPECT_EQ(s.error().message,
            copy.memory_dir() + "/memory.stat: line 2: expected \"<key> <number>\", got \"?ELF garbage\"");
}

TEST(CgroupV1Reader, MemoryStatWithoutInactiveFile) {
  FixtureCopy copy;
  copy.write("memory.stat", "total_cache 4096\ntotal_rss 8192\n");
  auto reader = CgroupV1Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  EXPECT_EQ((*reader)->read().error().message,
            copy.memory_dir() + "/memory.stat: no \"total_inactive_file\" or \"inactive_file\" line");
}

TEST(CgroupV1Reader, GarbageLimit) {
  FixtureCopy copy;
  copy.write("memory.limit_in_bytes", "lots\n");
  auto reader = CgroupV1Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  auto limit = (*reader)->memory_limit();
  ASSERT_FALSE(limit);
  EXPECT_EQ(limit.error().message, copy.memory_dir() + "/memory.limit_in_bytes: expected a number, got \"lots\"");
}

TEST(CgroupV1Reader, VanishedBetweenReads) {
  FixtureCopy copy;
  auto reader = CgroupV1Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader);
  ASSERT_TRUE((*reader)->read());
  std::filesystem::remove_all(copy.memory_dir());
  auto s = (*reader)->read();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::unavailable);
  EXPECT_EQ(s.error().message, copy.memory_dir() + ": cgroup vanished");
  auto limit = (*reader)->memory_limit();
  ASSERT_FALSE(limit);
  EXPECT_EQ(limit.error().message, copy.memory_dir() + ": cgroup vanished");
}

TEST(CgroupV1Reader, MissingCgroup) {
  std::string root = source_path("tests/fixtures/cgroup/v1");
  auto reader = CgroupV1Reader::open(mounts_under(root), "/docker/gone");
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, ErrorCode::not_found);
  EXPECT_EQ(reader.error().message, root + "/memory/docker/gone: no such cgroup");
}

TEST(CgroupV1Reader, FolderWithoutMemoryFiles) {
  FixtureCopy copy;
  std::filesystem::remove(copy.memory_dir() + "/memory.usage_in_bytes");
  auto reader = CgroupV1Reader::open(copy.mounts(), k_limited);
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, ErrorCode::bad_input);
  EXPECT_EQ(reader.error().message, copy.memory_dir() + ": not a memory cgroup (no memory.usage_in_bytes)");
}

TEST(CgroupV1Reader, MissingCpuacctCgroup) {
  FixtureCopy copy;
  std::filesystem::remove_all(copy.dir.path() + "/cpuacct" + k_limited);
  auto reader = CgroupV1Reader::open(copy.mounts(), k_limited);
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().message, copy.dir.path() + "/cpuacct" + k_limited + ": no such cgroup");
}

TEST(CgroupV1Reader, NoCpuControllerCgroupMeansNoThrottlingFigures) {
  FixtureCopy copy;
  std::filesystem::remove_all(copy.dir.path() + "/cpu" + k_limited);
  auto reader = CgroupV1Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader) << reader.error().message;
  auto s = (*reader)->read();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->cpu_usage_ns, 1532104876);
  EXPECT_EQ(s->cpu_throttled_periods, 0);
}

// A read failure other than a vanished cgroup keeps its errno text.
TEST(CgroupV1Reader, ReadFailureIsAnIoError) {
  FixtureCopy copy;
  std::filesystem::remove(copy.memory_dir() + "/memory.stat");
  std::filesystem::create_directory(copy.memory_dir() + "/memory.stat");
  auto reader = CgroupV1Reader::open(copy.mounts(), k_limited);
  ASSERT_TRUE(reader) << reader.error().message;
  auto s = (*reader)->read();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::io);
  EXPECT_EQ(s.error().message, copy.memory_dir() + "/memory.stat: read: Is a directory");
}

}  // namespace
}  // namespace stackfit
