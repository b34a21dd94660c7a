// Project-level choices made before and after the files are read: which
// files (-f, COMPOSE_FILE, default names and their override), the project
// directory, the active profiles and the project name.
#pragma once

#include <string>
#include <vector>

#include "stackfit/load/compose/compose_interpolation.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit::compose {

// Default file names, in Compose's order of preference.
inline constexpr const char* k_default_file_names[] = {"compose.yaml", "compose.yml",
                                                       "docker-compose.yaml", "docker-compose.yml"};

// The files to load when no -f is given: COMPOSE_FILE (split on
// COMPOSE_PATH_SEPARATOR, default ':'; relative to `project_directory`),
// else the first default name found in `project_directory` plus its
// `.override.yml` / `.override.yaml`. Errors: not_found
// "<dir>: no compose file found (compose.yaml, ...)".
[[nodiscard]] Expected<std::vector<std::string>> discover_files(const std::string& project_directory,
                                                                const VariableLookup& environment);

// --profile values, else COMPOSE_PROFILES split on ',' (blanks dropped).
[[nodiscard]] std::vector<std::string> active_profiles(const std::vector<std::string>& flags,
                                                       const VariableLookup& environment);

// Compose's rules for a name given by the user (-p, COMPOSE_PROJECT_NAME,
// `name:`): lowercase letters, digits, '-' and '_', starting with a letter or
// digit. Error: bad_input "invalid project name \"X\": ...".
[[nodiscard]] Expected<void> check_project_name(const std::string& name);

// A folder's base name made into a project name: lowercased, characters
// other than [a-z0-9_-] dropped, leading '-' and '_' trimmed.
[[nodiscard]] std::string sanitize_project_name(const std::string& folder_name);

}  // namespace stackfit::compose
