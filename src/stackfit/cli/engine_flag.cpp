#include "stackfit/cli/engine_flag.hpp"

#include "stackfit/observe/engine_client.hpp"

namespace stackfit::cli {

void EngineFlag::configure(CLI::App& app) {
  app.add_option("--host", host, "Engine socket (default $DOCKER_HOST, else /var/run/docker.sock)")
      ->type_name("unix://PATH");
}

Expected<std::string> EngineFlag::socket(const Environment& env) const {
  return resolve_engine_socket(host, lookup(env, "DOCKER_HOST").value_or(""));
}

}  // namespace stackfit::cli
