// doctor --kernel-log: the source choice, and saved logs that are not what
// they claim (binary garbage, NUL bytes, huge lines, huge files, a FIFO, a
// folder): a readable kill still found, else a reason, never a crash.
#include "stackfit/observe/kernel_log_reader.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

const std::string k_kill_line =
    "[21179.654778] Memory cgroup out of memory: Killed process 18993 (python3) total-vm:218760kB, "
    "anon-rss:207488kB, file-rss:5372kB, shmem-rss:0kB, UID:0 pgtables:460kB oom_score_adj:0\n";

std::string write(const testing::TempDir& dir, const std::string& name, const std::string& bytes) {
  std::string path = dir.path() + "/" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

KernelLogScan scan_file(const std::string& path) {
  KernelLogOptions options = kernel_log_choice(path);
  return scan_kernel_log(options);
}

TEST(KernelLogReader, ChoiceNamesASourceElseAFile) {
  EXPECT_EQ(kernel_log_choice("").source, KernelLogSource::any);
  EXPECT_EQ(kernel_log_choice("").file, "");
  EXPECT_EQ(kernel_log_choice("kmsg").source, KernelLogSource::kmsg);
  EXPECT_EQ(kernel_log_choice("journal").source, KernelLogSource::journal);
  EXPECT_EQ(kernel_log_choice("dmesg").source, KernelLogSource::dmesg);
  EXPECT_EQ(kernel_log_choice("dmesg").file, "");
  EXPECT_EQ(kernel_log_choice("./dmesg").file, "./dmesg");
  EXPECT_EQ(kernel_log_choice("./dmesg").source, KernelLogSource::any);
}

TEST(KernelLogReader, BinaryGarbageIsNoKernelLog) {
  testing::TempDir dir;
  std::mt19937 random(14);
  std::string garbage(1 << 20, '\0');
  for (char& c : garbage) c = static_cast<char>(random() & 0xff);
  std::string path = write(dir, "garbage.bin", garbage);
  KernelLogScan scan = scan_file(path);
  EXPECT_FALSE(scan.readable);
  EXPECT_EQ(scan.problem, path + ": no kernel log records");
  EXPECT_TRUE(scan.kills.empty());
  path = write(dir, "empty.log", "");
  EXPECT_EQ(scan_file(path).problem, path + ": no kernel log records");
}

TEST(KernelLogReader, NulBytesAndHugeLinesDoNotHideAKill) {
  testing::TempDir dir;
  std::string nul_line = std::string("[1.0] a") + '\0' + "b message with a NUL\n";
  std::string huge = "[2.0] " + std::string(8 << 20, 'A') + "\n";  // one 8 MiB line
  std::string named_nul = "[3.0] Memory cgroup out of memory: Killed process 7 (py";
  named_nul += '\0';
  named_nul += "x) total-vm:1kB, anon-rss:1kB, file-rss:0kB\n";
  std::string path = write(dir, "hostile.log", nul_line + huge + named_nul + k_kill_line);
  KernelLogScan scan = scan_file(path);
  ASSERT_TRUE(scan.readable) << scan.problem;
  EXPECT_EQ(scan.source, path);
  EXPECT_EQ(scan.records, 4);
  ASSERT_EQ(scan.kills.size(), 2u);
  EXPECT_EQ(scan.kills[0].pid, 7);
  EXPECT_EQ(scan.kills[0].process, "py?x");  // a control byte shown as '?'
  EXPECT_EQ(scan.kills[1].pid, 18993);
  EXPECT_EQ(scan.kills[1].process, "python3");
}

TEST(KernelLogReader, FilesThatCannotBeReadAreNamed) {
  testing::TempDir dir;
  std::string big = dir.path() + "/big.log";
  std::ofstream(big) << k_kill_line;
  ASSERT_EQ(::truncate(big.c_str(), 65LL << 20), 0);  // sparse: 65 MiB without writing them
  EXPECT_EQ(scan_file(big).problem, big + ": file larger than 64 MiB, refused");
  EXPECT_EQ(scan_file(dir.path()).problem, dir.path() + ": is a directory");
  std::string fifo = dir.path() + "/fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(scan_file(fifo).problem, fifo + ": not a regular file");  // refused, never waited on
}

TEST(KernelLogReader, OneChosenSourceHasNoFallback) {
  testing::TempDir dir;
  KernelLogOptions options = kernel_log_choice("kmsg");
  options.kmsg_path = dir.path() + "/no-kmsg";
  KernelLogScan scan = scan_kernel_log(options);
  EXPECT_FALSE(scan.readable);
  EXPECT_EQ(scan.problem, dir.path() + "/no-kmsg: No such file or directory");  // journalctl and dmesg not tried
}

}  // namespace
}  // namespace stackfit
