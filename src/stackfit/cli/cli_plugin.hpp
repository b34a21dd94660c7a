// stackfit as a Docker CLI plugin and a kubectl plugin (docs/install.md).
// Docker runs `docker-stackfit docker-cli-plugin-metadata` to list it and
// `docker-stackfit stackfit ARGS...` for `docker stackfit ARGS...`; kubectl
// runs `kubectl-stackfit ARGS...`, which needs nothing of its own.
#pragma once

#include <string>

namespace stackfit::cli {

// The plugin metadata Docker reads: {"SchemaVersion":"0.1.0","Vendor",
// "Version","ShortDescription"}, one line.
[[nodiscard]] std::string docker_plugin_metadata(const std::string& version);

// What to do with argv when the program is named docker-stackfit (argv[0]'s
// file name): answer the metadata request, or drop the "stackfit" Docker
// puts first. Any other name runs as is.
enum class PluginCall { none, metadata, command };
[[nodiscard]] PluginCall docker_plugin_call(int argc, const char* const* argv);

}  // namespace stackfit::cli
