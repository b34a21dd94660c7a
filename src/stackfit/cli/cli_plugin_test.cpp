#include "stackfit/cli/cli_plugin.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace stackfit::cli {
namespace {

TEST(CliPlugin, MetadataIsDockersSchema) {
  nlohmann::json meta = nlohmann::json::parse(docker_plugin_metadata("1.2.3"));
  EXPECT_EQ(meta["SchemaVersion"], "0.1.0");
  EXPECT_EQ(meta["Vendor"], "stackfit");
  EXPECT_EQ(meta["Version"], "1.2.3");
  EXPECT_FALSE(meta["ShortDescription"].get<std::string>().empty());
}

TEST(CliPlugin, OnlyTheDockerNameIsAPlugin) {
  const char* metadata[] = {"/x/cli-plugins/docker-stackfit", "docker-cli-plugin-metadata"};
  const char* command[] = {"docker-stackfit", "stackfit", "--version"};
  const char* direct[] = {"/usr/bin/stackfit", "stackfit"};
  const char* kubectl[] = {"kubectl-stackfit", "inspect"};
  const char* bare[] = {"docker-stackfit"};
  EXPECT_EQ(docker_plugin_call(2, metadata), PluginCall::metadata);
  EXPECT_EQ(docker_plugin_call(3, command), PluginCall::command);
  EXPECT_EQ(docker_plugin_call(2, direct), PluginCall::none);
  EXPECT_EQ(docker_plugin_call(2, kubectl), PluginCall::none);
  EXPECT_EQ(docker_plugin_call(1, bare), PluginCall::none);
}

}  // namespace
}  // namespace stackfit::cli
