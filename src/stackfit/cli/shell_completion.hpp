// Shell completion scripts generated from the command line's description
// (command_spec): `stackfit completion bash|zsh|fish` prints one. Commands
// complete first, then each command's flags; a flag that takes a value and
// any other word complete file names; a positional with choices
// (`completion`'s shell) completes its choices.
#pragma once

#include <string>

#include "stackfit/cli/command_spec.hpp"

namespace stackfit::cli {

// For `source <(stackfit completion bash)` or
// /usr/share/bash-completion/completions/stackfit: defines _stackfit and
// registers it with `complete -F`.
[[nodiscard]] std::string bash_completion(const ProgramSpec& program);

// An autoloadable #compdef file (site-functions/_stackfit) that also works
// when sourced (`source <(stackfit completion zsh)` after compinit).
[[nodiscard]] std::string zsh_completion(const ProgramSpec& program);

// `complete -c stackfit ...` lines (vendor_completions.d/stackfit.fish).
[[nodiscard]] std::string fish_completion(const ProgramSpec& program);

}  // namespace stackfit::cli
