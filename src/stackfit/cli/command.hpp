// The command table: every subcommand is one row {name, summary, factory}.
// Adding a command is adding a row in command_table.cpp and one file here.
#pragma once

#include <memory>
#include <vector>

#include <CLI/CLI.hpp>

#include "stackfit/util/error.hpp"

namespace stackfit::cli {

// One subcommand. configure() declares its flags on the CLI11 subcommand;
// run() does the work after parsing and returns the process exit code for a
// completed run (0 ok, 1 "check failed"), or an Error for bad input.
class Command {
 public:
  virtual ~Command() = default;
  virtual void configure(CLI::App& app) = 0;
  [[nodiscard]] virtual Expected<int> run() = 0;
};

struct CommandEntry {
  const char* name;
  const char* summary;
  std::unique_ptr<Command> (*make)();
  bool hidden = false;  // left out of --help, the completions and the man page
};

[[nodiscard]] const std::vector<CommandEntry>& command_table();

// Parses argv, runs the chosen command, prints one-line errors to stderr and
// returns the documented exit code (docs/exit-codes.md).
[[nodiscard]] int run_cli(int argc, char** argv);

// Writes text to stdout; returns false when stdout is closed or full.
bool write_stdout(const std::string& text);

}  // namespace stackfit::cli
