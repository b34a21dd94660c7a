#include "stackfit/cli/command.hpp"
#include "stackfit/cli/commands.hpp"

namespace stackfit::cli {

const std::vector<CommandEntry>& command_table() {
  static const std::vector<CommandEntry> k_commands = {
      {"inspect", "Show each service's declared memory/CPU requests and limits, replicas, runtime settings and totals",
       &make_inspect_command},
      {"check", "CI gate: fail when the stack does not fit a budget or machine, or breaks a sizing rule",
       &make_check_command},
      {"machines", "List the machine catalog used by --machine", &make_machines_command},
  };
  return k_commands;
}

}  // namespace stackfit::cli
