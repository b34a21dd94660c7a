#include "stackfit/load/compose/compose_field_readers.hpp"

#include <gtest/gtest.h>

namespace stackfit::compose {
namespace {

TEST(ComposeDuration, GoDurations) {
  EXPECT_EQ(*parse_go_duration_ms("1m30s"), 90000);
  EXPECT_EQ(*parse_go_duration_ms("500ms"), 500);
  EXPECT_EQ(*parse_go_duration_ms("10s"), 10000);
  EXPECT_EQ(*parse_go_duration_ms("1h"), 3600000);
  EXPECT_EQ(*parse_go_duration_ms("1.5s"), 1500);
  EXPECT_EQ(*parse_go_duration_ms("0"), 0);
  EXPECT_EQ(*parse_go_duration_ms("2500us"), 2);
  EXPECT_EQ(parse_go_duration_ms("10").error().message, "invalid duration \"10\"");
  EXPECT_EQ(parse_go_duration_ms("5 s").error().message, "invalid duration \"5 s\"");
  EXPECT_EQ(parse_go_duration_ms("").error().message, "invalid duration \"\"");
  EXPECT_EQ(parse_go_duration_ms("-1s").error().message, "invalid duration \"-1s\"");
}

TEST(ComposeShellWords, SplitsLikeAShell) {
  using V = std::vector<std::string>;
  EXPECT_EQ(*split_shell_words("redis-server --maxmemory 256mb"), (V{"redis-server", "--maxmemory", "256mb"}));
  EXPECT_EQ(*split_shell_words("sh -c 'echo a  b' \"x \\\"y\\\"\" c\\ d"), (V{"sh", "-c", "echo a  b", "x \"y\"", "c d"}));
  EXPECT_EQ(*split_shell_words("  "), V{});
  EXPECT_EQ(*split_shell_words("a''b \"\""), (V{"ab", ""}));
  EXPECT_EQ(split_shell_words("echo 'open").error().message, "unterminated quote");
}

TEST(ComposeFieldReaders, TypeErrorsNameThePathAndTheKind) {
  auto file = std::make_shared<const std::string>("c.yml");
  auto doc = yaml::parse_single_document("a: [1]\nb: {x: 1}\nc: ~\nd: 12x\ne: yes\nf: 1.5\n", file);
  ASSERT_TRUE(doc);
  EXPECT_EQ(read_bytes(*doc->find("a"), "p").error().message,
            "c.yml:1:4: p: expected a byte value (string or number), got a list");
  EXPECT_EQ(read_cpus(*doc->find("b"), "p").error().message,
            "c.yml:2:4: p: expected a number of CPUs (string or number), got a mapping");
  EXPECT_EQ(read_integer(*doc->find("c"), "p").error().message, "c.yml:3:4: p: expected an integer, got null");
  EXPECT_EQ(read_bytes(*doc->find("d"), "p").error().message,
            "c.yml:4:4: p: invalid byte value \"12x\": unknown unit \"x\"");
  EXPECT_EQ(read_bool(*doc->find("e"), "p").error().message, "c.yml:5:4: p: expected true or false, got \"yes\"");
  EXPECT_EQ(read_integer(*doc->find("f"), "p").error().message, "c.yml:6:4: p: expected an integer, got \"1.5\"");
  EXPECT_EQ(read_string(*doc->find("a"), "p").error().message, "c.yml:1:4: p: expected a string, got a list");
  EXPECT_EQ(expect_mapping(*doc->find("d"), "p").error().message, "c.yml:4:4: p: expected a mapping, got a scalar");
}

}  // namespace
}  // namespace stackfit::compose
