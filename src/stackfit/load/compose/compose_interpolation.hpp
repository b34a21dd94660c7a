// Compose variable substitution (compose-go template rules): ${VAR}, $VAR,
// ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt},
// ${VAR+alt}, nested defaults and the $$ escape.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "stackfit/load/yaml_node.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit::compose {

// The value of a variable, or nullopt when it is unset.
using VariableLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Substitutes every variable reference in `text`. An unset variable without a
// default becomes "" (Compose only warns). Errors are bad_input whose message
// has no location: "required variable X is missing a value: msg" or
// "invalid interpolation format in \"...\"; use $$ for a literal $".
[[nodiscard]] Expected<std::string> substitute_variables(std::string_view text,
                                                         const VariableLookup& lookup);

// Most bytes of variable values interpolate_tree substitutes into one tree,
// so a large .env value used many times cannot exhaust memory.
inline constexpr std::size_t k_max_substituted_bytes = std::size_t{64} << 20;

// Substitutes in every scalar value under `root`; mapping keys are left as
// written. Errors are prefixed with the scalar's "file:line:col: ", among
// them "variables expand to more than 64 MiB in this file, refused".
[[nodiscard]] Expected<void> interpolate_tree(yaml::Node& root, const VariableLookup& lookup);

}  // namespace stackfit::compose
