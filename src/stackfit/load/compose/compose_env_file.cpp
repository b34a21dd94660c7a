#include "stackfit/load/compose/compose_env_file.hpp"

#include <cctype>
#include <optional>

#include "stackfit/util/file_io.hpp"

namespace stackfit::compose {
namespace {

bool is_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' ||
         c == '[' || c == ']';
}
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// A cursor over dotenv text that knows its line and column (1-based).
class EnvParser {
 public:
  EnvParser(std::string_view text, const std::string& file, const VariableLookup& outer)
      : m_text(text), m_file(file), m_outer(outer) {}

  Expected<KeyValues> run() {
    while (skip_to_statement()) {
      TRY(statement());
    }
    return m_values.take();
  }

 private:
  [[nodiscard]] bool at_end() const { return m_pos >= m_text.size(); }
  [[nodiscard]] char peek() const { return at_end() ? '\0' : m_text[m_pos]; }
  void advance() {
    if (m_text[m_pos++] == '\n') {
      ++m_line;
      m_col = 1;
    } else {
      ++m_col;
    }
  }
  [[nodiscard]] std::string here() const {
    return m_file + ":" + std::to_string(m_line) + ":" + std::to_string(m_col);
  }
  tl::unexpected<Error> fail(const std::string& where, const std::string& reason) const {
    return make_error(ErrorCode::bad_input, where + ": " + reason);
  }
  void skip_line() {
    while (!at_end() && peek() != '\n') advance();
  }

  // Skips blank lines and comment lines; false at the end of the text.
  bool skip_to_statement() {
    while (!at_end()) {
      char c = peek();
      if (c == '#') {
        skip_line();
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        advance();
      } else {
        return true;
      }
    }
    return false;
  }

  Expected<void> statement() {
    if (m_text.substr(m_pos, 7) == "export " || m_text.substr(m_pos, 7) == "export\t") {
      for (int i = 0; i < 7; ++i) advance();
      while (is_blank(peek())) advance();
    }
    std::string where = here();
    std::string key;
    while (!at_end() && is_key_char(peek())) {
      key += peek();
      advance();
    }
    while (is_blank(peek())) advance();
    char c = peek();
    if (key.empty() || (c != '=' && c != ':' && c != '\n' && c != '#' && !at_end())) {
      std::string bad = at_end() ? std::string() : std::string(1, c);
      return fail(here(), "unexpected character \"" + bad + "\" in variable name \"" + key + bad + "\"");
    }
    if (c != '=' && c != ':') {
      // A bare KEY takes its value from the environment, if it has one.
      skip_line();
      if (auto v = lookup(key)) m_values.set(key, *v);
      return {};
    }
    advance();
    while (is_blank(peek())) advance();
    auto value = read_value();
    TRY(value);
    m_values.set(key, std::move(*value));
    return {};
  }

  Expected<std::string> read_value() {
    char c = peek();
    if (c == '\'' || c == '"') return read_quoted(c);
    std::string where = here();
    std::string raw;
    while (!at_end() && peek() != '\n') {
      if (peek() == '#' && (raw.empty() || is_blank(raw.back()))) break;
      raw += peek();
      advance();
    }
    skip_line();
    while (!raw.empty() && is_blank(raw.back())) raw.pop_back();
    return expand(raw, where);
  }

  Expected<std::string> read_quoted(char quote) {
    std::string where = here();
    advance();
    std::string raw;
    while (!at_end() && peek() != quote) {
      if (quote == '"' && peek() == '\\' && m_pos + 1 < m_text.size()) {
        advance();
        raw += unescape(peek());
      } else {
        raw += peek();
      }
      advance();
    }
    if (at_end()) return fail(where, "unterminated quoted value");
    advance();
    skip_line();  // anything after the closing quote is a comment
    if (quote == '\'') return raw;
    return expand(raw, where);
  }

  // Escapes in double quotes; "\$" stays a literal dollar through substitution.
  static std::string unescape(char c) {
    switch (c) {
      case 'n': return "\n";
      case 'r': return "\r";
      case 't': return "\t";
      case '$': return "$$";
      default: return std::string(1, c);
    }
  }

  std::optional<std::string> lookup(std::string_view name) const {
    if (auto v = m_outer(name)) return v;
    if (const std::string* v = m_values.find(name)) return *v;
    return std::nullopt;
  }

  Expected<std::string> expand(const std::string& raw, const std::string& where) const {
    auto out = substitute_variables(raw, [this](std::string_view n) { return lookup(n); });
    if (!out) return fail(where, out.error().message);
    return out;
  }

  std::string_view m_text;
  const std::string& m_file;
  const VariableLookup& m_outer;
  std::size_t m_pos = 0;
  std::uint32_t m_line = 1;
  std::uint32_t m_col = 1;
  KeyValueBuilder m_values;
};

}  // namespace

void KeyValueBuilder::set(const std::string& key, std::string value) {
  auto [it, inserted] = m_index.emplace(key, m_values.size());
  if (inserted) {
    m_values.emplace_back(key, std::move(value));
  } else {
    m_values[it->second].second = std::move(value);
  }
}

const std::string* KeyValueBuilder::find(std::string_view key) const {
  auto it = m_index.find(std::string(key));
  return it == m_index.end() ? nullptr : &m_values[it->second].second;
}

Expected<KeyValues> parse_env_file(std::string_view text, const std::string& file,
                                   const VariableLookup& outer) {
  return EnvParser(text, file, outer).run();
}

Expected<KeyValues> read_env_file(const std::string& path, const VariableLookup& outer) {
  auto text = read_file(path);
  TRY(text);
  return parse_env_file(*text, path, outer);
}

}  // namespace stackfit::compose
