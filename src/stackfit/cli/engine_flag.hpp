// `--host`, the engine socket flag of every command that talks to Docker or
// Podman (record, top, verify, doctor, cleanup): one help text, one rule for
// the default.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "stackfit/util/environment.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit::cli {

struct EngineFlag {
  std::string host;  // --host as given; empty when absent

  void configure(CLI::App& app);
  // The socket path: --host, else $DOCKER_HOST of `env`, else
  // /var/run/docker.sock (observe/engine_client's resolve_engine_socket:
  // unix:// and bare paths only, tcp:// refused as a usage error).
  [[nodiscard]] Expected<std::string> socket(const Environment& env) const;
};

}  // namespace stackfit::cli
