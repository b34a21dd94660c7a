#include "stackfit/observe/cgroup_reader.hpp"

#include <gtest/gtest.h>

#include "stackfit/util/file_io.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

using stackfit::testing::source_path;
using stackfit::testing::TempDir;

constexpr const char* k_id = "3f9c2a7be1d84c6a9e0b5d2f7a1c8e4b6d0f2a9c7e5b3d1f8a6c4e2b0d9f7a5c";
constexpr const char* k_id2 = "81d0e6c4b2a9f7e5d3c1b8a6f4e2d0c9b7a5f3e1d8c6b4a2f0e9d7c5b3a1f8e6";

TEST(CgroupDetect, V1FixtureWithSeparateCpuAndCpuacctMounts) {
  std::string root = source_path("tests/fixtures/cgroup/v1");
  auto mounts = detect_cgroup_mounts(root + "/");
  ASSERT_TRUE(mounts) << mounts.error().message;
  EXPECT_EQ(mounts->version, CgroupVersion::v1);
  EXPECT_EQ(mounts->memory_root, root + "/memory");
  EXPECT_EQ(mounts->cpu_root, root + "/cpuacct");
  EXPECT_EQ(mounts->cpu_stat_root, root + "/cpu");
}

TEST(CgroupDetect, V1CombinedCpuCpuacctMount) {
  TempDir dir;
  dir.write("memory/memory.usage_in_bytes", "4096\n");
  dir.write("cpu,cpuacct/cpuacct.usage", "1\n");
  dir.write("cpu,cpuacct/cpu.stat", "nr_periods 0\nnr_throttled 0\nthrottled_time 0\n");
  auto mounts = detect_cgroup_mounts(dir.path());
  ASSERT_TRUE(mounts) << mounts.error().message;
  EXPECT_EQ(mounts->cpu_root, dir.path() + "/cpu,cpuacct");
  EXPECT_EQ(mounts->cpu_stat_root, dir.path() + "/cpu,cpuacct");
}

TEST(CgroupDetect, V2Fixture) {
  std::string root = source_path("tests/fixtures/cgroup/v2");
  auto mounts = detect_cgroup_mounts(root);
  ASSERT_TRUE(mounts) << mounts.error().message;
  EXPECT_EQ(mounts->version, CgroupVersion::v2);
  EXPECT_EQ(mounts->memory_root, root);
  EXPECT_EQ(mounts->cpu_root, "");
}

TEST(CgroupDetect, HybridWithMemoryOnTheUnifiedMount) {
  TempDir dir;
  dir.write("unified/cgroup.controllers", "cpu io memory pids\n");
  dir.write("cpu/cpu.stat", "nr_periods 0\n");
  auto mounts = detect_cgroup_mounts(dir.path());
  ASSERT_TRUE(mounts) << mounts.error().message;
  EXPECT_EQ(mounts->version, CgroupVersion::v2);
  EXPECT_EQ(mounts->memory_root, dir.path() + "/unified");
}

TEST(CgroupDetect, V2WithoutMemoryController) {
  TempDir dir;
  dir.write("cgroup.controllers", "cpuset cpu io pids\n");
  auto mounts = detect_cgroup_mounts(dir.path());
  ASSERT_FALSE(mounts);
  EXPECT_EQ(mounts.error().code, ErrorCode::unavailable);
  EXPECT_EQ(mounts.error().message, dir.path() + ": cgroup v2 without the memory controller");
}

TEST(CgroupDetect, NothingMounted) {
  TempDir dir;
  auto mounts = detect_cgroup_mounts(dir.path());
  ASSERT_FALSE(mounts);
  EXPECT_EQ(mounts.error().code, ErrorCode::unavailable);
  EXPECT_EQ(mounts.error().message,
            dir.path() + ": no cgroup memory controller (neither cgroup.controllers nor memory/memory.usage_in_bytes)");
}

// The live host: these machines run cgroup v1 with cpu and cpuacct mounted
// apart, and a cgroup2 mount at /sys/fs/cgroup/unified that holds no controller.
TEST(CgroupDetect, LiveHostIsV1) {
  if (!is_directory("/sys/fs/cgroup/memory")) GTEST_SKIP() << "no v1 memory controller on this host";
  auto mounts = detect_cgroup_mounts();
  ASSERT_TRUE(mounts) << mounts.error().message;
  EXPECT_EQ(mounts->version, CgroupVersion::v1);
  EXPECT_EQ(mounts->memory_root, "/sys/fs/cgroup/memory");
  EXPECT_FALSE(mounts->cpu_root.empty());
}

TEST(ProcCgroup, V1CgroupfsDriver) {
  std::string text =
      "12:pids:/docker/abc\n11:cpu,cpuacct:/docker/abc\n9:memory:/docker/abc\n1:name=systemd:/docker/abc\n0::/\n";
  EXPECT_EQ(parse_proc_cgroup(text, CgroupVersion::v1).value(), "/docker/abc");
  EXPECT_EQ(parse_proc_cgroup(text, CgroupVersion::v2).value(), "/");
}

TEST(ProcCgroup, V1SystemdDriverAndCombinedControllers) {
  std::string text =
      "4:cpu,cpuacct:/system.slice/docker-abc.scope\n"
      "3:memory,hugetlb:/system.slice/docker-abc.scope\n";
  EXPECT_EQ(parse_proc_cgroup(text, CgroupVersion::v1).value(), "/system.slice/docker-abc.scope");
}

TEST(ProcCgroup, V1DoesNotMatchAControllerThatOnlyContainsTheWord) {
  std::string text = "5:memory_pressure_x:/a\n4:memory:/b\n";
  EXPECT_EQ(parse_proc_cgroup(text, CgroupVersion::v1).value(), "/b");
}

TEST(ProcCgroup, V2UnifiedLineAndColonInPath) {
  EXPECT_EQ(parse_proc_cgroup("0::/system.slice/docker-abc.scope\n", CgroupVersion::v2).value(),
            "/system.slice/docker-abc.scope");
  EXPECT_EQ(parse_proc_cgroup("0::/odd:name\n", CgroupVersion::v2).value(), "/odd:name");
}

TEST(ProcCgroup, MissingLineErrors) {
  auto v1 = parse_proc_cgroup("0::/user.slice\n", CgroupVersion::v1);
  ASSERT_FALSE(v1);
  EXPECT_EQ(v1.error().code, ErrorCode::not_found);
  EXPECT_EQ(v1.error().message, "no \"memory\" controller line (cgroup v1)");
  auto v2 = parse_proc_cgroup("4:memory:/docker/abc\n", CgroupVersion::v2);
  ASSERT_FALSE(v2);
  EXPECT_EQ(v2.error().message, "no \"0::\" line (cgroup v2)");
}

TEST(ProcCgroup, MalformedLine) {
  auto r = parse_proc_cgroup("4:memory:/a\nnonsense\n", CgroupVersion::v2);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::bad_input);
  EXPECT_EQ(r.error().message, "line 2: expected \"<id>:<controllers>:<path>\", got \"nonsense\"");
}

TEST(ProcCgroup, LiveSelf) {
  if (!file_exists("/proc/self/cgroup")) GTEST_SKIP() << "no /proc/self/cgroup: this kernel has no cgroups";
  auto text = read_file("/proc/self/cgroup");
  ASSERT_TRUE(text);
  auto path = parse_proc_cgroup(*text, CgroupVersion::v2);
  ASSERT_TRUE(path) << path.error().message;
  EXPECT_EQ(path->front(), '/');
}

TEST(CgroupChildren, V1DockerParent) {
  CgroupMounts mounts = detect_cgroup_mounts(source_path("tests/fixtures/cgroup/v1")).value();
  auto children = list_child_cgroups(mounts, "/docker");
  ASSERT_TRUE(children) << children.error().message;
  EXPECT_EQ(*children, (std::vector<std::string>{std::string("/docker/") + k_id, std::string("/docker/") + k_id2}));
  auto top = list_child_cgroups(mounts, "/");
  ASSERT_TRUE(top);
  EXPECT_EQ(*top, std::vector<std::string>{"/docker"});
}

TEST(CgroupChildren, V2SystemSliceWithoutLeadingSlash) {
  CgroupMounts mounts = detect_cgroup_mounts(source_path("tests/fixtures/cgroup/v2")).value();
  auto children = list_child_cgroups(mounts, "system.slice/");
  ASSERT_TRUE(children) << children.error().message;
  EXPECT_EQ(*children, (std::vector<std::string>{std::string("/system.slice/docker-") + k_id + ".scope",
                                                 std::string("/system.slice/docker-") + k_id2 + ".scope"}));
}

TEST(CgroupChildren, MissingParentAndEscapingPath) {
  CgroupMounts mounts = detect_cgroup_mounts(source_path("tests/fixtures/cgroup/v2")).value();
  auto missing = list_child_cgroups(mounts, "/nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_EQ(missing.error().message, mounts.memory_root + "/nope: no such cgroup");
  auto escaping = list_child_cgroups(mounts, "/system.slice/../../etc");
  ASSERT_FALSE(escaping);
  EXPECT_EQ(escaping.error().code, ErrorCode::bad_input);
  EXPECT_EQ(escaping.error().message, "/system.slice/../../etc: not a cgroup path (\"..\" component)");
}

TEST(CgroupOpen, DispatchesOnVersion) {
  CgroupMounts v1 = detect_cgroup_mounts(source_path("tests/fixtures/cgroup/v1")).value();
  CgroupMounts v2 = detect_cgroup_mounts(source_path("tests/fixtures/cgroup/v2")).value();
  EXPECT_TRUE(open_cgroup(v1, std::string("/docker/") + k_id));
  EXPECT_TRUE(open_cgroup(v2, std::string("/system.slice/docker-") + k_id + ".scope"));
  // A v1 path is not a v2 cgroup and vice versa.
  EXPECT_EQ(open_cgroup(v2, std::string("/docker/") + k_id).error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace stackfit
