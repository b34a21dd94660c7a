// The man page stackfit(1), generated from the command line's description
// (command_spec) by the hidden `stackfit manpage` at build time, so every
// command and flag is there. groff's man macros; no date, so a rebuild of
// the same sources gives the same page.
#pragma once

#include <string>

#include "stackfit/cli/command_spec.hpp"

namespace stackfit::cli {

[[nodiscard]] std::string man_page(const ProgramSpec& program, const std::string& version);

}  // namespace stackfit::cli
