#include "stackfit/cli/cli_plugin.hpp"

#include <cstring>

#include <nlohmann/json.hpp>

namespace stackfit::cli {

std::string docker_plugin_metadata(const std::string& version) {
  nlohmann::ordered_json meta = {
      {"SchemaVersion", "0.1.0"},
      {"Vendor", "stackfit"},
      {"Version", version},
      {"ShortDescription", "Memory and CPU each service of a stack needs, and whether it fits"},
  };
  return meta.dump() + "\n";
}

PluginCall docker_plugin_call(int argc, const char* const* argv) {
  if (argc < 1 || argv[0] == nullptr) return PluginCall::none;
  const char* slash = std::strrchr(argv[0], '/');
  const char* name = slash ? slash + 1 : argv[0];
  if (std::strcmp(name, "docker-stackfit") != 0 || argc < 2) return PluginCall::none;
  if (std::strcmp(argv[1], "docker-cli-plugin-metadata") == 0) return PluginCall::metadata;
  if (std::strcmp(argv[1], "stackfit") == 0) return PluginCall::command;
  return PluginCall::none;
}

}  // namespace stackfit::cli
