// Typed readers for Compose field values. Each takes the node and its dotted
// path ("services.web.mem_limit") and fails with bad_input
// "file:line:col: path: reason" located at the node, never with a default.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stackfit/load/yaml_node.hpp"
#include "stackfit/model/quantity.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit::compose {

[[nodiscard]] tl::unexpected<Error> located_error(const yaml::Node& node, const std::string& path,
                                                  const std::string& reason);

// The node must be a mapping ("expected a mapping, got a list").
[[nodiscard]] Expected<void> expect_mapping(const yaml::Node& node, const std::string& path);
// A scalar of any style, as text.
[[nodiscard]] Expected<std::string> read_string(const yaml::Node& node, const std::string& path);
// Compose byte value: "512m", "1.5G", 1073741824.
[[nodiscard]] Expected<Bytes> read_bytes(const yaml::Node& node, const std::string& path);
// Compose cpus: "0.5", 2.
[[nodiscard]] Expected<Millicores> read_cpus(const yaml::Node& node, const std::string& path);
// A decimal integer, optionally signed, written plain or quoted.
[[nodiscard]] Expected<std::int64_t> read_integer(const yaml::Node& node, const std::string& path);
// true / false (YAML 1.2 core spellings).
[[nodiscard]] Expected<bool> read_bool(const yaml::Node& node, const std::string& path);
// Go duration ("1m30s", "500ms", "10s") in milliseconds, truncated.
[[nodiscard]] Expected<std::int64_t> read_duration_ms(const yaml::Node& node, const std::string& path);
// A list of scalars, or one scalar as a one-item list.
[[nodiscard]] Expected<std::vector<std::string>> read_string_list(const yaml::Node& node,
                                                                  const std::string& path);
// command / entrypoint: a list as is, a string split like a POSIX shell.
[[nodiscard]] Expected<std::vector<std::string>> read_command(const yaml::Node& node,
                                                              const std::string& path);

// Go time.ParseDuration in milliseconds; reason without location on failure.
[[nodiscard]] Expected<std::int64_t> parse_go_duration_ms(std::string_view text);
// Shell-like word splitting: whitespace, 'single', "double" (\\ \" \$ \` escapes), \x.
[[nodiscard]] Expected<std::vector<std::string>> split_shell_words(std::string_view text);

}  // namespace stackfit::compose
