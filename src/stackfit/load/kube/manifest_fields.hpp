// Typed access to the fields of a Kubernetes object with located errors.
// Every error is bad_input with one line "file:line:col: <field path>: <reason>",
// where the field path is written from the object's root the way kubectl
// writes it ("spec.template.spec.containers[0].resources").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "stackfit/load/yaml_node.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit::kube {

// "parent.key", or "key" when parent is empty.
[[nodiscard]] std::string field_path(std::string_view parent, std::string_view key);
// "parent[index]".
[[nodiscard]] std::string item_path(std::string_view parent, std::size_t index);

// The located error "at: path: reason".
[[nodiscard]] tl::unexpected<Error> field_error(const yaml::Node& at, std::string_view path,
                                                std::string_view reason);

// "expected a list, got a mapping" at `value`.
[[nodiscard]] tl::unexpected<Error> type_error(const yaml::Node& value, std::string_view path,
                                               std::string_view expected);

// The child `key` of `parent` when it is a mapping; nullptr when absent or
// null; an error when it is something else. `path` is the parent's path.
[[nodiscard]] Expected<const yaml::Node*> optional_mapping(const yaml::Node& parent, std::string_view key,
                                                           std::string_view path);
// Same for a list.
[[nodiscard]] Expected<const yaml::Node*> optional_list(const yaml::Node& parent, std::string_view key,
                                                        std::string_view path);
// Like optional_mapping, but absence (or null) is the error
// "path.key: required field is missing", located at `parent`.
[[nodiscard]] Expected<const yaml::Node*> required_mapping(const yaml::Node& parent, std::string_view key,
                                                           std::string_view path);
[[nodiscard]] Expected<const yaml::Node*> required_list(const yaml::Node& parent, std::string_view key,
                                                        std::string_view path);

// A scalar child as text; nullopt when absent or null; error for a list or mapping.
[[nodiscard]] Expected<std::optional<std::string>> optional_string(const yaml::Node& parent,
                                                                   std::string_view key,
                                                                   std::string_view path);

// A plain (unquoted) decimal integer child in [0, 2^31-1] (Kubernetes int32
// counts such as replicas); nullopt when absent or null.
[[nodiscard]] Expected<std::optional<std::int64_t>> optional_count(const yaml::Node& parent,
                                                                   std::string_view key,
                                                                   std::string_view path);

}  // namespace stackfit::kube
