list(APPEND STACKFIT_LIB_SOURCES
  src/stackfit/cli/backtest_command.cpp
  src/stackfit/cli/apply_command.cpp
  src/stackfit/cli/check_command.cpp
  src/stackfit/cli/cleanup_command.cpp
  src/stackfit/cli/doctor_command.cpp
  src/stackfit/cli/cli_main.cpp
  src/stackfit/cli/command_suggestion.cpp
  src/stackfit/cli/command_table.cpp
  src/stackfit/cli/engine_flag.cpp
  src/stackfit/cli/inspect_command.cpp
  src/stackfit/cli/machines_command.cpp
  src/stackfit/cli/plan_startup.cpp
  src/stackfit/cli/plan_command.cpp
  src/stackfit/cli/record_command.cpp
  src/stackfit/cli/recommend_command.cpp
  src/stackfit/cli/report_command.cpp
  src/stackfit/cli/record_flags.cpp
  src/stackfit/cli/signal_stop.cpp
  src/stackfit/cli/stack_input.cpp
  src/stackfit/cli/top_command.cpp
  src/stackfit/cli/verify_command.cpp
  src/stackfit/cli/history_command.cpp
  src/stackfit/cli/prometheus_flags.cpp
)
list(APPEND STACKFIT_TEST_SOURCES
  src/stackfit/cli/command_suggestion_test.cpp
)
