#include "stackfit/load/compose/compose_env_file.hpp"

#include <gtest/gtest.h>

#include "testing/corpus.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit::compose {
namespace {

VariableLookup none() {
  return [](std::string_view) { return std::optional<std::string>{}; };
}

KeyValues parse(std::string_view text, const VariableLookup& outer = none()) {
  auto r = parse_env_file(text, ".env", outer);
  EXPECT_TRUE(r) << r.error().message;
  return r ? *r : KeyValues{};
}

std::string error_of(std::string_view text) {
  auto r = parse_env_file(text, ".env", none());
  return r ? "<no error>" : r.error().message;
}

TEST(ComposeEnvFile, PlainValuesCommentsAndExport) {
  auto kv = parse("# comment\nA=1\n\nexport B=two words  \nC=x # trailing comment\nD=a#b\nE=\n  F = spaced\n");
  EXPECT_EQ(kv, (KeyValues{{"A", "1"}, {"B", "two words"}, {"C", "x"}, {"D", "a#b"}, {"E", ""}, {"F", "spaced"}}));
}

TEST(ComposeEnvFile, QuotedValues) {
  auto kv = parse("S='lit ${X} \\n'\nD=\"a\\nb \\\"q\\\" ${A}\"\nA=1\nM=\"line1\nline2\"\nC='x' # c\n");
  EXPECT_EQ(kv, (KeyValues{{"S", "lit ${X} \\n"}, {"D", "a\nb \"q\" "}, {"A", "1"}, {"M", "line1\nline2"},
                           {"C", "x"}}));
}

TEST(ComposeEnvFile, YamlStyleColonSeparator) {
  EXPECT_EQ(parse("KEY: value\n"), (KeyValues{{"KEY", "value"}}));
}

TEST(ComposeEnvFile, ValuesReferenceEarlierKeysAndTheEnvironmentFirst) {
  auto outer = [](std::string_view n) -> std::optional<std::string> {
    if (n == "PORT") return "9999";
    return std::nullopt;
  };
  auto kv = parse("PORT=8080\nHOST=ad\nADDR=${HOST}:${PORT}\nU=${UNSET:-dflt}\n", outer);
  EXPECT_EQ(kv, (KeyValues{{"PORT", "8080"}, {"HOST", "ad"}, {"ADDR", "ad:9999"}, {"U", "dflt"}}));
}

TEST(ComposeEnvFile, BareKeyTakesEnvironmentValueOrIsLeftOut) {
  auto outer = [](std::string_view n) -> std::optional<std::string> {
    if (n == "TZ") return "UTC";
    return std::nullopt;
  };
  EXPECT_EQ(parse("TZ\nNOTSET\nA=1\n", outer), (KeyValues{{"TZ", "UTC"}, {"A", "1"}}));
}

TEST(ComposeEnvFile, LaterKeyReplacesEarlierInPlace) {
  EXPECT_EQ(parse("A=1\nB=2\nA=3\n"), (KeyValues{{"A", "3"}, {"B", "2"}}));
}

TEST(ComposeEnvFile, ErrorsAreLocated) {
  EXPECT_EQ(error_of("A=1\nB C=2\n"), ".env:2:3: unexpected character \"C\" in variable name \"BC\"");
  EXPECT_EQ(error_of("A=\"open\n"), ".env:1:3: unterminated quoted value");
  EXPECT_EQ(error_of("=x\n"), ".env:1:1: unexpected character \"=\" in variable name \"=\"");
  EXPECT_EQ(error_of("A=${B:?needed}\n"), ".env:1:3: required variable B is missing a value: needed");
}

// Regression: keys were replaced by a linear scan, so a hostile file with
// hundreds of thousands of keys took minutes. Now indexed.
TEST(ComposeEnvFile, VeryManyKeysStayLinear) {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "K" + std::to_string(i) + "=${K" + std::to_string(i / 2) + ":-v}\n";
  text += "K7=last\n";
  auto kv = parse(text);
  ASSERT_EQ(kv.size(), 200000u);
  EXPECT_EQ(kv[0], (std::pair<std::string, std::string>{"K0", "v"}));
  EXPECT_EQ(kv[7].second, "last");
}

// Our own file of the same shape, so the behaviour is checked on every clone.
TEST(ComposeEnvFile, FixtureDotEnvResolvesReferences) {
  auto r = read_env_file(testing::source_path("tests/fixtures/compose/references.env"), none());
  ASSERT_TRUE(r) << r.error().message;
  KeyValues want{{"IMAGE_NAME", "ghcr.io/example/demo"}, {"AD_PORT", "9555"},       {"AD_ADDR", "ad:9555"},
                 {"CART_PORT", "7070"},                  {"CART_ADDR", "cart:7070"}, {"FLAGD_HOST", "flagd"},
                 {"FLAGD_PORT", "8013"},                 {"FLAGD_ADDR", "flagd:8013"}};
  EXPECT_EQ(*r, want);
}

TEST(ComposeEnvFile, CorpusOpenTelemetryDotEnvResolvesReferences) {
  STACKFIT_REQUIRE_CORPUS();
  auto r = read_env_file(testing::corpus_path("real/open-telemetry__opentelemetry-demo/.env"), none());
  ASSERT_TRUE(r) << r.error().message;
  std::string ad_addr;
  std::string ad_port;
  for (const auto& [k, v] : *r) {
    if (k == "AD_ADDR") ad_addr = v;
    if (k == "AD_PORT") ad_port = v;
  }
  ASSERT_FALSE(ad_port.empty());
  EXPECT_EQ(ad_addr, "ad:" + ad_port);
}

}  // namespace
}  // namespace stackfit::compose
