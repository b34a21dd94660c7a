#include "stackfit/load/compose/compose_interpolation.hpp"

#include <cctype>

#include "stackfit/util/quoted_excerpt.hpp"

namespace stackfit::compose {
namespace {

// Nested ${...} inside defaults are expanded recursively; this bounds it.
constexpr int k_max_nesting = 32;

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// What compose-go's pattern matches at a '$'.
enum class MatchKind { none, escaped, named, braced, invalid };

struct Match {
  MatchKind kind = MatchKind::none;
  std::size_t end = 0;  // one past the match
};

// The last '}' of the line holding `from`, cached per line so that a line of
// many ${A:-x} is scanned once (the pattern's `(.*)}` is greedy and `.` stops
// at a newline).
class LineBraces {
 public:
  explicit LineBraces(std::string_view text) : m_text(text) {}
  // Index of the last '}' at or after `from` on its line, or npos.
  std::size_t last_from(std::size_t from) {
    if (from >= m_line_end || from < m_line_start) {
      m_line_start = from;
      m_line_end = m_text.find('\n', from);
      if (m_line_end == std::string_view::npos) m_line_end = m_text.size();
      m_last = m_text.substr(0, m_line_end).rfind('}');
      if (m_last != std::string_view::npos && m_last < m_line_start) m_last = std::string_view::npos;
    }
    return m_last != std::string_view::npos && m_last >= from ? m_last : std::string_view::npos;
  }

 private:
  std::string_view m_text;
  std::size_t m_line_start = 0;
  std::size_t m_line_end = 0;
  std::size_t m_last = std::string_view::npos;
};

std::size_t name_end(std::string_view text, std::size_t from) {
  while (from < text.size() && is_name_char(text[from])) ++from;
  return from;
}

// The pattern at text[i] == '$' (leftmost-first alternation, greedy `(.*)`).
Match match_at(std::string_view text, std::size_t i, LineBraces& braces) {
  if (i + 1 >= text.size()) return {};
  char next = text[i + 1];
  if (next == '$') return {MatchKind::escaped, i + 2};
  if (is_name_start(next)) return {MatchKind::named, name_end(text, i + 1)};
  if (next != '{') return {};
  Match invalid{MatchKind::invalid, i + 2};
  if (i + 2 >= text.size() || !is_name_start(text[i + 2])) return invalid;
  std::size_t p = name_end(text, i + 2);
  if (p < text.size() && text[p] == '}') return {MatchKind::braced, p + 1};
  std::size_t q = p < text.size() && text[p] == ':' ? p + 1 : p;
  if (q >= text.size() || (text[q] != '-' && text[q] != '+' && text[q] != '?')) return invalid;
  std::size_t close = braces.last_from(q + 1);
  if (close == std::string_view::npos) return invalid;
  return {MatchKind::braced, close + 1};
}

// compose-go's getFirstBraceClosingIndex, as written: counts every '{' (and
// skips the character after it) and stops at the '}' that balances them.
std::size_t first_brace_closing(std::string_view s) {
  int open = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '}' && --open == 0) return i;
    if (s[i] == '{') {
      ++open;
      ++i;
    }
  }
  return std::string_view::npos;
}

// One substitution. An invalid `${` anywhere, nested or not, is reported by
// substitute_variables with the whole value (compose-go quotes the nested
// template it was found in).
class Substituter {
 public:
  explicit Substituter(const VariableLookup& lookup) : m_lookup(lookup) {}

  Expected<std::string> run(std::string_view text, int depth);
  bool invalid() const { return m_invalid; }

 private:
  Expected<std::string> braced(std::string_view inner, int depth);
  tl::unexpected<Error> invalid_format() {
    m_invalid = true;
    return make_error(ErrorCode::bad_input, "");
  }

  const VariableLookup& m_lookup;
  bool m_invalid = false;
};

// `inner` is NAME followed by nothing or by an operator and its argument.
Expected<std::string> Substituter::braced(std::string_view inner, int depth) {
  std::size_t n = name_end(inner, 0);
  std::string name(inner.substr(0, n));
  std::string_view rest = inner.substr(n);
  std::optional<std::string> value = m_lookup(name);
  if (rest.empty()) return value.value_or("");
  bool colon = rest[0] == ':';
  char op = rest[colon ? 1 : 0];
  auto arg = run(rest.substr(colon ? 2 : 1), depth + 1);  // substituted even when unused
  if (!arg) return arg;
  bool unset_or_empty = !value || (colon && value->empty());
  if (op == '-') return unset_or_empty ? *arg : *value;
  if (op == '+') return unset_or_empty ? value.value_or("") : *arg;
  if (unset_or_empty) {
    std::string message = "required variable " + name + " is missing a value";
    if (!arg->empty()) message += ": " + one_line_excerpt(*arg);
    return make_error(ErrorCode::bad_input, std::move(message));
  }
  return *value;
}

Expected<std::string> Substituter::run(std::string_view text, int depth) {
  if (depth > k_max_nesting) {
    return make_error(ErrorCode::bad_input, "interpolation nested deeper than 32 levels");
  }
  std::string out;
  out.reserve(text.size());
  LineBraces braces(text);
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t dollar = text.find('$', i);
    out.append(text.substr(i, dollar == std::string_view::npos ? std::string_view::npos : dollar - i));
    if (dollar == std::string_view::npos) break;
    i = dollar;
    Match m = match_at(text, i, braces);
    switch (m.kind) {
      case MatchKind::none: out += '$'; ++i; continue;
      case MatchKind::escaped: out += '$'; i = m.end; continue;
      case MatchKind::named:
        out += m_lookup(text.substr(i + 1, m.end - i - 1)).value_or("");
        i = m.end;
        continue;
      case MatchKind::invalid: return invalid_format();
      case MatchKind::braced: break;
    }
    // compose-go cuts the match at its first balanced '}' and substitutes
    // what follows on its own; going on scanning from there is the same.
    std::string_view match = text.substr(i, m.end - i);
    std::size_t close = first_brace_closing(match);
    if (close == std::string_view::npos) close = match.size() - 1;
    std::string_view cut = match.substr(0, close + 1);
    LineBraces cut_braces(cut);
    if (match_at(cut, 0, cut_braces).kind != MatchKind::braced) return invalid_format();
    auto value = braced(match.substr(2, close - 2), depth);
    if (!value) return value;
    out += *value;
    i += close + 1;
  }
  return out;
}

}  // namespace

Expected<std::string> substitute_variables(std::string_view text, const VariableLookup& lookup) {
  Substituter substituter(lookup);
  auto result = substituter.run(text, 0);
  if (!result && substituter.invalid()) {
    return make_error(ErrorCode::bad_input,
                      "invalid interpolation format in " + quoted_excerpt(text) + "; use $$ for a literal $");
  }
  return result;
}

namespace {

// Counts the bytes of every value substituted under one tree; past the cap
// it answers "unset" and remembers it, so no string grows much past the cap.
struct CappedLookup {
  const VariableLookup& lookup;
  std::size_t substituted_bytes = 0;
  bool over = false;
  std::optional<std::string> operator()(std::string_view name) {
    if (over) return std::nullopt;
    auto value = lookup(name);
    if (value) substituted_bytes += value->size();
    if (substituted_bytes > k_max_substituted_bytes) over = true;
    return over ? std::nullopt : value;
  }
};

Expected<void> interpolate_capped(yaml::Node& root, CappedLookup& capped, const VariableLookup& lookup) {
  switch (root.kind) {
    case yaml::NodeKind::scalar: {
      if (root.text.find('$') == std::string::npos) return {};
      auto replaced = substitute_variables(root.text, lookup);
      if (capped.over) {
        return make_error(ErrorCode::bad_input, root.location.to_string() + ": variables expand to more than " +
                                                    std::to_string(k_max_substituted_bytes >> 20) +
                                                    " MiB in this file, refused");
      }
      if (!replaced) {
        return make_error(replaced.error().code,
                          root.location.to_string() + ": " + replaced.error().message);
      }
      root.text = std::move(*replaced);
      return {};
    }
    case yaml::NodeKind::sequence:
      for (auto& item : root.items) {
        if (auto r = interpolate_capped(item, capped, lookup); !r) return r;
      }
      return {};
    case yaml::NodeKind::mapping:
      for (auto& entry : root.entries) {
        if (auto r = interpolate_capped(entry.value, capped, lookup); !r) return r;
      }
      return {};
    case yaml::NodeKind::null:
      return {};
  }
  return {};
}

}  // namespace

Expected<void> interpolate_tree(yaml::Node& root, const VariableLookup& lookup) {
  CappedLookup capped{lookup};
  VariableLookup counted = [&capped](std::string_view name) { return capped(name); };
  return interpolate_capped(root, capped, counted);
}

}  // namespace stackfit::compose
