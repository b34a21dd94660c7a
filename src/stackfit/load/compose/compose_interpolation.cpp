#include "stackfit/load/compose/compose_interpolation.hpp"

#include <cctype>

namespace stackfit::compose {
namespace {

// Nested ${...} inside defaults are expanded recursively; this bounds it.
constexpr int k_max_nesting = 32;

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

tl::unexpected<Error> invalid_format(std::string_view text) {
  return make_error(ErrorCode::bad_input, "invalid interpolation format in \"" + std::string(text) +
                                              "\"; use $$ for a literal $");
}

Expected<std::string> substitute(std::string_view text, const VariableLookup& lookup, int depth);

// Index of the '}' closing the "${" that starts at `open`, or npos.
std::size_t find_closing_brace(std::string_view text, std::size_t open) {
  int depth = 0;
  for (std::size_t j = open; j < text.size(); ++j) {
    if (text[j] == '$' && j + 1 < text.size() && text[j + 1] == '$') {
      ++j;
    } else if (text[j] == '$' && j + 1 < text.size() && text[j + 1] == '{') {
      ++depth;
      ++j;
    } else if (text[j] == '}') {
      if (--depth == 0) return j;
    }
  }
  return std::string_view::npos;
}

// Expands the inside of ${...}: NAME followed by an optional operator.
Expected<std::string> expand_braced(std::string_view inner, std::string_view whole,
                                    const VariableLookup& lookup, int depth) {
  std::size_t n = 0;
  while (n < inner.size() && is_name_char(inner[n])) ++n;
  if (n == 0 || !is_name_start(inner[0])) return invalid_format(whole);
  std::string name(inner.substr(0, n));
  std::string_view rest = inner.substr(n);
  std::optional<std::string> value = lookup(name);
  if (rest.empty()) return value.value_or("");

  bool colon = rest[0] == ':';
  if (colon) rest.remove_prefix(1);
  if (rest.empty()) return invalid_format(whole);
  char op = rest[0];
  std::string_view arg = rest.substr(1);
  bool unset_or_empty = !value || (colon && value->empty());
  switch (op) {
    case '-':
      if (unset_or_empty) return substitute(arg, lookup, depth + 1);
      return *value;
    case '?':
      if (unset_or_empty) {
        std::string message = "required variable " + name + " is missing a value";
        if (!arg.empty()) message += ": " + std::string(arg);
        return make_error(ErrorCode::bad_input, std::move(message));
      }
      return *value;
    case '+':
      if (!unset_or_empty) return substitute(arg, lookup, depth + 1);
      return std::string();
    default:
      return invalid_format(whole);
  }
}

Expected<std::string> substitute(std::string_view text, const VariableLookup& lookup, int depth) {
  if (depth > k_max_nesting) {
    return make_error(ErrorCode::bad_input, "interpolation nested deeper than 32 levels");
  }
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '$') {
      out += text[i++];
      continue;
    }
    if (i + 1 >= text.size()) return invalid_format(text);
    char next = text[i + 1];
    if (next == '$') {
      out += '$';
      i += 2;
    } else if (next == '{') {
      std::size_t close = find_closing_brace(text, i);
      if (close == std::string_view::npos) return invalid_format(text);
      auto expanded = expand_braced(text.substr(i + 2, close - i - 2), text, lookup, depth);
      TRY(expanded);
      out += *expanded;
      i = close + 1;
    } else if (is_name_start(next)) {
      std::size_t end = i + 1;
      while (end < text.size() && is_name_char(text[end])) ++end;
      out += lookup(text.substr(i + 1, end - i - 1)).value_or("");
      i = end;
    } else {
      return invalid_format(text);
    }
  }
  return out;
}

}  // namespace

Expected<std::string> substitute_variables(std::string_view text, const VariableLookup& lookup) {
  return substitute(text, lookup, 0);
}

Expected<void> interpolate_tree(yaml::Node& root, const VariableLookup& lookup) {
  switch (root.kind) {
    case yaml::NodeKind::scalar: {
      if (root.text.find('$') == std::string::npos) return {};
      auto replaced = substitute_variables(root.text, lookup);
      if (!replaced) {
        return make_error(replaced.error().code,
                          root.location.to_string() + ": " + replaced.error().message);
      }
      root.text = std::move(*replaced);
      return {};
    }
    case yaml::NodeKind::sequence:
      for (auto& item : root.items) {
        if (auto r = interpolate_tree(item, lookup); !r) return r;
      }
      return {};
    case yaml::NodeKind::mapping:
      for (auto& entry : root.entries) {
        if (auto r = interpolate_tree(entry.value, lookup); !r) return r;
      }
      return {};
    case yaml::NodeKind::null:
      return {};
  }
  return {};
}

}  // namespace stackfit::compose
