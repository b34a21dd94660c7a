// A small ordered YAML tree that stackfit writes (override files, kustomize
// patches), rendered in block style with safe quoting: a string is written
// plain only when no YAML 1.1 or 1.2 reader can take it for anything but that
// string; otherwise it is double-quoted with escapes. Keys are quoted the same
// way, so any service name or value round-trips.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stackfit {

class YamlOut {
 public:
  enum class Kind { mapping, sequence, string, literal };

  // A string value: quoted when needed.
  [[nodiscard]] static YamlOut string(std::string text);
  // A value written exactly as given (numbers, true/false): the caller
  // guarantees it is a valid plain scalar.
  [[nodiscard]] static YamlOut literal(std::string text);
  [[nodiscard]] static YamlOut mapping();
  [[nodiscard]] static YamlOut sequence();
  [[nodiscard]] static YamlOut strings(const std::vector<std::string>& items);

  // Mapping child `key`, created (as an empty mapping) when absent.
  YamlOut& at(const std::string& key);
  // Sets `key` to `value` (replacing an existing entry in place).
  YamlOut& set(const std::string& key, YamlOut value);
  // Appends to a sequence.
  YamlOut& push(YamlOut value);

  [[nodiscard]] Kind kind() const { return m_kind; }
  [[nodiscard]] bool empty() const { return m_entries.empty() && m_items.empty(); }
  [[nodiscard]] const YamlOut* find(std::string_view key) const;

  // Block-style text of this node as a document body, ending in a newline.
  [[nodiscard]] std::string render() const;

 private:
  void render_into(std::string& out, int indent) const;
  void render_value_after_key(std::string& out, int indent) const;

  Kind m_kind = Kind::mapping;
  std::string m_text;
  std::vector<std::pair<std::string, YamlOut>> m_entries;
  std::vector<YamlOut> m_items;
};

// `text` as a YAML scalar: plain when unambiguous, else double-quoted.
[[nodiscard]] std::string yaml_scalar(std::string_view text);
// `text` double-quoted with YAML escapes (control characters, C1, line and
// paragraph separators, BOM; a byte that is not valid UTF-8 becomes \xNN).
[[nodiscard]] std::string yaml_double_quoted(std::string_view text);

}  // namespace stackfit
