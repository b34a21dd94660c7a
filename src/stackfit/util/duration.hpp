// Durations as users write them: "1s", "500ms", "10m", "1h30m", "14d".
#pragma once

#include <cstdint>
#include <string_view>

#include "stackfit/util/error.hpp"

namespace stackfit {

// Go-style durations plus "d" (24 h). A bare number is refused (ambiguous).
// Returns milliseconds; errors are usage errors naming the text.
[[nodiscard]] Expected<std::int64_t> parse_duration_ms(std::string_view text);

}  // namespace stackfit
