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
      {"record", "Sample live containers (Docker/Podman engine or plain cgroups) into the SQLite store, catch OOM kills",
       &make_record_command},
      {"top", "Live view: usage, limit, peak, OOM kills, CPU and the limit stackfit would set", &make_top_command},
      {"plan", "Will the stack fit this machine or cluster, and if not: tighten, drop, move (ranked, priced)",
       &make_plan_command},
  };
  return k_commands;
}

}  // namespace stackfit::cli
