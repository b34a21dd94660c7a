#include "stackfit/cli/command_suggestion.hpp"

#include <algorithm>

#include "stackfit/util/quoted_excerpt.hpp"

namespace stackfit::cli {
namespace {

constexpr std::size_t k_max_compared = 64;  // bounds the table to 65 x 65
constexpr std::size_t k_max_suggested_distance = 3;

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  if (a.size() > k_max_compared || b.size() > k_max_compared) return std::max(a.size(), b.size());
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::string unknown_command_message(std::string_view word, const std::vector<std::string>& commands) {
  std::string head = "unknown command " + quoted_excerpt(word);
  const std::string* nearest = nullptr;
  // A guess must keep some of the word: "" is not "a typo of top".
  std::size_t best = std::min(k_max_suggested_distance + 1, word.size());
  for (const std::string& command : commands) {
    std::size_t distance = edit_distance(word, command);
    if (distance < best) {
      best = distance;
      nearest = &command;
    }
  }
  if (nearest) return head + "; did you mean \"" + *nearest + "\"? (see --help)";
  std::string list;
  for (const std::string& command : commands) list += (list.empty() ? "" : ", ") + command;
  return head + " (commands: " + list + "; see --help)";
}

}  // namespace stackfit::cli
