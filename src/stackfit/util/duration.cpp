#include "stackfit/util/duration.hpp"

#include <cctype>
#include <string>

namespace stackfit {

Expected<std::int64_t> parse_duration_ms(std::string_view text) {
  auto bad = [&] {
    return make_error(ErrorCode::usage,
                      "invalid duration \"" + std::string(text) + "\" (examples: 500ms, 1s, 10m, 1h30m, 14d)");
  };
  if (text.empty()) return bad();
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::int64_t value = 0;
    std::size_t digits = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (++digits > 12) return bad();
      value = value * 10 + (text[i++] - '0');
    }
    if (digits == 0) return bad();
    std::size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    std::int64_t scale = 0;
    if (unit == "ms") scale = 1;
    else if (unit == "s") scale = 1000;
    else if (unit == "m") scale = 60'000;
    else if (unit == "h") scale = 3'600'000;
    else if (unit == "d") scale = 86'400'000;
    else return bad();
    std::int64_t part = 0;
    if (__builtin_mul_overflow(value, scale, &part) || __builtin_add_overflow(total, part, &total) ||
        total > k_max_duration_ms) {
      return make_error(ErrorCode::usage, "duration \"" + std::string(text) + "\" is longer than 36500d (100 years)");
    }
  }
  return total;
}

}  // namespace stackfit
