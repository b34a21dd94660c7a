// Host facts from fixture trees in the formats of real /proc and /sys files.
#include "stackfit/observe/host_facts_reader.hpp"

#include <gtest/gtest.h>

#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

constexpr const char* k_meminfo =
    "MemTotal:       16314432 kB\nMemFree:         1234567 kB\nSwapCached:            0 kB\n"
    "SwapTotal:       2097148 kB\nSwapFree:        2097148 kB\n";

TEST(HostFactsReader, CgroupV1Host) {
  testing::TempDir root;
  root.write("proc/meminfo", k_meminfo);
  root.write("proc/sys/vm/overcommit_memory", "0\n");
  root.write("proc/sys/vm/swappiness", "60\n");
  root.write("proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
  root.write("proc/cgroups", "#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpu\t1\t2\t1\nmemory\t4\t143\t1\n");
  root.write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
  HostFacts facts = read_host_facts(root.path());
  EXPECT_EQ(facts.mem_total->count, 16314432LL * 1024);
  EXPECT_EQ(facts.swap_total->count, 2097148LL * 1024);
  EXPECT_EQ(facts.overcommit_memory, 0);
  EXPECT_EQ(facts.swappiness, 60);
  EXPECT_EQ(facts.kernel_release, "6.1.0-18-amd64");
  EXPECT_EQ(facts.cgroup_version, "1");
  EXPECT_EQ(facts.memory_controller, true);
}

TEST(HostFactsReader, CgroupV2WithoutMemoryController) {
  testing::TempDir root;
  root.write("proc/meminfo", k_meminfo);
  root.write("proc/cgroups", "#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t0\t80\t1\n");
  root.write("sys/fs/cgroup/cgroup.controllers", "cpuset cpu io pids\n");
  HostFacts facts = read_host_facts(root.path());
  EXPECT_EQ(facts.cgroup_version, "2");
  EXPECT_EQ(facts.memory_controller, false);  // the v2 root's list decides
}

TEST(HostFactsReader, MemoryControllerDisabledOnTheKernelCommandLine) {
  testing::TempDir root;
  root.write("proc/cgroups", "#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t0\t1\t0\n");
  EXPECT_EQ(read_host_facts(root.path()).memory_controller, false);
}

TEST(HostFactsReader, MissingAndBrokenFilesStayUnknown) {
  testing::TempDir root;
  root.write("proc/meminfo", "MemTotalx: 5 kB\nSwapTotal: lots kB\n");
  root.write("proc/sys/vm/overcommit_memory", "two\n");
  root.write("proc/cgroups", "memory\t4\t1\tyes\n");
  HostFacts facts = read_host_facts(root.path());
  EXPECT_FALSE(facts.mem_total);
  EXPECT_FALSE(facts.swap_total);
  EXPECT_FALSE(facts.overcommit_memory);
  EXPECT_FALSE(facts.memory_controller);
  EXPECT_EQ(facts.cgroup_version, "");
  EXPECT_FALSE(read_host_facts(root.path() + "/nothing").mem_total);
}

TEST(HostFactsReader, DiskFactsOfAFolderAndOfNothing) {
  testing::TempDir dir;
  auto disk = read_disk_facts(dir.path());
  ASSERT_TRUE(disk);
  EXPECT_GT(disk->total.count, 0);
  EXPECT_LE(disk->available.count, disk->total.count);
  EXPECT_FALSE(read_disk_facts(dir.path() + "/absent"));
  EXPECT_FALSE(read_disk_facts(""));
}

}  // namespace
}  // namespace stackfit
