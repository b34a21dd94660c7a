// Factories of the subcommands listed in command_table.cpp.
#pragma once

#include <memory>

#include "stackfit/cli/command.hpp"

namespace stackfit::cli {

[[nodiscard]] std::unique_ptr<Command> make_inspect_command();
[[nodiscard]] std::unique_ptr<Command> make_check_command();
[[nodiscard]] std::unique_ptr<Command> make_machines_command();
[[nodiscard]] std::unique_ptr<Command> make_record_command();
[[nodiscard]] std::unique_ptr<Command> make_top_command();
[[nodiscard]] std::unique_ptr<Command> make_verify_command();
[[nodiscard]] std::unique_ptr<Command> make_recommend_command();
[[nodiscard]] std::unique_ptr<Command> make_report_command();
[[nodiscard]] std::unique_ptr<Command> make_backtest_command();
[[nodiscard]] std::unique_ptr<Command> make_history_command();
[[nodiscard]] std::unique_ptr<Command> make_apply_command();
[[nodiscard]] std::unique_ptr<Command> make_plan_command();
[[nodiscard]] std::unique_ptr<Command> make_doctor_command();
[[nodiscard]] std::unique_ptr<Command> make_cleanup_command();
[[nodiscard]] std::unique_ptr<Command> make_version_command();
[[nodiscard]] std::unique_ptr<Command> make_completion_command();
[[nodiscard]] std::unique_ptr<Command> make_manpage_command();

}  // namespace stackfit::cli
