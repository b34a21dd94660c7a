// Compose's merge rules (compose-spec "merge", compose-go override.Merge), for
// several -f files and for extends:
//   - mappings merge recursively, scalars of the later file win;
//   - command, entrypoint and healthcheck.test are replaced whole;
//   - environment, labels, annotations, sysctls, extra_hosts, build.args and
//     deploy.labels merge by key (list `K=V` and map forms alike), later wins;
//   - depends_on merges by service name (list and long form alike);
//   - other sequences (ports, volumes, env_file, profiles, ...) are appended;
//   - a value tagged !reset removes the key, !override replaces it whole.
#pragma once

#include <string>

#include "stackfit/load/yaml_node.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit::compose {

// Merges the top-level document `over` into `base`. Both are mappings whose
// `services` (when present) is a mapping of mappings. Errors are bad_input
// "file:line:col: path: cannot merge ..." located in `over`.
[[nodiscard]] Expected<void> merge_documents(yaml::Node& base, yaml::Node&& over);

// Merges service definition `over` into `base` (both mappings). `path` names
// the service in messages ("services.web").
[[nodiscard]] Expected<void> merge_service(yaml::Node& base, yaml::Node&& over,
                                           const std::string& path);

// Converts list-form key/value entries ("K=V", "K") to a mapping (K: "V",
// K: null) with the items' locations; mappings are returned unchanged.
[[nodiscard]] yaml::Node key_values_as_mapping(const yaml::Node& node);

}  // namespace stackfit::compose
