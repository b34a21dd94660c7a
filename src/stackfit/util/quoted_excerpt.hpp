// Quoting a user's value inside a one-line error message.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace stackfit {

// Longest excerpt, in bytes of the value, that quoted_excerpt keeps.
inline constexpr std::size_t k_excerpt_max_bytes = 80;

// `text` between double quotes, safe on one line of an error message:
// only its first non-blank line is kept, and at most k_excerpt_max_bytes of it (cut at
// a UTF-8 character boundary); a cut ends in "…". A tab is written \t, other
// control characters (C0, DEL) \xNN, a '"' \" and a '\' \\, so the excerpt never
// spans lines and reads back unambiguously. An empty value gives "".
[[nodiscard]] std::string quoted_excerpt(std::string_view text);

// The same excerpt without the surrounding quotes (for text that is not a
// value, such as a user's own `${VAR:?message}`).
[[nodiscard]] std::string one_line_excerpt(std::string_view text);

}  // namespace stackfit
