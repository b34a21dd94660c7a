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
  EXPECT_EQ(sub("${}", v), "ERROR: invalid interpolation format in \"${}\"; use $$ for a literal $");
  EXPECT_EQ(sub("${A*b}", v), "ERROR: invalid interpolation format in \"${A*b}\"; use $$ for a literal $");
  EXPECT_EQ(sub("${ A}", v), "ERROR: invalid interpolation format in \"${ A}\"; use $$ for a literal $");
  EXPECT_EQ(sub("${A }", v), "ERROR: invalid interpolation format in \"${A }\"; use $$ for a literal $");
  EXPECT_EQ(sub("${1}", v), "ERROR: invalid interpolation format in \"${1}\"; use $$ for a literal $");
  EXPECT_EQ(sub("end ${", v), "ERROR: invalid interpolation format in \"end ${\"; use $$ for a literal $");
}

// compose-go's pattern matches a `$` only before `$`, `{` or a name start;
// any other `$` is text (TestUnescaped), as in Compose v2. (The Python
// docker-compose 1.29 refuses a lone `$` outside a default.)
TEST(ComposeInterpolation, LoneDollarIsText) {
  auto v = vars({{"A", "a"}});
  EXPECT_EQ(sub("$1", v), "$1");
  EXPECT_EQ(sub("cost: 5$", v), "cost: 5$");
  EXPECT_EQ(sub("a $ string", v), "a $ string");
  EXPECT_EQ(sub("^REGEX$", v), "^REGEX$");
  EXPECT_EQ(sub("$}", v), "$}");
  EXPECT_EQ(sub("$", v), "$");
  EXPECT_EQ(sub("make -j$(nproc) $A", v), "make -j$(nproc) a");
  // A bcrypt hash as a default (found on a real file): `$2` stays, but a `$`
  // before a letter is a variable, in Compose as here.
  EXPECT_EQ(sub("${ADMIN_PASSWORD_HASH:-$2a$14$9bc.DEF/ghi}", v), "$2a$14$9bc.DEF/ghi");
  EXPECT_EQ(sub("${ADMIN_PASSWORD_HASH:-$2a$14$abc.DEF/ghi}", v), "$2a$14.DEF/ghi");
}

TEST(ComposeInterpolation, RequiredMessageIsSubstitutedAndOneLine) {
  auto v = vars({{"FOO", "first"}});
  EXPECT_EQ(sub("${UNSET:?Mandatory ${FOO}}", v), "ERROR: required variable UNSET is missing a value: Mandatory first");
  EXPECT_EQ(sub("${UNSET?Mandatory $FOO}", v), "ERROR: required variable UNSET is missing a value: Mandatory first");
  EXPECT_EQ(sub("${UNSET:?line one\x1b[2J}", v),
            "ERROR: required variable UNSET is missing a value: line one\\x1b[2J");
  EXPECT_EQ(sub("${UNSET:?${FOO}}", vars({{"FOO", "a\nb"}})), "ERROR: required variable UNSET is missing a value: a…");
}

// compose-go substitutes a default even when the variable is set, so an error
// inside it is an error; a `}` on another line does not close a `${A:-`.
TEST(ComposeInterpolation, DefaultsAreCheckedEvenWhenUnused) {
  auto v = vars({{"A", "a"}});
  EXPECT_EQ(sub("${A:-${B:?b is needed}}", v), "ERROR: required variable B is missing a value: b is needed");
  EXPECT_EQ(sub("${A:-x\n}", v), "ERROR: invalid interpolation format in \"${A:-x…\"; use $$ for a literal $");
}

TEST(ComposeInterpolation, GreedyBracesFollowComposeGo) {
  auto v = vars({{"A", "a"}});
  EXPECT_EQ(sub("${B:-x} and ${A}", v), "x and a");
  EXPECT_EQ(sub("${B:-{x}}", v), "{x}");
  EXPECT_EQ(sub("${B:-}}", v), "}");
  EXPECT_EQ(sub("${B-x}${C-y}\n${D-z}", v), "xy\nz");
}

TEST(ComposeInterpolation, ErrorQuotesOneLineOfTheValue) {
  auto v = vars({});
  EXPECT_EQ(sub("echo $1\nmake -j$(nproc) ${A\nmore\n", v),
            "ERROR: invalid interpolation format in \"echo $1…\"; use $$ for a literal $");
  EXPECT_EQ(sub("\x1b]0;${\x07", v),
            "ERROR: invalid interpolation format in \"\\x1b]0;${\\x07\"; use $$ for a literal $");
}

TEST(ComposeInterpolation, ManyDefaultsOnOneLineAreNotNested) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "${V" + std::to_string(i) + ":-d}";
  auto r = substitute_variables(text, vars({}));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, std::string(2000, 'd'));
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
