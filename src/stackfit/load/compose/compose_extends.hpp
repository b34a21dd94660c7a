// Compose `extends` (same file and other files) and top-level `include`.
#pragma once

#include <string>

#include "stackfit/load/compose/compose_document.hpp"
#include "stackfit/load/yaml_node.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit::compose {

// Replaces each service of `document` (loaded from `file`) that has
// `extends` by its base service merged with its own fields (Compose merge
// rules), recursively and across files read through `source`. A cycle is
// bad_input "file:line:col: services.a.extends: circular extends: a -> b -> a".
[[nodiscard]] Expected<void> resolve_extends(yaml::Node& document, const std::string& file,
                                             ComposeFileSource& source);

// Applies the top-level `include` of `document` (loaded from `file`): each
// entry (a path, or {path: one or a list}) is loaded relative to `file`'s
// folder with its own includes and extends, and its services are added. A
// service defined twice or an include cycle is bad_input.
[[nodiscard]] Expected<void> resolve_includes(yaml::Node& document, const std::string& file,
                                              ComposeFileSource& source);

}  // namespace stackfit::compose
