#include "stackfit/model/quantity.hpp"
#include "stackfit/util/quoted_excerpt.hpp"

#include <array>
#include <cctype>
#include <limits>

namespace stackfit {
namespace {

constexpr std::int64_t k_int64_max = std::numeric_limits<std::int64_t>::max();
__extension__ typedef unsigned __int128 Uint128;

// An exact non-negative decimal: value = digits * 10^exponent10. Digits hold no
// leading zeros ("" means zero). Kept as text so that suffix arithmetic and
// rounding are exact however many digits the user wrote.
struct Decimal {
  std::string digits;
  std::int64_t exponent10 = 0;
};

enum class Rounding { up, toward_zero };

void strip_leading_zeros(std::string& digits) {
  std::size_t nz = digits.find_first_not_of('0');
  digits.erase(0, nz == std::string::npos ? digits.size() : nz);
}

void multiply_small(std::string& digits, unsigned factor) {
  unsigned carry = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    unsigned v = static_cast<unsigned>(*it - '0') * factor + carry;
    *it = static_cast<char>('0' + v % 10);
    carry = v / 10;
  }
  while (carry) {
    digits.insert(digits.begin(), static_cast<char>('0' + carry % 10));
    carry /= 10;
  }
}

// Integer value of `d`, rounded as asked; nullopt-like false on overflow.
bool to_int64(Decimal d, Rounding rounding, std::int64_t& out) {
  strip_leading_zeros(d.digits);
  if (d.digits.empty()) {
    out = 0;
    return true;
  }
  std::string whole;
  bool fraction_nonzero = false;
  if (d.exponent10 >= 0) {
    if (static_cast<std::int64_t>(d.digits.size()) + d.exponent10 > 19) return false;
    whole = d.digits + std::string(static_cast<std::size_t>(d.exponent10), '0');
  } else {
    std::int64_t k = -d.exponent10;
    if (k >= static_cast<std::int64_t>(d.digits.size())) {
      fraction_nonzero = true;  // digits are non-zero and all behind the point
    } else {
      std::size_t cut = d.digits.size() - static_cast<std::size_t>(k);
      whole = d.digits.substr(0, cut);
      fraction_nonzero = d.digits.find_first_not_of('0', cut) != std::string::npos;
    }
  }
  strip_leading_zeros(whole);
  if (whole.size() > 19) return false;
  Uint128 v = 0;
  for (char c : whole) v = v * 10 + static_cast<unsigned>(c - '0');
  if (fraction_nonzero && rounding == Rounding::up) v += 1;
  if (v > static_cast<Uint128>(k_int64_max)) return false;
  out = static_cast<std::int64_t>(v);
  return true;
}

struct ParsedNumber {
  bool negative = false;
  Decimal value;
  std::size_t consumed = 0;  // characters of the number, sign included
};

// <sign?><digits>[.<digits>] with at least one digit. Returns false if no number.
bool parse_number(std::string_view text, ParsedNumber& out) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    out.negative = text[i] == '-';
    ++i;
  }
  std::string digits;
  std::size_t digit_count = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    digits += text[i++];
    ++digit_count;
  }
  std::int64_t frac = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      digits += text[i++];
      ++frac;
      ++digit_count;
    }
  }
  if (digit_count == 0) return false;
  strip_leading_zeros(digits);
  out.value = Decimal{digits, -frac};
  out.consumed = i;
  return true;
}

// Parses "<int>" for exponents; bounded so that huge exponents cannot overflow.
bool parse_exponent(std::string_view text, std::int64_t& out) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  if (i == text.size() || text.size() - i > 6) return false;
  std::int64_t v = 0;
  for (; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    v = v * 10 + (text[i] - '0');
  }
  out = negative ? -v : v;
  return true;
}


// Applies a Kubernetes suffix to `d`. Returns false for an unknown suffix.
bool apply_k8s_suffix(std::string_view suffix, Decimal& d) {
  struct Binary {
    std::string_view name;
    unsigned shift;
  };
  static constexpr std::array<Binary, 6> k_binary{
      {{"Ki", 10}, {"Mi", 20}, {"Gi", 30}, {"Ti", 40}, {"Pi", 50}, {"Ei", 60}}};
  for (const auto& b : k_binary) {
    if (suffix == b.name) {
      for (unsigned s = 0; s < b.shift; s += 10) multiply_small(d.digits, 1024);
      return true;
    }
  }
  struct Decimal10 {
    std::string_view name;
    int exponent;
  };
  static constexpr std::array<Decimal10, 10> k_decimal{{{"n", -9},
                                                        {"u", -6},
                                                        {"m", -3},
                                                        {"", 0},
                                                        {"k", 3},
                                                        {"M", 6},
                                                        {"G", 9},
                                                        {"T", 12},
                                                        {"P", 15},
                                                        {"E", 18}}};
  for (const auto& s : k_decimal) {
    if (suffix == s.name) {
      d.exponent10 += s.exponent;
      return true;
    }
  }
  if (!suffix.empty() && (suffix[0] == 'e' || suffix[0] == 'E')) {
    std::int64_t e = 0;
    if (!parse_exponent(suffix.substr(1), e)) return false;
    d.exponent10 += e;
    return true;
  }
  return false;
}

// What a value past int64 becomes.
enum class Overflow { clamp, refuse };

// Go's strings.TrimSpace over ASCII: apimachinery trims a quantity read from a
// manifest (Quantity.UnmarshalJSON) before parsing it.
std::string_view trim_ascii_space(std::string_view text) {
  constexpr std::string_view k_space = " \t\n\v\f\r";
  std::size_t first = text.find_first_not_of(k_space);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(k_space) - first + 1);
}

Expected<std::int64_t> parse_k8s(std::string_view raw, int extra_exponent10, Overflow overflow) {
  constexpr std::string_view what = "invalid Kubernetes quantity ";
  std::string_view text = trim_ascii_space(raw);
  ParsedNumber n;
  if (text.empty()) return make_error(ErrorCode::bad_input, "empty Kubernetes quantity");
  if (!parse_number(text, n)) {
    return make_error(ErrorCode::bad_input, std::string(what) + quoted_excerpt(raw) + ": not a number");
  }
  std::string_view suffix = text.substr(n.consumed);
  if (!apply_k8s_suffix(suffix, n.value)) {
    return make_error(ErrorCode::bad_input,
                      std::string(what) + quoted_excerpt(raw) + ": unknown suffix " + quoted_excerpt(suffix));
  }
  if (n.negative && !n.value.digits.empty()) {
    return make_error(ErrorCode::bad_input, std::string(what) + quoted_excerpt(raw) + ": negative");
  }
  n.value.exponent10 += extra_exponent10;
  std::int64_t out = 0;
  if (to_int64(n.value, Rounding::up, out)) return out;
  // apimachinery caps a binary quantity at the largest int64 ("9Ei"); the
  // decimal forms ("10E", "1e19") are capped the same way here (docs/quantities.md).
  if (overflow == Overflow::clamp) return k_int64_max;
  return make_error(ErrorCode::bad_input, std::string(what) + quoted_excerpt(raw) + ": too large");
}

}  // namespace

Bytes saturating_add(Bytes a, Bytes b) {
  std::int64_t r = 0;
  return Bytes{__builtin_add_overflow(a.count, b.count, &r) ? k_int64_max : r};
}
Bytes saturating_mul(Bytes a, std::int64_t factor) {
  std::int64_t r = 0;
  return Bytes{__builtin_mul_overflow(a.count, factor, &r) ? k_int64_max : r};
}
Millicores saturating_add(Millicores a, Millicores b) {
  std::int64_t r = 0;
  return Millicores{__builtin_add_overflow(a.count, b.count, &r) ? k_int64_max : r};
}
Millicores saturating_mul(Millicores a, std::int64_t factor) {
  std::int64_t r = 0;
  return Millicores{__builtin_mul_overflow(a.count, factor, &r) ? k_int64_max : r};
}

Expected<Bytes> parse_k8s_memory(std::string_view text) {
  auto v = parse_k8s(text, 0, Overflow::clamp);
  TRY(v);
  return Bytes{*v};
}

Expected<Millicores> parse_k8s_cpu(std::string_view text) {
  auto v = parse_k8s(text, 3, Overflow::clamp);
  TRY(v);
  return Millicores{*v};
}

Expected<Bytes> parse_compose_bytes(std::string_view text) {
  // go-units parseSize: the number runs to the last digit, '.' or space.
  std::size_t sep = text.find_last_of("0123456789. ");
  if (sep == std::string_view::npos) {
    return make_error(ErrorCode::bad_input, "invalid byte value " + quoted_excerpt(text));
  }
  std::string_view num = text[sep] == ' ' ? text.substr(0, sep) : text.substr(0, sep + 1);
  std::string suffix(text.substr(sep + 1));
  ParsedNumber n;
  if (!parse_number(num, n)) {
    return make_error(ErrorCode::bad_input, "invalid byte value " + quoted_excerpt(text));
  }
  // Go's ParseFloat also takes an exponent ("1e3").
  if (n.consumed < num.size() && (num[n.consumed] == 'e' || num[n.consumed] == 'E')) {
    std::int64_t e = 0;
    if (!parse_exponent(num.substr(n.consumed + 1), e)) {
      return make_error(ErrorCode::bad_input, "invalid byte value " + quoted_excerpt(text));
    }
    n.value.exponent10 += e;
  } else if (n.consumed != num.size()) {
    return make_error(ErrorCode::bad_input, "invalid byte value " + quoted_excerpt(text));
  }
  if (n.negative && !n.value.digits.empty()) {
    return make_error(ErrorCode::bad_input, "invalid byte value " + quoted_excerpt(text) + ": negative");
  }
  for (char& c : suffix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool ok = suffix.empty() || suffix == "b";
  if (!ok && suffix.size() <= 3) {
    static constexpr std::string_view k_units = "kmgtp";
    std::size_t unit = k_units.find(suffix[0]);
    std::string_view rest = std::string_view(suffix).substr(1);
    if (unit != std::string_view::npos && (rest.empty() || rest == "b" || rest == "ib")) {
      for (std::size_t i = 0; i <= unit; ++i) multiply_small(n.value.digits, 1024);
      ok = true;
    }
  }
  if (!ok) {
    return make_error(ErrorCode::bad_input,
                      "invalid byte value " + quoted_excerpt(text) + ": unknown unit " + quoted_excerpt(suffix));
  }
  std::int64_t out = 0;
  if (!to_int64(n.value, Rounding::toward_zero, out)) {
    return make_error(ErrorCode::bad_input, "invalid byte value " + quoted_excerpt(text) + ": too large");
  }
  return Bytes{out};
}

Expected<Millicores> parse_compose_cpus(std::string_view text) {
  ParsedNumber n;
  if (text.empty() || !parse_number(text, n) || n.consumed != text.size()) {
    return make_error(ErrorCode::bad_input, "invalid cpus value " + quoted_excerpt(text));
  }
  if (n.negative && !n.value.digits.empty()) {
    return make_error(ErrorCode::bad_input, "invalid cpus value " + quoted_excerpt(text) + ": negative");
  }
  n.value.exponent10 += 3;
  std::int64_t out = 0;
  if (!to_int64(n.value, Rounding::up, out)) {
    return make_error(ErrorCode::bad_input, "invalid cpus value " + quoted_excerpt(text) + ": too large");
  }
  return Millicores{out};
}

Expected<Bytes> parse_memory_argument(std::string_view text) {
  // "512m" on a command line means 512 MiB (Docker), never 0.512 bytes
  // (the Kubernetes milli suffix, which no one uses for memory).
  // A size past int64 on a command line is a mistake, not a cap.
  bool milli = !text.empty() && text.back() == 'm';
  if (!milli) {
    if (auto k8s = parse_k8s(text, 0, Overflow::refuse)) return Bytes{*k8s};
  }
  if (text.size() > 3 && text.substr(text.size() - 2) == "iB") {
    if (auto iec = parse_k8s(text.substr(0, text.size() - 1), 0, Overflow::refuse)) return Bytes{*iec};
  }
  if (auto docker = parse_compose_bytes(text)) return docker;
  return make_error(ErrorCode::usage, "invalid size " + quoted_excerpt(text) + " (examples: 1Gi, 512Mi, 1GiB, 1g)");
}

std::string format_k8s_memory(Bytes b) {
  static constexpr std::array<const char*, 6> k_suffix{"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
  if (b.count == 0) return "0";
  for (std::size_t i = 0; i < k_suffix.size(); ++i) {
    std::int64_t unit = std::int64_t{1} << (10 * (6 - i));
    if (b.count % unit == 0) return std::to_string(b.count / unit) + k_suffix[i];
  }
  return std::to_string(b.count);
}

std::string format_k8s_cpu(Millicores m) {
  if (m.count % 1000 == 0) return std::to_string(m.count / 1000);
  return std::to_string(m.count) + "m";
}

std::string format_compose_bytes(Bytes b) {
  static constexpr std::array<const char*, 4> k_suffix{"t", "g", "m", "k"};
  if (b.count == 0) return "0";
  for (std::size_t i = 0; i < k_suffix.size(); ++i) {
    std::int64_t unit = std::int64_t{1} << (10 * (4 - i));
    if (b.count % unit == 0) return std::to_string(b.count / unit) + k_suffix[i];
  }
  return std::to_string(b.count);
}

std::string format_compose_cpus(Millicores m) { return format_human_cpu(m); }

std::string format_count(std::int64_t count) {
  if (count == std::numeric_limits<std::int64_t>::max()) return "\u2265 " + std::to_string(count) + " (overflow)";
  return std::to_string(count);
}

std::string format_human_bytes(Bytes b) {
  static constexpr std::array<const char*, 5> k_units{"KiB", "MiB", "GiB", "TiB", "PiB"};
  if (b.count < 1024) return std::to_string(b.count) + " B";
  // A saturated sum (INT64_MAX: saturating_add/mul overflowed) is a bound,
  // not a value: shown as "≥ 8192 PiB (overflow)", never as if exact.
  if (b.count == std::numeric_limits<std::int64_t>::max()) return "\u2265 8192 PiB (overflow)";
  std::size_t unit = 0;
  std::int64_t scale = 1024;
  while (unit + 1 < k_units.size() && b.count / scale >= 1024) {
    scale *= 1024;
    ++unit;
  }
  // One decimal, rounded half up, using integers only.
  std::int64_t tenths = (b.count / scale) * 10 + ((b.count % scale) * 10 + scale / 2) / scale;
  if (tenths % 10 == 0) return std::to_string(tenths / 10) + " " + k_units[unit];
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " " + k_units[unit];
}

std::string format_human_cpu(Millicores m) {
  std::string out = std::to_string(m.count / 1000);
  std::int64_t frac = m.count % 1000;
  if (frac == 0) return out;
  std::string f = std::to_string(1000 + frac).substr(1);
  while (!f.empty() && f.back() == '0') f.pop_back();
  return out + "." + f;
}

}  // namespace stackfit
