#include "stackfit/load/yaml_node.hpp"

#include <algorithm>

namespace stackfit::yaml {

const Node* Node::find(std::string_view key) const {
  const MapEntry* e = find_entry(key);
  return e ? &e->value : nullptr;
}

Node* Node::find(std::string_view key) {
  if (kind != NodeKind::mapping) return nullptr;
  for (auto& e : entries) {
    if (e.key == key) return &e.value;
  }
  return nullptr;
}

const MapEntry* Node::find_entry(std::string_view key) const {
  if (kind != NodeKind::mapping) return nullptr;
  for (const auto& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

void Node::set(std::string key, Node value, SourceLocation key_location) {
  if (Node* existing = find(key)) {
    *existing = std::move(value);
    return;
  }
  entries.push_back(MapEntry{std::move(key), std::move(key_location), std::move(value)});
}

bool Node::erase(std::string_view key) {
  auto it = std::find_if(entries.begin(), entries.end(), [&](const MapEntry& e) { return e.key == key; });
  if (it == entries.end()) return false;
  entries.erase(it);
  return true;
}

std::size_t Node::subtree_size() const {
  std::size_t n = 1;
  for (const auto& i : items) n += i.subtree_size();
  for (const auto& e : entries) n += 1 + e.value.subtree_size();
  return n;
}

const char* Node::kind_name() const {
  switch (kind) {
    case NodeKind::null: return "null";
    case NodeKind::scalar: return "a scalar";
    case NodeKind::sequence: return "a list";
    case NodeKind::mapping: return "a mapping";
  }
  return "a node";
}

Node Node::make_scalar(std::string text, SourceLocation loc, ScalarStyle style) {
  Node n;
  n.kind = NodeKind::scalar;
  n.style = style;
  n.text = std::move(text);
  n.location = std::move(loc);
  return n;
}

Node Node::make_mapping(SourceLocation loc) {
  Node n;
  n.kind = NodeKind::mapping;
  n.location = std::move(loc);
  return n;
}

Node Node::make_sequence(SourceLocation loc) {
  Node n;
  n.kind = NodeKind::sequence;
  n.location = std::move(loc);
  return n;
}

SourceLocation find_invalid_utf8(std::string_view text, const std::shared_ptr<const std::string>& file) {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c == 0) {
      return SourceLocation{file, line, column};
    } else if (c < 0x80) {
      len = 1;
      cp = c;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return SourceLocation{file, line, column};
    }
    if (i + len > text.size()) return SourceLocation{file, line, column};
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return SourceLocation{file, line, column};
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid too.
    static constexpr std::uint32_t k_min_for_len[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < k_min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return SourceLocation{file, line, column};
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += len;
  }
  return SourceLocation{file, 0, 0};
}

namespace {

// The encoding a byte-order mark at the start of `text` announces, or "".
std::string_view foreign_bom(std::string_view text) {
  auto starts = [&](std::string_view bom) { return text.substr(0, bom.size()) == bom; };
  using namespace std::string_view_literals;
  if (starts("\xFF\xFE\0\0"sv)) return "UTF-32 LE";
  if (starts("\0\0\xFE\xFF"sv)) return "UTF-32 BE";
  if (starts("\xFF\xFE"sv)) return "UTF-16 LE";
  if (starts("\xFE\xFF"sv)) return "UTF-16 BE";
  return "";
}

}  // namespace

Expected<void> check_utf8_text(std::string_view text, const std::shared_ptr<const std::string>& file) {
  if (std::string_view bom = foreign_bom(text); !bom.empty()) {
    return make_error(ErrorCode::bad_input, SourceLocation{file, 1, 1}.to_string() + ": " + std::string(bom) +
                                                " text (byte-order mark); stackfit reads UTF-8 only");
  }
  SourceLocation bad = find_invalid_utf8(text, file);
  if (bad.line == 0) return {};
  std::size_t offset = 0;
  for (std::uint32_t line = 1; line < bad.line; ++line) offset = text.find('\n', offset) + 1;
  // Columns count characters: walk the line to find the byte.
  for (std::uint32_t col = 1; col < bad.column; ++col) {
    auto c = static_cast<unsigned char>(text[offset]);
    offset += c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
  }
  if (offset < text.size() && text[offset] == '\0') {
    return make_error(ErrorCode::bad_input,
                      bad.to_string() + ": NUL byte (binary data, or UTF-16/32 text?); stackfit reads UTF-8 only");
  }
  return make_error(ErrorCode::bad_input, bad.to_string() + ": not valid UTF-8");
}

}  // namespace stackfit::yaml
