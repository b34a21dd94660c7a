// YamlOut: every string, however hostile, reads back as the same string
// through the YAML parser stackfit loads files with.
#include "stackfit/emit/yaml_out.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "stackfit/load/yaml_node.hpp"

namespace stackfit {
namespace {

yaml::Node parse(const std::string& text) {
  auto doc = yaml::parse_single_document(text, std::make_shared<const std::string>("out.yml"));
  EXPECT_TRUE(doc) << (doc ? "" : doc.error().message) << "\n" << text;
  return doc ? *doc : yaml::Node{};
}

TEST(YamlOut, PlainOnlyForIdentifiers) {
  EXPECT_EQ(yaml_scalar("api"), "api");
  EXPECT_EQ(yaml_scalar("web-1.internal"), "web-1.internal");
  EXPECT_EQ(yaml_scalar("512m"), "\"512m\"");
  EXPECT_EQ(yaml_scalar("yes"), "\"yes\"");
  EXPECT_EQ(yaml_scalar("Off"), "\"Off\"");
  EXPECT_EQ(yaml_scalar("null"), "\"null\"");
  EXPECT_EQ(yaml_scalar(""), "\"\"");
  EXPECT_EQ(yaml_scalar("-Xmx1g"), "\"-Xmx1g\"");
  EXPECT_EQ(yaml_scalar("a: b"), "\"a: b\"");
}

TEST(YamlOut, EscapesControlAndSpecialCharacters) {
  EXPECT_EQ(yaml_double_quoted("a\"b\\c\n\t\x01\x7f"), "\"a\\\"b\\\\c\\n\\t\\x01\\x7F\"");
  EXPECT_EQ(yaml_double_quoted("\xc2\x85"), "\"\\u0085\"");  // NEL
  EXPECT_EQ(yaml_double_quoted("\xe2\x80\xa8"),
            "\"\\u2028\"");                                         // line separator
  EXPECT_EQ(yaml_double_quoted("caf\xc3\xa9"), "\"caf\xc3\xa9\"");  // é stays
  EXPECT_EQ(yaml_double_quoted("\xff"), "\"\\xFF\"");               // not UTF-8
}

TEST(YamlOut, HostileKeysAndValuesRoundTrip) {
  const std::vector<std::string> hostile = {
      "a: b #c",   "- item", "? key",       "*alias",       "&anchor",    "!tag",      "|",          ">",
      "%YAML",     "@x",     "`x",          "'single'",     "\"double\"", "trailing ", " leading",   "multi\nline",
      "tab\there", "0x1F",   "1e3",         "12:30",        "~",          "No",        "2026-11-30", "{flow}",
      "[seq]",     "x,y",    "caf\xc3\xa9", "\xe2\x80\xa8", "#",          "key:",      "$VAR ${X}",  ".inf"};
  YamlOut root = YamlOut::mapping();
  for (const std::string& s : hostile) root.at("services").at(s).set("value", YamlOut::string(s));
  yaml::Node doc = parse(root.render());
  const yaml::Node* services = doc.find("services");
  ASSERT_NE(services, nullptr);
  ASSERT_EQ(services->entries.size(), hostile.size());
  for (std::size_t i = 0; i < hostile.size(); ++i) {
    EXPECT_EQ(services->entries[i].key, hostile[i]);
    const yaml::Node* v = services->entries[i].value.find("value");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->text, hostile[i]);
    EXPECT_FALSE(v->is_plain_scalar() && hostile[i] != v->text);
  }
}

TEST(YamlOut, BlockLayout) {
  YamlOut root = YamlOut::mapping();
  YamlOut& api = root.at("services").at("api");
  api.set("mem_limit", YamlOut::string("512m"));
  api.set("command", YamlOut::strings({"redis-server", "--maxmemory", "384mb"}));
  api.set("empty", YamlOut::mapping());
  YamlOut containers = YamlOut::sequence();
  YamlOut c = YamlOut::mapping();
  c.set("name", YamlOut::string("app"));
  c.at("resources").at("limits").set("memory", YamlOut::string("1Gi"));
  containers.push(std::move(c));
  api.set("containers", std::move(containers));
  EXPECT_EQ(root.render(),
            "services:\n"
            "  api:\n"
            "    mem_limit: \"512m\"\n"
            "    command:\n"
            "      - redis-server\n"
            "      - \"--maxmemory\"\n"
            "      - \"384mb\"\n"
            "    empty: {}\n"
            "    containers:\n"
            "      - name: app\n"
            "        resources:\n"
            "          limits:\n"
            "            memory: \"1Gi\"\n");
}

}  // namespace
}  // namespace stackfit
