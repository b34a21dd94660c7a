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
      {"verify", "Compare the running containers of a Compose project with the limits its files declare",
       &make_verify_command},
      {"recommend", "Right-size each service from recorded history: requests, limits, runtime knobs, with reasons",
       &make_recommend_command},
      {"backtest",
       "Replay history (store, Prometheus or CSV) through every strategy and the peers' formulas: OOM kills, slack",
       &make_backtest_command},
      {"history", "Read usage history from Prometheus (Thanos, Mimir, VictoriaMetrics) and summarise it per workload",
       &make_history_command},
      {"apply", "Write recommendations down: a new Compose override file or a kustomize patch (--dry-run to preview)",
       &make_apply_command},
      {"plan", "Will the stack fit this machine or cluster, and if not: tighten, drop, move (ranked, priced); --startup: waves",
       &make_plan_command},
      {"report", "One self-contained HTML page: usage over time per service, OOM kills, the stack against its budget, the plan",
       &make_report_command},
      {"doctor", "Why the host crashes: engine memory vs host and stack, cgroups, swap, kernel OOM kills by service, disk",
       &make_doctor_command},
      {"cleanup", "Stopped containers, dangling images, unused volumes, build cache: a dry run, or --force removes them",
       &make_cleanup_command},
      {"version", "How this binary was built: version, commit, compiler, build type, libraries", &make_version_command},
      {"completion", "Print a shell completion script: bash, zsh or fish (docs/install.md)", &make_completion_command},
      // Hidden (not in --help or the completions): the build runs it to write stackfit.1.
      {"manpage", "Print the man page stackfit(1) in groff's man format", &make_manpage_command, true},
  };
  return k_commands;
}

}  // namespace stackfit::cli
