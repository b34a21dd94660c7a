// Compose variable substitution, following compose-go's template package
// exactly (compose-spec/compose-go v2, template/template.go, the release whose
// template/template_test.go is commit efea3ec07dadd6792105978301f4bff97a613825;
// its pattern is `\$(?i:(?P<escaped>\$)|(?P<named>[_a-z][_a-z0-9]*)|
// {(?:(?P<braced>[_a-z][_a-z0-9]*(?::?[-+?](.*))?)}|(?P<invalid>)))`):
//   $$            a literal $
//   $NAME ${NAME} the variable's value ("" when unset; Compose only warns)
//   ${NAME:-d} ${NAME-d}   default when unset or empty / when unset
//   ${NAME:+a} ${NAME+a}   alternative when set and non-empty / when set
//   ${NAME:?m} ${NAME?m}   error "m" when unset or empty / when unset
// Defaults, alternatives and messages are substituted themselves (always, even
// when not used, as compose-go does). A `$` followed by neither `$`, `{` nor a
// name start stays as written ("a $ string", "^REGEX$", "$(nproc)", "$1");
// only a `${` that is not a valid braced form is an error ("${", "${}",
// "${ foo}", "${foo!}", a `${NAME:-` whose `}` is on another line).
// docs/compose-interpolation.md lists the rules; docs/peer-tests.md the peers' cases.
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

// Substitutes every variable reference in `text`. Errors are bad_input whose
// message has no location and fits one line: "required variable X is missing
// a value: msg" (msg substituted, as compose-go does) or "invalid
// interpolation format in "<first line of text>"; use $$ for a literal $".
[[nodiscard]] Expected<std::string> substitute_variables(std::string_view text,
                                                         const VariableLookup& lookup);

// Most bytes of variable values interpolate_tree substitutes into one tree,
// so a large .env value used many times cannot exhaust memory.
inline constexpr std::size_t k_max_substituted_bytes = std::size_t{64} << 20;

// Substitutes in every scalar value under `root` (x- extension blocks
// included, as compose-go's interpolation.Interpolate walks the whole file);
// mapping keys are left as written. Errors are prefixed with the scalar's
// "file:line:col: ", among them "variables expand to more than 64 MiB in
// this file, refused".
[[nodiscard]] Expected<void> interpolate_tree(yaml::Node& root, const VariableLookup& lookup);

}  // namespace stackfit::compose
