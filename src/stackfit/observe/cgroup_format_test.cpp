#include "stackfit/observe/cgroup_format.hpp"

#include <gtest/gtest.h>

#include <array>

#include "stackfit/util/file_io.hpp"

namespace stackfit {
namespace {

TEST(CgroupFormat, IntegerWithAndWithoutNewline) {
  EXPECT_EQ(parse_cgroup_integer("10035200\n", "f").value(), 10035200);
  EXPECT_EQ(parse_cgroup_integer("0", "f").value(), 0);
}

TEST(CgroupFormat, IntegerPastInt64Saturates) {
  EXPECT_EQ(parse_cgroup_integer("18446744073709551615\n", "f").value(), INT64_MAX);
}

TEST(CgroupFormat, IntegerGarbageNamesTheFile) {
  auto r = parse_cgroup_integer("12x\n", "/cg/memory.usage_in_bytes");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::bad_input);
  EXPECT_EQ(r.error().message, "/cg/memory.usage_in_bytes: expected a number, got \"12x\"");
  EXPECT_EQ(parse_cgroup_integer("", "f").error().message, "f: expected a number, got \"\"");
  EXPECT_EQ(parse_cgroup_integer("-5\n", "f").error().message, "f: expected a number, got \"-5\"");
}

TEST(CgroupFormat, LimitsUnlimitedInBothVersions) {
  EXPECT_EQ(parse_cgroup_limit("max\n", "f").value(), std::nullopt);
  EXPECT_EQ(parse_cgroup_limit("9223372036854771712\n", "f").value(), std::nullopt);
  // 64 KiB pages round PAGE_COUNTER_MAX differently; still unlimited.
  EXPECT_EQ(parse_cgroup_limit("9223372036854710272\n", "f").value(), std::nullopt);
  EXPECT_EQ(parse_cgroup_limit("268435456\n", "f").value(), std::optional<std::int64_t>{268435456});
  EXPECT_EQ(parse_cgroup_limit("maximum\n", "f").error().message, "f: expected a number, got \"maximum\"");
}

TEST(CgroupFormat, FlatKeyedFillsWantedKeysOnly) {
  std::array<KeyedField, 3> fields{{{"oom_kill", {}}, {"under_oom", {}}, {"absent", {}}}};
  ASSERT_TRUE(parse_flat_keyed("oom_kill_disable 0\nunder_oom 1\noom_kill 7\n", fields, "f"));
  EXPECT_EQ(fields[0].value, 7);
  EXPECT_EQ(fields[1].value, 1);
  EXPECT_EQ(fields[2].value, std::nullopt);
}

TEST(CgroupFormat, FlatKeyedRefusesAGarbledLine) {
  std::array<KeyedField, 1> fields{{{"cache", {}}}};
  auto r = parse_flat_keyed("cache 4096\nrss\x01 lots\nswap 0\n", fields, "/cg/memory.stat");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::bad_input);
  EXPECT_EQ(r.error().message, "/cg/memory.stat: line 2: expected \"<key> <number>\", got \"rss? lots\"");
  EXPECT_EQ(parse_flat_keyed("novalue\n", fields, "f").error().message,
            "f: line 1: expected \"<key> <number>\", got \"novalue\"");
  EXPECT_EQ(parse_flat_keyed(" 5\n", fields, "f").error().message,
            "f: line 1: expected \"<key> <number>\", got \" 5\"");
}

// The single-pass parser keeps every rule of a line: one space, digits only,
// a newline or the end after them, values saturating exactly at int64 max.
TEST(CgroupFormat, FlatKeyedEdgeCases) {
  std::array<KeyedField, 2> fields{{{"a", {}}, {"b", {}}}};
  ASSERT_TRUE(parse_flat_keyed("a 9223372036854775806\nb 9223372036854775807", fields, "f"));
  EXPECT_EQ(fields[0].value, INT64_MAX - 1);
  EXPECT_EQ(fields[1].value, INT64_MAX);
  ASSERT_TRUE(parse_flat_keyed("a 9223372036854775808\nb 123456789012345678901234567890\n", fields, "f"));
  EXPECT_EQ(fields[0].value, INT64_MAX);
  EXPECT_EQ(fields[1].value, INT64_MAX);
  ASSERT_TRUE(parse_flat_keyed("a 0009\n", fields, "f"));
  EXPECT_EQ(fields[0].value, 9);
  ASSERT_TRUE(parse_flat_keyed("", fields, "f"));
  for (std::string_view bad : {"a 1\r\n", "a  1\n", "a +1\n", "a -1\n", "a 1 \n", "a \n", "a", "a ", "A 1\n",
                               "a 1\n\nb 2\n", "a 1x\n", "a\t1\n"}) {
    auto r = parse_flat_keyed(bad, fields, "f");
    EXPECT_FALSE(r) << "accepted: " << bad;
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::bad_input);
    }
  }
  EXPECT_EQ(parse_flat_keyed("a 1\n\nb 2\n", fields, "f").error().message,
            "f: line 2: expected \"<key> <number>\", got \"\"");
}

TEST(CgroupFormat, FlatKeyedQuotesAtMostSixtyCharacters) {
  std::array<KeyedField, 1> fields{{{"x", {}}}};
  std::string line(100, 'a');
  EXPECT_EQ(parse_flat_keyed(line, fields, "f").error().message,
            "f: line 1: expected \"<key> <number>\", got \"" + std::string(60, 'a') + "...\"");
}

TEST(CgroupFormat, PressureSomeAvg10) {
  EXPECT_DOUBLE_EQ(parse_pressure_some_avg10("some avg10=1.25 avg60=0.42 avg300=0.09 total=1482211\n"
                                             "full avg10=0.87 avg60=0.30 avg300=0.06 total=1039482\n",
                                             "f")
                       .value(),
                   1.25);
  auto r = parse_pressure_some_avg10("full avg10=0.87\n", "/cg/memory.pressure");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "/cg/memory.pressure: no \"some avg10=\" figure");
  EXPECT_FALSE(parse_pressure_some_avg10("some avg10=x avg60=0.00\n", "f"));
}

// The real kernel's files in both formats: this host's v1 controllers, and the
// core files (cpu.stat, memory.pressure) every cgroup2 folder has even with no
// controller enabled — here the hybrid mount at /sys/fs/cgroup/unified.
TEST(CgroupFormat, LiveKernelFilesParse) {
  const char* v1_files[] = {"/sys/fs/cgroup/memory/memory.stat", "/sys/fs/cgroup/memory/memory.oom_control",
                            "/sys/fs/cgroup/cpu/cpu.stat"};
  const char* v2_cpu_stat = "/sys/fs/cgroup/unified/cpu.stat";
  const char* v2_pressure = "/sys/fs/cgroup/unified/memory.pressure";
  if (!file_exists(v1_files[0]) || !file_exists(v2_cpu_stat) || !file_exists(v2_pressure)) {
    GTEST_SKIP() << "not a hybrid cgroup v1 host with PSI";
  }
  for (const char* path : v1_files) {
    std::array<KeyedField, 1> none{{{"-", {}}}};
    EXPECT_TRUE(parse_flat_keyed(read_file(path).value(), none, path)) << path;
  }
  std::array<KeyedField, 1> usage{{{"usage_usec", {}}}};
  ASSERT_TRUE(parse_flat_keyed(read_file(v2_cpu_stat).value(), usage, v2_cpu_stat));
  EXPECT_GT(usage[0].value.value_or(0), 0);
  auto avg10 = parse_pressure_some_avg10(read_file(v2_pressure).value(), v2_pressure);
  ASSERT_TRUE(avg10) << avg10.error().message;
  EXPECT_GE(*avg10, 0.0);
  EXPECT_LE(*avg10, 100.0);
}

}  // namespace
}  // namespace stackfit
