// The OOM killer's log lines of several kernels (fixtures in
// tests/fixtures/kernel-log, one per shape; see kernel_oom_parser.hpp), and
// broken or hostile lines.
#include "stackfit/observe/kernel_oom_parser.hpp"

#include <gtest/gtest.h>

#include "stackfit/observe/kernel_log_reader.hpp"
#include "stackfit/util/file_io.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

constexpr std::int64_t k_boot_ms = 1'700'000'000'000;
const std::string k_a = "b07a4a316cfaf0244227a1523bcbf3e1e56f0e09aae5b7d4b75cd6cc58feebfb";
const std::string k_b = "9f3c2e1d0b8a7f6e5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a291807f6e";
const std::string k_c = "34186d9bd07706222bd427bb647ceed81e8e108eb653ff73c7137099fca1cab6";
const std::string k_k = "e1a9f2c3b4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f";

std::vector<OomKill> parse_fixture(const std::string& name) {
  auto text = read_file(testing::source_path("tests/fixtures/kernel-log/" + name));
  EXPECT_TRUE(text.has_value()) << name;
  KernelOomParser parser;
  std::string_view rest = text ? *text : std::string_view{};
  while (!rest.empty()) {
    auto newline = rest.find('\n');
    feed_kernel_log_line(rest.substr(0, newline), k_boot_ms, parser);
    if (newline == std::string_view::npos) break;
    rest.remove_prefix(newline + 1);
  }
  return parser.finish();
}

std::vector<OomKill> parse_lines(const std::vector<std::string>& messages) {
  KernelOomParser parser;
  std::int64_t t = 0;
  for (const std::string& m : messages) parser.feed(++t, m);
  return parser.finish();
}

TEST(KernelOomParser, Kernel618CgroupV1DockerAndPodman) {
  auto kills = parse_fixture("kmsg-6.18-cgroup-v1.txt");
  ASSERT_EQ(kills.size(), 2u);
  EXPECT_EQ(kills[0].pid, 22158);
  EXPECT_EQ(kills[0].process, "python3");
  EXPECT_EQ(kills[0].cgroup, "/docker/" + k_a);
  EXPECT_EQ(kills[0].constraint, "memcg");
  EXPECT_EQ(kills[0].anon_rss->count, 32256 * 1024);
  EXPECT_EQ(kills[0].time_unix_ms, k_boot_ms + 8453681075 / 1000);
  EXPECT_EQ(kills[1].cgroup, "/libpod_parent/libpod-4a8d3371cf303b4b4142c64b4400bc4d3d919827277a107c74eff696ad102f82");
  EXPECT_EQ(kills[1].pid, 28172);
}

TEST(KernelOomParser, Kernel515CgroupV2SystemdKubepodsAndGlobal) {
  auto kills = parse_fixture("journal-5.15-cgroup-v2-systemd.txt");
  ASSERT_EQ(kills.size(), 3u);
  EXPECT_EQ(kills[0].cgroup, "/system.slice/docker-" + k_b + ".scope");
  EXPECT_EQ(kills[0].process, "node");
  EXPECT_EQ(kills[0].time_unix_ms, 1733500000124);  // journal times are wall-clock already
  EXPECT_EQ(kills[0].anon_rss->count, 262144LL * 1024);
  EXPECT_EQ(kills[1].process, "java");
  EXPECT_NE(kills[1].cgroup.find("cri-containerd-" + k_k + ".scope"), std::string::npos);
  EXPECT_EQ(kills[2].constraint, "system");
  EXPECT_EQ(kills[2].cgroup, "/user.slice/user-1000.slice/session-3.scope");
  EXPECT_EQ(kills[2].process, "chrome");
}

TEST(KernelOomParser, Kernel415TaskInLineAndSacrificedChild) {
  auto kills = parse_fixture("dmesg-4.15-cgroup-v1.txt");
  ASSERT_EQ(kills.size(), 2u);
  EXPECT_EQ(kills[0].pid, 2188);
  EXPECT_EQ(kills[0].process, "mysqld");
  EXPECT_EQ(kills[0].cgroup, "/docker/" + k_c);
  EXPECT_EQ(kills[0].constraint, "memcg");
  EXPECT_EQ(kills[0].time_unix_ms, k_boot_ms + 14808064);
  // A machine-wide kill: the child that was sacrificed is the victim, no cgroup.
  EXPECT_EQ(kills[1].pid, 3002);
  EXPECT_EQ(kills[1].process, "java-child");
  EXPECT_EQ(kills[1].cgroup, "");
  EXPECT_EQ(kills[1].constraint, "system");
}

TEST(KernelOomParser, Rhel6KilledProcessWithUid) {
  auto kills = parse_fixture("dmesg-2.6-rhel6.txt");
  ASSERT_EQ(kills.size(), 1u);
  EXPECT_EQ(kills[0].pid, 215701);
  EXPECT_EQ(kills[0].process, "java");
  EXPECT_EQ(kills[0].cgroup, "/LXC011175068174");
  EXPECT_EQ(kills[0].anon_rss->count, 7152432LL * 1024);
}

TEST(KernelOomParser, Kernel419PaddedPidAndKubepodsCgroupfs) {
  auto kills = parse_fixture("kmsg-4.19-kubepods-cgroupfs.txt");
  ASSERT_EQ(kills.size(), 1u);
  EXPECT_EQ(kills[0].pid, 321);
  EXPECT_EQ(kills[0].process, "redis-server");
  EXPECT_EQ(kills[0].cgroup, "/kubepods/burstable/pod5f0e2b7a-1c3d-4e5f-8a9b-0c1d2e3f4a5b/" + k_k);
}

TEST(KernelOomParser, NodemaskWithCommasAndCommWithCommaAndParens) {
  auto kills = parse_lines({"oom-kill:constraint=CONSTRAINT_CPUSET,nodemask=0-1,3,cpuset=/,mems_allowed=0-3,"
                            "oom_memcg=/a,b,task_memcg=/a,b/c,task=we,ird (x),pid=55,uid=0",
                            "Memory cgroup out of memory: Killed process 55 (we,ird (x)) total-vm:1kB, anon-rss:2kB"});
  ASSERT_EQ(kills.size(), 1u);
  EXPECT_EQ(kills[0].constraint, "cpuset");
  EXPECT_EQ(kills[0].cgroup, "/a,b/c");
  EXPECT_EQ(kills[0].process, "we,ird (x)");
  EXPECT_EQ(kills[0].anon_rss->count, 2048);
}

TEST(KernelOomParser, SummaryWithoutKilledLineIsKept) {
  auto kills = parse_lines({"oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=x,mems_allowed=0,"
                            "oom_memcg=/docker/" + k_a + ",task_memcg=/docker/" + k_a + ",task=sh,pid=9,uid=0"});
  ASSERT_EQ(kills.size(), 1u);
  EXPECT_EQ(kills[0].pid, 9);
  EXPECT_FALSE(kills[0].anon_rss.has_value());
}

TEST(KernelOomParser, BrokenAndHostileLinesFindNothing) {
  auto kills = parse_lines({
      "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),task=x,pid=abc,uid=0",   // pid not a number
      "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),task=x,pid=-5,uid=0",    // negative
      "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),task=x,pid=99999999999999999999,uid=0",  // overflow
      "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),task=x",                   // cut
      "Killed process (x) total-vm:1kB",                                               // no pid
      "Killed process 12",                                                             // no comm
      "usb 1-1: Killed process 5 (x) blah",                                            // someone else's words
      "audit: Killed process 77 (sh)",                                                 // not the OOM killer's prefix
      "", "   ", std::string(100000, 'A'), std::string("\0\0\0", 3),
  });
  EXPECT_TRUE(kills.empty());
}

TEST(KernelOomParser, ControlCharactersAndLongNamesAreCut) {
  std::string comm = "evil\x1b[31m" + std::string(500, 'x');
  auto kills = parse_lines({"Out of memory: Killed process 7 (" + comm + ") total-vm:1kB, anon-rss:99999999999999999999kB"});
  ASSERT_EQ(kills.size(), 1u);
  EXPECT_EQ(kills[0].process.size(), k_max_oom_process_bytes);
  EXPECT_EQ(kills[0].process.substr(0, 8), "evil?[31");
  EXPECT_FALSE(kills[0].anon_rss.has_value());  // overflowing kB: unknown, not wrapped
}

TEST(KernelOomParser, KillCountIsBounded) {
  KernelOomParser parser;
  for (std::size_t i = 0; i < k_max_oom_kills + 5; ++i) {
    parser.feed(static_cast<std::int64_t>(i), "Out of memory: Killed process " + std::to_string(i + 1) + " (x)");
  }
  auto kills = parser.finish();
  ASSERT_EQ(kills.size(), k_max_oom_kills);
  EXPECT_EQ(kills.front().pid, 6);  // the oldest went first
}

TEST(KernelLogReader, LineFormatsAndContinuations) {
  KernelOomParser parser;
  EXPECT_TRUE(feed_kernel_log_line("6,1,2000000,-;hello", 0, parser));
  EXPECT_TRUE(feed_kernel_log_line("6,1,2000000,-,caller=T1;hello", 0, parser));
  EXPECT_TRUE(feed_kernel_log_line("[   12.500000] hello", 0, parser));
  EXPECT_TRUE(feed_kernel_log_line("1733500000.5 host kernel: hello", 0, parser));
  EXPECT_FALSE(feed_kernel_log_line(" SUBSYSTEM=memory", 0, parser));
  EXPECT_FALSE(feed_kernel_log_line("[abc] hello", 0, parser));
  EXPECT_FALSE(feed_kernel_log_line("x,y,z;hello", 0, parser));
  EXPECT_FALSE(feed_kernel_log_line("1733500000.5 host sshd: hello", 0, parser));
  EXPECT_FALSE(feed_kernel_log_line("[99999999999999999999.1] hello", 0, parser));
}

TEST(KernelLogReader, SavedFileAndSince) {
  KernelLogOptions options;
  options.file = testing::source_path("tests/fixtures/kernel-log/journal-5.15-cgroup-v2-systemd.txt");
  options.since_unix_ms = 1733500100000;
  KernelLogScan scan = scan_kernel_log(options);
  EXPECT_TRUE(scan.readable);
  EXPECT_EQ(scan.source, options.file);
  EXPECT_EQ(scan.records, 7);
  ASSERT_EQ(scan.kills.size(), 2u);  // the first kill is older than --since
  EXPECT_EQ(scan.kills[0].process, "java");
}

TEST(KernelLogReader, UnreadableSourcesAreNamedNotFatal) {
  testing::TempDir dir;
  KernelLogOptions options;
  options.kmsg_path = dir.path() + "/no-kmsg";
  options.source = KernelLogSource::kmsg;
  KernelLogScan scan = scan_kernel_log(options);
  EXPECT_FALSE(scan.readable);
  EXPECT_EQ(scan.problem, dir.path() + "/no-kmsg: No such file or directory");
  options.file = dir.path() + "/missing.log";
  scan = scan_kernel_log(options);
  EXPECT_FALSE(scan.readable);
  EXPECT_EQ(scan.problem.substr(0, options.file.size()), options.file);
}

}  // namespace
}  // namespace stackfit
