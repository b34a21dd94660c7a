// What to say when the first word is not a command ("stackfit backtset").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace stackfit::cli {

// Optimal string alignment distance: insertions, deletions, substitutions
// and swaps of two neighbours each cost 1 ("backtset" -> "backtest" is 1).
// Inputs longer than 64 bytes count as far from everything (returns 64+).
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

// The one-line usage error for `word`, which is none of `commands`:
//   unknown command "backtset"; did you mean "backtest"? (see --help)
// naming the nearest command (first in table order on a tie) when it is at
// most 3 edits away and fewer edits than the word has bytes, else every
// command:
//   unknown command "zzz" (commands: inspect, check, ...; see --help)
// The word is quoted as one escaped line (quoted_excerpt).
[[nodiscard]] std::string unknown_command_message(std::string_view word, const std::vector<std::string>& commands);

}  // namespace stackfit::cli
