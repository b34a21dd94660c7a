#include "stackfit/cli/command_suggestion.hpp"

#include <gtest/gtest.h>

namespace stackfit::cli {
namespace {

const std::vector<std::string> k_commands{"inspect", "check", "plan", "record", "recommend", "backtest"};

TEST(CommandSuggestion, EditDistanceCountsASwapAsOne) {
  EXPECT_EQ(edit_distance("backtset", "backtest"), 1u);
  EXPECT_EQ(edit_distance("", "plan"), 4u);
  EXPECT_EQ(edit_distance("plan", "plan"), 0u);
  EXPECT_EQ(edit_distance("recomend", "recommend"), 1u);
  EXPECT_EQ(edit_distance(std::string(100, 'a'), "plan"), 100u);
}

TEST(CommandSuggestion, NamesTheWordAndTheNearestCommand) {
  EXPECT_EQ(unknown_command_message("backtset", k_commands),
            "unknown command \"backtset\"; did you mean \"backtest\"? (see --help)");
  EXPECT_EQ(unknown_command_message("chek", k_commands), "unknown command \"chek\"; did you mean \"check\"? (see --help)");
  // "recor" is 1 from record and 4 from recommend.
  EXPECT_EQ(unknown_command_message("recor", k_commands),
            "unknown command \"recor\"; did you mean \"record\"? (see --help)");
}

TEST(CommandSuggestion, FarWordsListTheCommands) {
  EXPECT_EQ(unknown_command_message("zzzzzzzz", k_commands),
            "unknown command \"zzzzzzzz\" (commands: inspect, check, plan, record, recommend, backtest; see --help)");
}

TEST(CommandSuggestion, HostileWordsStayOnOneShortLine) {
  std::string huge(128 * 1024, 'x');
  std::string message = unknown_command_message(huge, k_commands);
  EXPECT_EQ(message, "unknown command \"" + std::string(80, 'x') +
                         "…\" (commands: inspect, check, plan, record, recommend, backtest; see --help)");
  EXPECT_EQ(unknown_command_message("pl\nan", k_commands),
            "unknown command \"pl…\"; did you mean \"plan\"? (see --help)");
  EXPECT_EQ(unknown_command_message("\x1b[2J", k_commands),
            "unknown command \"\\x1b[2J\" (commands: inspect, check, plan, record, recommend, backtest; see --help)");
  EXPECT_EQ(unknown_command_message("", k_commands),
            "unknown command \"\" (commands: inspect, check, plan, record, recommend, backtest; see --help)");
  EXPECT_EQ(unknown_command_message("pla", k_commands), "unknown command \"pla\"; did you mean \"plan\"? (see --help)");
}

}  // namespace
}  // namespace stackfit::cli
