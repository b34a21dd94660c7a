// Loads a Docker Compose project the way `docker compose config` does for
// everything that matters to sizing: several files merged in order, .env and
// interpolation, profiles, extends, include, and the resource fields.
#pragma once

#include <string>
#include <vector>

#include "stackfit/model/stack.hpp"
#include "stackfit/util/environment.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

struct ComposeOptions {
  // -f files in order. Empty: COMPOSE_FILE, else compose.yaml / compose.yml /
  // docker-compose.yaml / docker-compose.yml in project_directory plus the
  // matching *.override.* file.
  std::vector<std::string> files;
  std::vector<std::string> profiles;   // --profile; COMPOSE_PROFILES when empty
  std::vector<std::string> env_files;  // --env-file; else .env in the project directory
  std::string project_directory;       // default: folder of the first file, else "."
  std::string project_name;            // -p; else COMPOSE_PROJECT_NAME / name: / folder name
  Environment environment;             // the process environment; wins over .env
};

// Errors are bad_input / not_found with "file:line:col: reason" or "file: reason".
[[nodiscard]] Expected<Stack> load_compose(const ComposeOptions& options);

}  // namespace stackfit
