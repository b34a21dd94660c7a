#include "stackfit/load/compose/compose_interpolation.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>

namespace stackfit::compose {
namespace {

VariableLookup vars(std::map<std::string, std::string, std::less<>> values) {
  auto shared = std::make_shared<std::map<std::string, std::string, std::less<>>>(std::move(values));
  return [shared](std::string_view name) -> std::optional<std::string> {
    auto it = shared->find(name);
    if (it == shared->end()) return std::nullopt;
    return it->second;
  };
}

std::string sub(std::string_view text, const VariableLookup& lookup) {
  auto r = substitute_variables(text, lookup);
  return r ? *r : "ERROR: " + r.error().message;
}

TEST(ComposeInterpolation, BracedAndBareNames) {
  auto v = vars({{"A", "1"}, {"B_2", "two"}});
  EXPECT_EQ(sub("${A}-$B_2-${A}x", v), "1-two-1x");
  EXPECT_EQ(sub("$A.$B_2/", v), "1.two/");
  EXPECT_EQ(sub("no vars", v), "no vars");
}

TEST(ComposeInterpolation, UnsetWithoutDefaultIsEmpty) {
  EXPECT_EQ(sub("[${NOPE}][$NOPE]", vars({})), "[][]");
}

TEST(ComposeInterpolation, DefaultsDistinguishUnsetFromEmpty) {
  auto v = vars({{"EMPTY", ""}, {"SET", "s"}});
  EXPECT_EQ(sub("${EMPTY:-d}|${EMPTY-d}|${UNSET:-d}|${UNSET-d}|${SET:-d}", v), "d||d|d|s");
}

TEST(ComposeInterpolation, AlternativeValues) {
  auto v = vars({{"EMPTY", ""}, {"SET", "s"}});
  EXPECT_EQ(sub("${SET:+a}|${EMPTY:+a}|${EMPTY+a}|${UNSET+a}", v), "a||a|");
}

TEST(ComposeInterpolation, NestedDefaults) {
  auto v = vars({{"B", "b"}});
  EXPECT_EQ(sub("${A:-${B:-x}}", v), "b");
  EXPECT_EQ(sub("${A:-${C:-x}}", v), "x");
  EXPECT_EQ(sub("${A:-pre-${B}-post}", v), "pre-b-post");
}

TEST(ComposeInterpolation, DefaultMayContainColonsAndDashes) {
  // immich: ${EXPOSE_PORT-:2283:2283}; netbox: ${VERSION-v4.1-3.0.2}
  EXPECT_EQ(sub("${EXPOSE_PORT-:2283:2283}", vars({})), ":2283:2283");
  EXPECT_EQ(sub("${VERSION-v4.1-3.0.2}", vars({})), "v4.1-3.0.2");
}

TEST(ComposeInterpolation, DollarDollarEscapes) {
  EXPECT_EQ(sub("$$HOME and $${X} and $$$$", vars({{"HOME", "h"}})), "$HOME and ${X} and $$");
}

TEST(ComposeInterpolation, RequiredVariables) {
  auto v = vars({{"EMPTY", ""}});
  EXPECT_EQ(sub("${DB:?set DB first}", v), "ERROR: required variable DB is missing a value: set DB first");
  EXPECT_EQ(sub("${EMPTY:?no}", v), "ERROR: required variable EMPTY is missing a value: no");
  EXPECT_EQ(sub("${EMPTY?no}", v), "");
  EXPECT_EQ(sub("${DB?}", v), "ERROR: required variable DB is missing a value");
}

TEST(ComposeInterpolation, InvalidFormats) {
  auto v = vars({});
  EXPECT_EQ(sub("${A", v), "ERROR: invalid interpolation format in \"${A\"; use $$ for a literal $");
  EXPECT_EQ(sub("cost: 5$", v), "ERROR: invalid interpolation format in \"cost: 5$\"; use $$ for a literal $");
  EXPECT_EQ(sub("${}", v), "ERROR: invalid interpolation format in \"${}\"; use $$ for a literal $");
  EXPECT_EQ(sub("${A*b}", v), "ERROR: invalid interpolation format in \"${A*b}\"; use $$ for a literal $");
  EXPECT_EQ(sub("$1", v), "ERROR: invalid interpolation format in \"$1\"; use $$ for a literal $");
}

TEST(ComposeInterpolation, HostileNestingIsBounded) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "${A:-";
  text += "x";
  for (int i = 0; i < 40; ++i) text += "}";
  EXPECT_EQ(sub(text, vars({})), "ERROR: interpolation nested deeper than 32 levels");
}

TEST(ComposeInterpolation, TreeValuesNotKeysWithLocation) {
  auto file = std::make_shared<const std::string>("c.yml");
  auto doc = yaml::parse_single_document("${K}: ${V}\nlist:\n  - ${V}\n  - x${MISSING:?gone}\n", file);
  ASSERT_TRUE(doc) << doc.error().message;
  auto v = vars({{"V", "val"}, {"K", "key"}});
  yaml::Node ok = *doc;
  ok.find("list")->items.pop_back();
  ASSERT_TRUE(interpolate_tree(ok, v));
  EXPECT_EQ(ok.entries[0].key, "${K}");
  EXPECT_EQ(ok.entries[0].value.text, "val");
  EXPECT_EQ(ok.find("list")->items[0].text, "val");
  auto r = interpolate_tree(*doc, v);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "c.yml:4:5: required variable MISSING is missing a value: gone");
}

}  // namespace
}  // namespace stackfit::compose
