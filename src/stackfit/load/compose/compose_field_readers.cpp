#include "stackfit/load/compose/compose_field_readers.hpp"
#include "stackfit/util/quoted_excerpt.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace stackfit::compose {
namespace {

std::string got(const yaml::Node& node) { return node.is_null() ? "null" : node.kind_name(); }


// Nanoseconds per Go duration unit, or 0 when `unit` is not one.
double unit_ns(std::string_view unit) {
  if (unit == "ns") return 1;
  if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") return 1e3;
  if (unit == "ms") return 1e6;
  if (unit == "s") return 1e9;
  if (unit == "m") return 60e9;
  if (unit == "h") return 3600e9;
  return 0;
}

}  // namespace

tl::unexpected<Error> located_error(const yaml::Node& node, const std::string& path,
                                    const std::string& reason) {
  return make_error(ErrorCode::bad_input, node.location.to_string() + ": " + path + ": " + reason);
}

Expected<void> expect_mapping(const yaml::Node& node, const std::string& path) {
  if (node.is_mapping()) return {};
  return located_error(node, path, "expected a mapping, got " + got(node));
}

Expected<std::string> read_string(const yaml::Node& node, const std::string& path) {
  if (node.is_scalar()) return node.text;
  return located_error(node, path, "expected a string, got " + got(node));
}

Expected<Bytes> read_bytes(const yaml::Node& node, const std::string& path) {
  if (!node.is_scalar()) {
    return located_error(node, path, "expected a byte value (string or number), got " + got(node));
  }
  auto bytes = parse_compose_bytes(node.text);
  if (!bytes) return located_error(node, path, bytes.error().message);
  return bytes;
}

Expected<Millicores> read_cpus(const yaml::Node& node, const std::string& path) {
  if (!node.is_scalar()) {
    return located_error(node, path, "expected a number of CPUs (string or number), got " + got(node));
  }
  auto cpus = parse_compose_cpus(node.text);
  if (!cpus) return located_error(node, path, cpus.error().message);
  return cpus;
}

Expected<std::int64_t> read_integer(const yaml::Node& node, const std::string& path) {
  if (!node.is_scalar()) return located_error(node, path, "expected an integer, got " + got(node));
  std::string_view text = node.text;
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return located_error(node, path, "expected an integer, got " + quoted_excerpt(node.text));
  }
  return value;
}

Expected<bool> read_bool(const yaml::Node& node, const std::string& path) {
  if (node.is_scalar()) {
    const std::string& t = node.text;
    if (t == "true" || t == "True" || t == "TRUE") return true;
    if (t == "false" || t == "False" || t == "FALSE") return false;
    return located_error(node, path, "expected true or false, got " + quoted_excerpt(t));
  }
  return located_error(node, path, "expected true or false, got " + got(node));
}

Expected<std::int64_t> read_duration_ms(const yaml::Node& node, const std::string& path) {
  if (!node.is_scalar()) {
    return located_error(node, path, "expected a duration like 1m30s, got " + got(node));
  }
  auto ms = parse_go_duration_ms(node.text);
  if (!ms) return located_error(node, path, ms.error().message);
  return ms;
}

Expected<std::vector<std::string>> read_string_list(const yaml::Node& node, const std::string& path) {
  if (node.is_scalar()) return std::vector<std::string>{node.text};
  if (!node.is_sequence()) return located_error(node, path, "expected a list of strings, got " + got(node));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const auto& item = node.items[i];
    if (!item.is_scalar()) {
      return located_error(item, path + "[" + std::to_string(i) + "]",
                           "expected a string, got " + got(item));
    }
    out.push_back(item.text);
  }
  return out;
}

Expected<std::vector<std::string>> read_command(const yaml::Node& node, const std::string& path) {
  if (node.is_null()) return std::vector<std::string>{};
  if (node.is_sequence()) return read_string_list(node, path);
  if (!node.is_scalar()) {
    return located_error(node, path, "expected a string or a list of strings, got " + got(node));
  }
  auto words = split_shell_words(node.text);
  if (!words) return located_error(node, path, words.error().message);
  return words;
}

Expected<std::int64_t> parse_go_duration_ms(std::string_view text) {
  auto invalid = [&] { return make_error(ErrorCode::bad_input, "invalid duration " + quoted_excerpt(text)); };
  if (text == "0") return 0;
  if (text.empty()) return invalid();
  double total_ns = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (i == start) return invalid();
    double number = 0;
    auto [end, ec] = std::from_chars(text.data() + start, text.data() + i, number);
    if (ec != std::errc() || end != text.data() + i) return invalid();
    std::size_t unit_start = i;
    while (i < text.size() && !std::isdigit(static_cast<unsigned char>(text[i])) && text[i] != '.') ++i;
    double scale = unit_ns(text.substr(unit_start, i - unit_start));
    if (scale == 0) return invalid();
    total_ns += number * scale;
  }
  if (total_ns / 1e6 > static_cast<double>(std::numeric_limits<std::int64_t>::max() / 2)) {
    return make_error(ErrorCode::bad_input, "duration " + quoted_excerpt(text) + " is too large");
  }
  return static_cast<std::int64_t>(std::floor(total_ns / 1e6));
}

Expected<std::vector<std::string>> split_shell_words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      ++i;
      continue;
    }
    in_word = true;
    if (c == '\\' && i + 1 < text.size()) {
      word += text[i + 1];
      i += 2;
    } else if (c == '\'') {
      std::size_t close = text.find('\'', i + 1);
      if (close == std::string_view::npos) return make_error(ErrorCode::bad_input, "unterminated quote");
      word += text.substr(i + 1, close - i - 1);
      i = close + 1;
    } else if (c == '"') {
      ++i;
      while (i < text.size() && text[i] != '"') {
        if (text[i] == '\\' && i + 1 < text.size() &&
            std::string_view("\\\"$`").find(text[i + 1]) != std::string_view::npos) {
          ++i;
        }
        word += text[i++];
      }
      if (i >= text.size()) return make_error(ErrorCode::bad_input, "unterminated quote");
      ++i;
    } else {
      word += c;
      ++i;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

}  // namespace stackfit::compose
