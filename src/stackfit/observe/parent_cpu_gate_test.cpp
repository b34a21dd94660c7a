// ParentCpuGate and ParentCpuGates over trees of regular files laid out as
// the v1 cpuacct and v2 unified hierarchies. The live kernel's hierarchical
// counter is exercised by cgroup_v1_live_test.cpp.
#include "stackfit/observe/parent_cpu_gate.hpp"

#include <gtest/gtest.h>

#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

using stackfit::testing::TempDir;

CgroupMounts v1_mounts(const TempDir& dir) {
  return CgroupMounts{CgroupVersion::v1, dir.path() + "/memory", dir.path() + "/cpuacct", ""};
}

CgroupMounts v2_mounts(const TempDir& dir) { return CgroupMounts{CgroupVersion::v2, dir.path(), "", ""}; }

// The gate of v1 cgroup /<name>, whose cpuacct.usage holds `counter`.
Expected<ParentCpuGate> v1_gate(const TempDir& dir, const std::string& name, const std::string& counter) {
  dir.write("cpuacct/" + name + "/cpuacct.usage", counter);
  return ParentCpuGate::open(v1_mounts(dir), "/" + name);
}

TEST(ParentCgroupPath, IsTheFolderAbove) {
  EXPECT_EQ(parent_cgroup_path("/docker/3f9c"), "/docker");
  EXPECT_EQ(parent_cgroup_path("/kubepods/burstable/pod1/abc/"), "/kubepods/burstable/pod1");
  EXPECT_EQ(parent_cgroup_path("/system.slice"), "/");
  EXPECT_EQ(parent_cgroup_path("machine.slice/libpod-1.scope"), "machine.slice");
  EXPECT_EQ(parent_cgroup_path("/"), std::nullopt);
  EXPECT_EQ(parent_cgroup_path(""), std::nullopt);
}

TEST(ParentCpuGate, StillWhenTheCounterDidNotMoveSinceThePreviousCheck) {
  TempDir dir;
  auto gate = v1_gate(dir, "docker", "5000\n");
  ASSERT_TRUE(gate) << gate.error().message;
  EXPECT_FALSE(gate->check());  // no baseline yet
  EXPECT_TRUE(gate->check());
  EXPECT_TRUE(gate->check());
  dir.write("cpuacct/docker/cpuacct.usage", "5001\n");
  EXPECT_FALSE(gate->check());
  EXPECT_TRUE(gate->check());
  gate->skip();  // a tick without a check breaks the chain
  EXPECT_FALSE(gate->check());
  EXPECT_TRUE(gate->check());
}

TEST(ParentCpuGate, ReadsUsageUsecOfCpuStatOnV2) {
  TempDir dir;
  dir.write("system.slice/cpu.stat", "usage_usec 900\nuser_usec 600\nsystem_usec 300\n");
  auto gate = ParentCpuGate::open(v2_mounts(dir), "/system.slice");
  ASSERT_TRUE(gate) << gate.error().message;
  EXPECT_FALSE(gate->check());
  EXPECT_TRUE(gate->check());
  dir.write("system.slice/cpu.stat", "usage_usec 901\nuser_usec 600\nsystem_usec 301\n");
  EXPECT_FALSE(gate->check());
}

// Zero CPU time (nothing ever ran there), a file that stops parsing, or a
// cpu.stat without usage_usec never say "still".
TEST(ParentCpuGate, ZeroOrUnreadableCounterNeverSaysStill) {
  TempDir dir;
  dir.write("v2/odd/cpu.stat", "user_usec 5\n");
  auto zero = v1_gate(dir, "idle", "0\n");
  auto bad = v1_gate(dir, "bad", "12\n");
  auto odd = ParentCpuGate::open(CgroupMounts{CgroupVersion::v2, dir.path() + "/v2", "", ""}, "/odd");
  ASSERT_TRUE(zero && bad && odd);
  EXPECT_FALSE(bad->check());
  dir.write("cpuacct/bad/cpuacct.usage", "twelve\n");
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(zero->check());
    EXPECT_FALSE(bad->check());
    EXPECT_FALSE(odd->check());
  }
}

TEST(ParentCpuGate, AParentThatAlwaysMovesRestsBetweenChecks) {
  TempDir dir;
  auto gate = v1_gate(dir, "busy", "1\n");
  ASSERT_TRUE(gate);
  std::int64_t value = 1;
  for (int i = 0; i < ParentCpuGate::k_moved_checks_before_pause; ++i) {
    dir.write("cpuacct/busy/cpuacct.usage", std::to_string(++value) + "\n");
    EXPECT_FALSE(gate->check());
  }
  // Resting: the counter is not read, so standing still does not count.
  for (int i = 0; i < ParentCpuGate::k_pause_ticks; ++i) EXPECT_FALSE(gate->check()) << "tick " << i;
  EXPECT_FALSE(gate->check());  // the baseline again
  EXPECT_TRUE(gate->check());
}

TEST(ParentCpuGate, OpenErrorsNameTheCgroup) {
  TempDir dir;
  dir.write("cpuacct/other/cpuacct.usage", "1\n");
  auto missing = ParentCpuGate::open(v1_mounts(dir), "/docker");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/cpuacct/docker"), std::string::npos) << missing.error().message;
  auto escape = ParentCpuGate::open(v1_mounts(dir), "/../etc");
  ASSERT_FALSE(escape);
  EXPECT_EQ(escape.error().code, ErrorCode::bad_input);
  auto no_cpuacct = ParentCpuGate::open(CgroupMounts{CgroupVersion::v1, dir.path() + "/memory", "", ""}, "/other");
  ASSERT_FALSE(no_cpuacct);
  EXPECT_EQ(no_cpuacct.error().code, ErrorCode::unavailable);
}

TEST(ParentCpuGates, OneCheckPerParentWithAtLeastTwoChildren) {
  TempDir dir;
  dir.write("cpuacct/docker/cpuacct.usage", "700\n");
  ParentCpuGates gates(v1_mounts(dir));
  auto* a = gates.add("/docker/a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(gates.add("/"), nullptr);  // the root has no parent
  auto* lone = gates.add("/elsewhere/x");  // no such parent: never still
  ASSERT_NE(lone, nullptr);
  gates.check_all();
  gates.check_all();
  EXPECT_EQ(ParentCpuGates::tasks_ran(a), TasksRan::maybe);  // one child: not checked
  auto* b = gates.add("/docker/b");
  EXPECT_EQ(a, b);
  gates.check_all();
  EXPECT_EQ(ParentCpuGates::tasks_ran(a), TasksRan::maybe);  // the baseline
  gates.check_all();
  EXPECT_EQ(ParentCpuGates::tasks_ran(a), TasksRan::none);
  EXPECT_EQ(ParentCpuGates::tasks_ran(lone), TasksRan::maybe);
  EXPECT_EQ(ParentCpuGates::tasks_ran(nullptr), TasksRan::maybe);
  dir.write("cpuacct/docker/cpuacct.usage", "701\n");
  gates.check_all();
  EXPECT_EQ(ParentCpuGates::tasks_ran(b), TasksRan::maybe);
  gates.remove(b);
  gates.check_all();
  gates.check_all();
  EXPECT_EQ(ParentCpuGates::tasks_ran(a), TasksRan::maybe);  // down to one child
  gates.remove(a);
  gates.remove(lone);
  gates.remove(nullptr);
  auto* again = gates.add("/docker/c");  // a fresh slot once the last child left
  ASSERT_NE(again, nullptr);
  gates.check_all();
  EXPECT_EQ(ParentCpuGates::tasks_ran(again), TasksRan::maybe);
}

}  // namespace
}  // namespace stackfit
