#include "stackfit/analyze/runtime_size_syntax.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace stackfit {
namespace {

constexpr std::int64_t k_int64_max = std::numeric_limits<std::int64_t>::max();

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Leading decimal digits of `text` as an integer; `used` is how many were read.
// Nullopt when there are none or the value exceeds int64.
std::optional<std::int64_t> leading_integer(std::string_view text, std::size_t& used) {
  used = 0;
  while (used < text.size() && std::isdigit(static_cast<unsigned char>(text[used]))) ++used;
  if (used == 0) return std::nullopt;
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + used, value);
  if (ec != std::errc() || ptr != text.data() + used) return std::nullopt;
  return value;
}

std::optional<Bytes> times(std::int64_t value, std::int64_t multiplier) {
  if (multiplier != 0 && value > k_int64_max / multiplier) return std::nullopt;
  return Bytes{value * multiplier};
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<Bytes> parse_jvm_size(std::string_view text) {
  std::size_t used = 0;
  auto value = leading_integer(text, used);
  if (!value) return std::nullopt;
  std::string_view unit = text.substr(used);
  if (unit.empty()) return Bytes{*value};
  if (unit.size() != 1) return std::nullopt;
  switch (unit[0]) {
    case 'k': case 'K': return times(*value, k_kib);
    case 'm': case 'M': return times(*value, k_mib);
    case 'g': case 'G': return times(*value, k_gib);
    case 't': case 'T': return times(*value, k_gib * 1024);
    default: return std::nullopt;
  }
}

std::optional<Bytes> parse_redis_size(std::string_view text) {
  std::size_t used = 0;
  auto value = leading_integer(text, used);
  if (!value) return std::nullopt;
  std::string unit = lower(text.substr(used));
  if (unit.empty() || unit == "b") return Bytes{*value};
  if (unit == "k") return times(*value, 1000);
  if (unit == "kb") return times(*value, k_kib);
  if (unit == "m") return times(*value, 1000 * 1000);
  if (unit == "mb") return times(*value, k_mib);
  if (unit == "g") return times(*value, 1000 * 1000 * 1000);
  if (unit == "gb") return times(*value, k_gib);
  return std::nullopt;
}

std::optional<Bytes> parse_postgres_memory(std::string_view text, std::int64_t base_unit_bytes) {
  text = trim(text);
  std::size_t end = 0;
  while (end < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.')) {
    ++end;
  }
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + end, value);
  if (end == 0 || ec != std::errc() || ptr != text.data() + end) return std::nullopt;
  std::string_view unit = trim(text.substr(end));
  double unit_bytes = 0;
  if (unit.empty()) unit_bytes = static_cast<double>(base_unit_bytes);
  else if (unit == "B") unit_bytes = 1;
  else if (unit == "kB") unit_bytes = static_cast<double>(k_kib);
  else if (unit == "MB") unit_bytes = static_cast<double>(k_mib);
  else if (unit == "GB") unit_bytes = static_cast<double>(k_gib);
  else if (unit == "TB") unit_bytes = static_cast<double>(k_gib) * 1024;
  else return std::nullopt;
  // PostgreSQL converts to the parameter's base unit and rounds to nearest (rint).
  double units = std::rint(value * unit_bytes / static_cast<double>(base_unit_bytes));
  double bytes = units * static_cast<double>(base_unit_bytes);
  if (!(bytes < 9.2e18)) return std::nullopt;
  return Bytes{static_cast<std::int64_t>(bytes)};
}

std::optional<Bytes> parse_neo4j_size(std::string_view text) {
  text = trim(text);
  std::size_t used = 0;
  auto value = leading_integer(text, used);
  if (!value) return std::nullopt;
  std::string unit = lower(trim(text.substr(used)));
  if (unit.empty() || unit == "b") return Bytes{*value};
  std::int64_t multiplier = 0;
  switch (unit[0]) {
    case 'k': multiplier = k_kib; break;
    case 'm': multiplier = k_mib; break;
    case 'g': multiplier = k_gib; break;
    case 't': multiplier = k_gib * 1024; break;
    default: return std::nullopt;
  }
  std::string_view rest = std::string_view(unit).substr(1);
  if (!rest.empty() && rest != "b" && rest != "ib") return std::nullopt;
  return times(*value, multiplier);
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == quote) quote = 0;
      else if (c == '\\' && quote == '"' && i + 1 < text.size()) current += text[++i];
      else current += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < text.size()) {
      current += text[++i];
      in_word = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) words.push_back(std::move(current));
      current.clear();
      in_word = false;
    } else {
      current += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(current));
  return words;
}

}  // namespace stackfit
