#include <gtest/gtest.h>

#include "stackfit/load/yaml_node.hpp"

namespace stackfit::yaml {
namespace {

const auto k_file = std::make_shared<const std::string>("test.yml");

Node parse(const std::string& text) {
  auto r = parse_single_document(text, k_file);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : Node{};
}

std::string error_of(const std::string& text, const ParseLimits& limits = {}) {
  auto r = parse_single_document(text, k_file, limits);
  EXPECT_FALSE(r.has_value());
  return r ? std::string("<no error>") : r.error().message;
}

TEST(YamlParser, MappingsSequencesScalarsWithLocations) {
  Node root = parse("services:\n  web:\n    image: nginx\n    ports: [80, \"443\"]\n");
  ASSERT_TRUE(root.is_mapping());
  const Node* web = root.find("services")->find("web");
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->find("image")->text, "nginx");
  EXPECT_EQ(web->find("image")->location.to_string(), "test.yml:3:12");
  EXPECT_EQ(web->find_entry("image")->key_location.to_string(), "test.yml:3:5");
  const Node* ports = web->find("ports");
  ASSERT_TRUE(ports->is_sequence());
  ASSERT_EQ(ports->items.size(), 2u);
  EXPECT_TRUE(ports->items[0].is_plain_scalar());
  EXPECT_FALSE(ports->items[1].is_plain_scalar());
}

TEST(YamlParser, QuotedScalarsAreLocatedAtTheirOpeningQuote) {
  Node root = parse("a: \"3\"\nb: [x, 'y']\n");
  EXPECT_EQ(root.find("a")->location.to_string(), "test.yml:1:4");
  EXPECT_EQ(root.find("b")->items[1].location.to_string(), "test.yml:2:8");
}

// libfyaml marks a block scalar at column 1 of its first line: the location
// is where the text starts, after the indentation and any blank lines.
TEST(YamlParser, BlockScalarsAreLocatedWhereTheirTextStarts) {
  Node root = parse("a:\n  b: |\n    echo $1\n    more\nc: >-\n\n\n      folded\n");
  EXPECT_EQ(root.find("a")->find("b")->location.to_string(), "test.yml:3:5");
  EXPECT_EQ(root.find("c")->location.to_string(), "test.yml:8:7");
}

TEST(YamlParser, PlainNullsAreNullButQuotedAreNot) {
  Node root = parse("a:\nb: ~\nc: null\nd: \"null\"\n");
  EXPECT_TRUE(root.find("a")->is_null());
  EXPECT_TRUE(root.find("b")->is_null());
  EXPECT_TRUE(root.find("c")->is_null());
  EXPECT_TRUE(root.find("d")->is_scalar());
}

TEST(YamlParser, AliasesAreExpanded) {
  Node root = parse("x: &lim {memory: 512M}\na: *lim\nb: *lim\n");
  EXPECT_EQ(root.find("a")->find("memory")->text, "512M");
  EXPECT_EQ(root.find("b")->find("memory")->text, "512M");
}

TEST(YamlParser, MergeKeysExplicitKeysWinAndEarlierListItemWins) {
  Node root = parse(
      "base: &base {a: 1, b: 1}\n"
      "other: &other {b: 2, c: 2}\n"
      "one:\n  <<: *base\n  a: 9\n"
      "two:\n  <<: [*other, *base]\n");
  const Node* one = root.find("one");
  EXPECT_EQ(one->find("a")->text, "9");
  EXPECT_EQ(one->find("b")->text, "1");
  EXPECT_EQ(one->find("<<"), nullptr);
  const Node* two = root.find("two");
  EXPECT_EQ(two->find("a")->text, "1");
  EXPECT_EQ(two->find("b")->text, "2");
  EXPECT_EQ(two->find("c")->text, "2");
}

TEST(YamlParser, QuotedMergeKeyIsAnOrdinaryKey) {
  Node root = parse("a:\n  \"<<\": x\n");
  EXPECT_EQ(root.find("a")->find("<<")->text, "x");
}

TEST(YamlParser, MergeOfScalarIsAnError) {
  EXPECT_EQ(error_of("x: &s hello\na:\n  <<: *s\n"),
            "test.yml:3:7: merge key '<<' needs a mapping or a list of mappings, got a scalar");
}

TEST(YamlParser, DuplicateKeyIsAnError) {
  EXPECT_EQ(error_of("a: 1\nb: 2\na: 3\n"), "test.yml:3:1: duplicate key \"a\" (first at line 1)");
}

TEST(YamlParser, MalformedYamlHasLineAndColumn) {
  std::string msg = error_of("services:\n  web:\n    image: [nginx\n");
  EXPECT_EQ(msg.rfind("test.yml:", 0), 0u) << msg;
  EXPECT_NE(msg.find("invalid YAML"), std::string::npos) << msg;
}

TEST(YamlParser, BadIndentationIsAnError) {
  std::string msg = error_of("a:\n  b: 1\n c: 2\n");
  EXPECT_EQ(msg.rfind("test.yml:3:", 0), 0u) << msg;
}

TEST(YamlParser, UnknownAliasIsAnError) {
  std::string msg = error_of("a: *nothing\n");
  EXPECT_EQ(msg.rfind("test.yml:1:", 0), 0u) << msg;
}

TEST(YamlParser, AliasBombIsBoundedInTimeAndMemory) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'j'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + prev;
    bomb += "]\n";
    prev = c;
  }
  // 10^10 nodes if expanded: the message proves the node cap stopped it
  // (ctest's timeout bounds a regression; no wall-clock bound to flake).
  std::string msg = error_of(bomb);
  EXPECT_NE(msg.find("expands to more than 1000000 nodes (alias bomb?)"), std::string::npos) << msg;
  EXPECT_EQ(msg.rfind("test.yml:", 0), 0u) << msg;
}

TEST(YamlParser, DeepNestingIsRefused) {
  std::string deep(10000, '[');
  deep += std::string(10000, ']');
  EXPECT_EQ(error_of(deep), "test.yml:1:257: nesting deeper than 256 levels");
  std::string block;
  for (int i = 0; i < 10000; ++i) block += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
  std::string msg = error_of(block);
  EXPECT_NE(msg.find("nesting deeper than 256 levels"), std::string::npos) << msg;
}

TEST(YamlParser, HugeScalarIsRefused) {
  ParseLimits limits;
  limits.max_scalar_bytes = 1 << 20;
  std::string text = "a: " + std::string(2 << 20, 'x') + "\n";
  EXPECT_EQ(error_of(text, limits), "test.yml:1:4: scalar longer than 1 MiB");
}

TEST(YamlParser, InvalidUtf8IsRefusedWithPosition) {
  EXPECT_EQ(error_of("a: 1\nb: caf\xe9\n"), "test.yml:2:7: not valid UTF-8");
  EXPECT_EQ(error_of("a: \xc0\xaf\n"), "test.yml:1:4: not valid UTF-8");  // overlong '/'
}

TEST(YamlParser, EmptyFileIsANullDocument) {
  EXPECT_TRUE(parse("").is_null());
  EXPECT_TRUE(parse("# only a comment\n").is_null());
}

TEST(YamlParser, SeveralDocumentsStreamOneAtATime) {
  std::vector<std::string> names;
  auto ok = for_each_document("a: 1\n---\nb: 2\n---\n", k_file, [&](Node&& doc) -> Expected<void> {
    names.push_back(doc.is_mapping() ? doc.entries.front().key : "<null>");
    return {};
  });
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "<null>"}));
  EXPECT_EQ(error_of("a: 1\n---\nb: 2\n"), "test.yml:3:1: more than one YAML document in this file");
}

TEST(YamlParser, AnchorsDoNotLeakAcrossDocuments) {
  auto ok = for_each_document("a: &x 1\n---\nb: *x\n", k_file, [](Node&&) -> Expected<void> { return {}; });
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().message.rfind("test.yml:3:", 0), 0u) << ok.error().message;
}

TEST(YamlParser, TagsAreKept) {
  Node root = parse("ports: !reset []\nx: !!str 5\n");
  EXPECT_NE(root.find("ports")->tag.find("reset"), std::string::npos) << root.find("ports")->tag;
  EXPECT_TRUE(root.find("x")->is_scalar());
}

}  // namespace
}  // namespace stackfit::yaml
