// The command line as data: every visible command of the CLI11 app and its
// flags, read from the app the command table configured. Shell completions
// and the man page are generated from it, so they cannot drift from the
// flags the binary parses.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace stackfit::cli {

struct OptionSpec {
  std::vector<std::string> short_names;  // "f" (no dash)
  std::vector<std::string> long_names;   // "file" (no dashes)
  std::string description;
  std::string value_name;                // "FILE"; empty for a flag
};

struct PositionalSpec {
  std::string name;
  std::string description;
  std::vector<std::string> choices;  // from a CLI::IsMember check, else empty
};

struct CommandSpec {
  std::string name;
  std::string summary;
  std::vector<OptionSpec> options;
  std::vector<PositionalSpec> positionals;
};

struct ProgramSpec {
  std::string name;  // "stackfit"
  std::string summary;
  std::vector<OptionSpec> options;  // --help, --version
  std::vector<CommandSpec> commands;
};

// Commands and options in an empty group (CLI11's hidden ones) are left out.
[[nodiscard]] ProgramSpec describe_program(const CLI::App& root);

}  // namespace stackfit::cli
