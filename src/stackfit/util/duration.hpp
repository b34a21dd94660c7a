// Durations as users write them: "1s", "500ms", "10m", "1h30m", "14d".
#pragma once

#include <cstdint>
#include <string_view>

#include "stackfit/util/error.hpp"

namespace stackfit {

// Longest duration accepted: 36500 days (100 years). Refused beyond, so a
// duration in nanoseconds added to any time of this century fits in int64.
inline constexpr std::int64_t k_max_duration_ms = std::int64_t{36500} * 86'400'000;

// Go-style durations plus "d" (24 h). A bare number is refused (ambiguous).
// Returns milliseconds; errors are usage errors naming the text
// ("duration \"99999999999s\" is longer than 36500d (100 years)" beyond
// k_max_duration_ms).
[[nodiscard]] Expected<std::int64_t> parse_duration_ms(std::string_view text);

}  // namespace stackfit
