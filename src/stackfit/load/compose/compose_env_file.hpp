// Compose's dotenv format (.env, --env-file, a service's env_file), following
// compose-go's dotenv parser: `KEY=value` or `KEY: value`, an optional
// `export ` prefix, `#` comments (a `#` inside an unquoted value starts a
// comment only after whitespace), 'single quotes' (literal), "double quotes"
// (escapes \n \r \t \\ \" and ${} substitution), unquoted values trimmed and
// substituted, and a bare `KEY` that takes its value from the lookup.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "stackfit/load/compose/compose_interpolation.hpp"
#include "stackfit/model/stack.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit::compose {

// Parses dotenv `text` read from `file` (used in messages). References in
// values resolve through `outer` first, then through keys defined earlier in
// the same text. Later keys replace earlier ones in place. Errors are
// bad_input "file:line:col: reason".
[[nodiscard]] Expected<KeyValues> parse_env_file(std::string_view text, const std::string& file,
                                                 const VariableLookup& outer);

// Reads and parses the file at `path`. Missing file: not_found "path: ...".
[[nodiscard]] Expected<KeyValues> read_env_file(const std::string& path, const VariableLookup& outer);

// Ordered key/value pairs with an index by key, so that files with very many
// keys stay linear: set() replaces an existing key in place, else appends.
class KeyValueBuilder {
 public:
  void set(const std::string& key, std::string value);
  [[nodiscard]] const std::string* find(std::string_view key) const;
  [[nodiscard]] const KeyValues& values() const { return m_values; }
  [[nodiscard]] KeyValues take() { return std::move(m_values); }

 private:
  KeyValues m_values;
  std::unordered_map<std::string, std::size_t> m_index;
};

}  // namespace stackfit::compose
