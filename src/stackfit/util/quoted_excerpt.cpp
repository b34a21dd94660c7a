#include "stackfit/util/quoted_excerpt.hpp"

namespace stackfit {
namespace {

constexpr std::string_view k_ellipsis = "\xE2\x80\xA6";  // U+2026

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Appends `c` to `out`, escaped when it would break the line or the quotes.
void append_escaped(char c, bool escape_quotes, std::string& out) {
  auto byte = static_cast<unsigned char>(c);
  if (c == '\t') {
    out += "\\t";
  } else if (byte < 0x20 || byte == 0x7F) {
    static constexpr std::string_view k_hex = "0123456789abcdef";
    out += "\\x";
    out += k_hex[byte >> 4];
    out += k_hex[byte & 0xF];
  } else if (escape_quotes && (c == '"' || c == '\\')) {
    out += '\\';
    out += c;
  } else {
    out += c;
  }
}

std::string excerpt(std::string_view text, bool escape_quotes) {
  // Blank leading lines (a block scalar may open with some) say nothing.
  std::size_t first = text.find_first_not_of("\r\n");
  text.remove_prefix(first == std::string_view::npos ? text.size() : first);
  std::size_t end = text.find_first_of("\r\n");
  bool cut = false;
  // A single trailing newline (YAML's `|` keeps one) is not worth an ellipsis.
  if (end != std::string_view::npos) {
    std::string_view after = text.substr(end);
    cut = !(after == "\n" || after == "\r\n");
  } else {
    end = text.size();
  }
  if (end > k_excerpt_max_bytes) {
    end = k_excerpt_max_bytes;
    while (end > 0 && is_continuation_byte(text[end])) --end;
    cut = true;
  }
  std::string out;
  out.reserve(end + 8);
  for (std::size_t i = 0; i < end; ++i) append_escaped(text[i], escape_quotes, out);
  if (cut) out += k_ellipsis;
  return out;
}

}  // namespace

std::string quoted_excerpt(std::string_view text) { return "\"" + excerpt(text, true) + "\""; }

std::string one_line_excerpt(std::string_view text) { return excerpt(text, false); }

}  // namespace stackfit
