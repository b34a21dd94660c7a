#include "stackfit/observe/cgroup_format.hpp"

#include <charconv>
#include <limits>

namespace stackfit {
namespace {

// At most this many characters of a bad line go into an error message.
constexpr std::size_t k_quoted_line_max_chars = 60;

// The line as it may appear inside an error message: bounded, printable.
std::string quote_for_error(std::string_view text) {
  std::string out = "\"";
  for (char c : text.substr(0, k_quoted_line_max_chars)) {
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  if (text.size() > k_quoted_line_max_chars) out += "...";
  return out + "\"";
}

// Parses all of `digits` as an unsigned decimal, saturating at int64 max.
std::optional<std::int64_t> parse_unsigned(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (end != digits.data() + digits.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) return std::numeric_limits<std::int64_t>::max();
  if (ec != std::errc()) return std::nullopt;
  if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return std::numeric_limits<std::int64_t>::max();
  }
  return static_cast<std::int64_t>(value);
}

// Keys of cgroup files are lower-case names: "total_inactive_file",
// "core_sched.force_idle_usec".
constexpr bool is_key_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.'; }

std::string_view strip_one_newline(std::string_view text) {
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  return text;
}

}  // namespace

Expected<std::int64_t> parse_cgroup_integer(std::string_view text, const std::string& path) {
  std::string_view body = strip_one_newline(text);
  if (auto value = parse_unsigned(body)) return *value;
  return make_error(ErrorCode::bad_input, path + ": expected a number, got " + quote_for_error(body));
}

Expected<std::optional<std::int64_t>> parse_cgroup_limit(std::string_view text, const std::string& path) {
  if (strip_one_newline(text) == k_v2_unlimited_word) return std::optional<std::int64_t>{};
  auto value = parse_cgroup_integer(text, path);
  TRY(value);
  if (*value >= k_v1_unlimited_limit_bytes) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{*value};
}

// One pass over the text, no per-line std::string_view searches or
// from_chars: this runs for every container on every sample (memory.stat of
// cgroup v1 has ~40 lines), so it is the recorder's hottest user-space code.
// Same rules as before: every line "<key> <digits>", key of [a-z0-9_.],
// values saturate at int64 max, any other line is an error naming it.
Expected<void> parse_flat_keyed(std::string_view text, std::span<KeyedField> fields, const std::string& path) {
  constexpr std::uint64_t k_max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  const char* p = text.data();
  const char* const end = p + text.size();
  std::size_t line_number = 0;
  while (p < end) {
    ++line_number;
    const char* key_end = p;
    while (key_end < end && is_key_char(*key_end)) ++key_end;
    bool ok = key_end > p && key_end < end && *key_end == ' ';
    const char* q = key_end;
    std::uint64_t value = 0;
    if (ok) {
      const char* digits = ++q;
      for (; q < end && *q >= '0' && *q <= '9'; ++q) {
        auto digit = static_cast<std::uint64_t>(*q - '0');
        value = value > (k_max - digit) / 10 ? k_max : value * 10 + digit;
      }
      ok = q > digits && (q == end || *q == '\n');
    }
    if (!ok) {
      std::string_view rest(p, static_cast<std::size_t>(end - p));
      return make_error(ErrorCode::bad_input, path + ": line " + std::to_string(line_number) +
                                                  ": expected \"<key> <number>\", got " + quote_for_error(take_line(rest)));
    }
    std::string_view key(p, static_cast<std::size_t>(key_end - p));
    for (KeyedField& field : fields) {
      if (field.key.size() == key.size() && field.key == key) field.value = static_cast<std::int64_t>(value);
    }
    p = q == end ? end : q + 1;  // past the newline
  }
  return {};
}

Expected<double> parse_pressure_some_avg10(std::string_view text, const std::string& path) {
  constexpr std::string_view k_prefix = "some avg10=";
  if (text.starts_with(k_prefix)) {
    const char* begin = text.data() + k_prefix.size();
    const char* end = text.data() + text.size();
    double percent = 0;
    auto [stop, ec] = std::from_chars(begin, end, percent);
    if (ec == std::errc() && stop != begin && (stop == end || *stop == ' ' || *stop == '\n')) return percent;
  }
  return make_error(ErrorCode::bad_input, path + ": no \"some avg10=\" figure");
}

}  // namespace stackfit
