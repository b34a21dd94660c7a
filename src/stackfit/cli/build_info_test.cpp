#include "stackfit/cli/build_info.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>
#include <regex>

namespace stackfit {
namespace {

TEST(BuildInfo, NamesVersionCommitCompilerAndBuildType) {
  const BuildInfo& info = build_info();
  EXPECT_EQ(info.version, STACKFIT_VERSION);
  EXPECT_TRUE(std::regex_match(info.commit, std::regex("[0-9a-f]{12}|unknown"))) << info.commit;
  EXPECT_TRUE(std::regex_match(info.compiler, std::regex("(GCC|Clang) [0-9]+\\.[0-9]+\\.[0-9]+"))) << info.compiler;
  EXPECT_FALSE(info.build_type.empty());
}

// The unit-test binary links libstdc++ and glibc as shared objects (only the
// stackfit binary takes libstdc++ in): what the process maps is what is said.
TEST(BuildInfo, ReadsLinkingFromTheRunningProcess) {
  const BuildInfo& info = build_info();
  EXPECT_EQ(info.linking, "dynamic");
  ASSERT_EQ(info.libraries.size(), 4u);
  EXPECT_EQ(info.libraries[0].name, "glibc");
  EXPECT_EQ(info.libraries[0].linking, "shared");
  EXPECT_EQ(info.libraries[1].name, "libstdc++");
  EXPECT_EQ(info.libraries[1].linking, "shared");
  EXPECT_EQ(info.libraries[3].name, "SQLite");
  EXPECT_EQ(info.libraries[3].version, sqlite3_libversion());
}

TEST(BuildInfo, TextIsOneShortBlock) {
  BuildInfo info{"1.2.3", "0123456789ab", "GCC 12.2.0", "Release", "static",
                 {{"SQLite", "3.40.1", "built in"}}, {{"libcurl.so.4", "record"}}};
  EXPECT_EQ(build_info_text(info),
            "stackfit 1.2.3\n"
            " Commit:      0123456789ab\n"
            " Compiler:    GCC 12.2.0\n"
            " Build type:  Release\n"
            " Linking:     static\n"
            " Libraries:   SQLite 3.40.1 (built in)\n"
            " On demand:   libcurl.so.4 (record), dlopen'ed when used\n");
}

TEST(BuildInfo, JsonCarriesEveryField) {
  BuildInfo info{"1.2.3", "unknown", "Clang 14.0.6", "Debug", "dynamic",
                 {{"libfyaml", "0.7.12", "shared"}}, {{"libglpk.so.40", "plan"}}};
  nlohmann::json doc = nlohmann::json::parse(build_info_json(info));
  EXPECT_EQ(doc["schema_version"], 1);
  EXPECT_EQ(doc["version"], "1.2.3");
  EXPECT_EQ(doc["commit"], "unknown");
  EXPECT_EQ(doc["compiler"], "Clang 14.0.6");
  EXPECT_EQ(doc["build_type"], "Debug");
  EXPECT_EQ(doc["linking"], "dynamic");
  EXPECT_EQ(doc["libraries"][0], (nlohmann::json{{"name", "libfyaml"}, {"version", "0.7.12"}, {"linking", "shared"}}));
  EXPECT_EQ(doc["optional_libraries"][0], (nlohmann::json{{"soname", "libglpk.so.40"}, {"used_by", "plan"}}));
}

}  // namespace
}  // namespace stackfit
