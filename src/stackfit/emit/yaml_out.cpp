#include "stackfit/emit/yaml_out.hpp"

#include <array>
#include <cstdio>

namespace stackfit {
namespace {

bool is_plain_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '-' || c == '/';
}

// Words YAML 1.1 readers (PyYAML, docker-compose v1) turn into booleans or
// null.
bool is_reserved_word(std::string_view text) {
  static constexpr std::array<std::string_view, 11> k_words = {"y",    "n",     "yes",  "no",  "on", "off",
                                                               "true", "false", "null", "nan", "inf"};
  std::string lower;
  for (char c : text) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  for (std::string_view w : k_words) {
    if (lower == w) return true;
  }
  return false;
}

void append_hex_escape(std::string& out, char prefix, unsigned value, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\%c%0*X", prefix, digits, value);
  out += buf;
}

// Length of the valid UTF-8 sequence starting at text[i], or 0.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b = byte(i);
  std::size_t n = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b <= 0xDF ? 2 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return n;
}

unsigned decode_utf8(std::string_view seq) {
  auto b = [&](std::size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(seq[k])); };
  if (seq.size() == 2) return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
  if (seq.size() == 3) return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
  return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
}

void append_escaped_ascii(std::string& out, char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\0':
      out += "\\0";
      return;
    default:
      break;
  }
  auto u = static_cast<unsigned char>(c);
  if (u < 0x20 || u == 0x7F) {
    append_hex_escape(out, 'x', u, 2);
  } else {
    out += c;
  }
}

}  // namespace

std::string yaml_double_quoted(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size();) {
    auto u = static_cast<unsigned char>(text[i]);
    if (u < 0x80) {
      append_escaped_ascii(out, text[i]);
      ++i;
      continue;
    }
    std::size_t n = utf8_length(text, i);
    if (n == 0) {
      append_hex_escape(out, 'x', u, 2);
      ++i;
      continue;
    }
    unsigned cp = decode_utf8(text.substr(i, n));
    bool must_escape =
        (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
    if (must_escape) {
      append_hex_escape(out, 'u', cp, 4);
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  out += '"';
  return out;
}

std::string yaml_scalar(std::string_view text) {
  // Plain only for identifiers: a letter or '_' first (so never a number, a
  // date, an indicator such as - ? : # & * ! | > ' " % @ `), then letters,
  // digits and _ . - / (never ": " or " #"), and not a YAML 1.1 boolean/null.
  bool plain =
      !text.empty() && ((text[0] >= 'a' && text[0] <= 'z') || (text[0] >= 'A' && text[0] <= 'Z') || text[0] == '_');
  for (char c : text) plain = plain && is_plain_char(c);
  if (plain && !is_reserved_word(text)) return std::string(text);
  return yaml_double_quoted(text);
}

YamlOut YamlOut::string(std::string text) {
  YamlOut n;
  n.m_kind = Kind::string;
  n.m_text = std::move(text);
  return n;
}

YamlOut YamlOut::literal(std::string text) {
  YamlOut n;
  n.m_kind = Kind::literal;
  n.m_text = std::move(text);
  return n;
}

YamlOut YamlOut::mapping() { return YamlOut{}; }

YamlOut YamlOut::sequence() {
  YamlOut n;
  n.m_kind = Kind::sequence;
  return n;
}

YamlOut YamlOut::strings(const std::vector<std::string>& items) {
  YamlOut n = sequence();
  for (const std::string& s : items) n.push(string(s));
  return n;
}

YamlOut& YamlOut::at(const std::string& key) {
  for (auto& [k, v] : m_entries) {
    if (k == key) return v;
  }
  m_entries.emplace_back(key, mapping());
  return m_entries.back().second;
}

YamlOut& YamlOut::set(const std::string& key, YamlOut value) {
  YamlOut& slot = at(key);
  slot = std::move(value);
  return slot;
}

YamlOut& YamlOut::push(YamlOut value) {
  m_items.push_back(std::move(value));
  return m_items.back();
}

const YamlOut* YamlOut::find(std::string_view key) const {
  for (const auto& [k, v] : m_entries) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::string YamlOut::render() const {
  std::string out;
  if (m_kind == Kind::string || m_kind == Kind::literal || empty()) {
    render_value_after_key(out, 0);
    out.erase(0, 1);  // the separating space
    out += '\n';
    return out;
  }
  render_into(out, 0);
  return out;
}

// Writes " value\n" for scalars and empty collections, else "\n" and the
// collection indented below the key.
void YamlOut::render_value_after_key(std::string& out, int indent) const {
  switch (m_kind) {
    case Kind::string:
      out += ' ' + yaml_scalar(m_text);
      return;
    case Kind::literal:
      out += ' ' + m_text;
      return;
    case Kind::mapping:
      if (m_entries.empty()) {
        out += " {}";
        return;
      }
      break;
    case Kind::sequence:
      if (m_items.empty()) {
        out += " []";
        return;
      }
      break;
  }
  out += '\n';
  render_into(out, indent);
}

void YamlOut::render_into(std::string& out, int indent) const {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  if (m_kind == Kind::mapping) {
    for (const auto& [k, v] : m_entries) {
      out += pad + yaml_scalar(k) + ':';
      v.render_value_after_key(out, indent + 2);
      if (out.back() != '\n') out += '\n';
    }
    return;
  }
  for (const YamlOut& item : m_items) {
    if (item.m_kind == Kind::mapping && !item.empty()) {
      // "- first: x" then the other keys aligned under "first".
      std::string block;
      item.render_into(block, indent + 2);
      block.replace(static_cast<std::size_t>(indent), 2, "- ");
      out += block;
      continue;
    }
    std::string line;
    item.render_value_after_key(line, indent + 2);
    out += pad + "-" + line;
    if (out.back() != '\n') out += '\n';
  }
}

}  // namespace stackfit
