#include "stackfit/load/usage_csv_reader.hpp"

#include <charconv>
#include <cmath>
#include <optional>

#include "stackfit/util/file_io.hpp"

namespace stackfit {

namespace {

constexpr std::string_view k_header3 = "series,timestamp_s,bytes";
constexpr std::string_view k_header4 = "series,timestamp_s,bytes,limit_bytes";
// Past this, a size is no reading of a real container (4 EiB).
constexpr double k_max_bytes = 4.6e18;
// Timestamps up to 9e9 s (the year 2255): nanoseconds still fit in int64.
constexpr double k_max_seconds = 9e9;

// The offending text, at most one short line: control characters escaped,
// cut with an ellipsis.
std::string quoted(std::string_view text) {
  constexpr std::size_t k_max = 40;
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < k_max; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > k_max) out += "…";
  return out + "\"";
}

// A whole-field decimal number (sign, digits, point, exponent); nullopt for
// anything else, including "nan", "inf" and hex.
std::optional<double> number(std::string_view field) {
  if (field.empty()) return std::nullopt;
  for (char c : field) {
    bool ok = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
    if (!ok) return std::nullopt;
  }
  double v = 0;
  auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
  if (ec != std::errc() || end != field.data() + field.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

struct Fields {
  std::vector<std::string_view> values;
  std::vector<std::size_t> columns;  // 1-based byte column where each starts
};

Fields split(std::string_view text) {
  Fields f;
  std::size_t start = 0;
  for (;;) {
    std::size_t comma = text.find(',', start);
    f.values.push_back(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    f.columns.push_back(start + 1);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return f;
}

}  // namespace

UsageCsvParser::UsageCsvParser(std::string name, std::size_t max_line_bytes)
    : m_name(std::move(name)), m_max_line(max_line_bytes) {}

Error UsageCsvParser::error_at(std::size_t column, const std::string& reason) const {
  return Error{ErrorCode::bad_input,
               m_name + ":" + std::to_string(m_line) + ":" + std::to_string(column) + ": " + reason};
}

Expected<void> UsageCsvParser::feed(std::string_view chunk) {
  while (!chunk.empty()) {
    std::size_t nl = chunk.find('\n');
    std::string_view piece = chunk.substr(0, nl);
    if (m_partial.size() + piece.size() > m_max_line) {
      ++m_line;
      return tl::unexpected(error_at(1, "line longer than " + std::to_string(m_max_line) + " bytes"));
    }
    if (nl == std::string_view::npos) {
      m_partial.append(piece);
      return {};
    }
    ++m_line;
    Expected<void> done = m_partial.empty() ? line(piece) : line(m_partial.append(piece));
    m_partial.clear();
    if (!done) return done;
    chunk.remove_prefix(nl + 1);
  }
  return {};
}

Expected<UsageSeriesSet> UsageCsvParser::finish() {
  if (!m_partial.empty()) {
    ++m_line;
    auto done = line(m_partial);
    m_partial.clear();
    TRY(done);
  }
  if (m_columns == 0) {
    return make_error(ErrorCode::bad_input, m_name + ":1:1: empty input: expected the header " + std::string(k_header4) +
                                                " (limit_bytes optional)");
  }
  return std::move(m_series);
}

Expected<void> UsageCsvParser::line(std::string_view text) {
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  if (m_columns == 0) return header(text);
  if (text.empty()) return {};
  return row(text);
}

Expected<void> UsageCsvParser::header(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (text == k_header3) m_columns = 3;
  if (text == k_header4) m_columns = 4;
  if (m_columns == 0) {
    return tl::unexpected(error_at(1, "expected the header " + std::string(k_header4) +
                                          " (limit_bytes optional), found " + quoted(text)));
  }
  return {};
}

Expected<void> UsageCsvParser::row(std::string_view text) {
  Fields f = split(text);
  if (f.values.size() != m_columns) {
    std::size_t col = f.values.size() > m_columns ? f.columns[m_columns] : text.size() + 1;
    return tl::unexpected(error_at(col, "expected " + std::to_string(m_columns) + " columns, found " +
                                            std::to_string(f.values.size())));
  }
  std::string_view id = f.values[0];
  if (id.empty()) return tl::unexpected(error_at(1, "series: empty"));
  if (id.find('"') != std::string_view::npos) {
    return tl::unexpected(error_at(1, "series: quoted fields are not supported, found " + quoted(id)));
  }
  auto t = number(f.values[1]);
  if (!t || *t < 0 || *t >= k_max_seconds) {
    return tl::unexpected(error_at(f.columns[1], "timestamp_s: expected seconds since the Unix epoch, found " +
                                                     quoted(f.values[1])));
  }
  auto bytes = number(f.values[2]);
  if (!bytes || *bytes < 0 || *bytes >= k_max_bytes) {
    return tl::unexpected(error_at(f.columns[2], "bytes: expected a non-negative number, found " +
                                                     quoted(f.values[2])));
  }
  std::int64_t limit = -1;
  if (m_columns == 4 && !f.values[3].empty()) {
    auto l = number(f.values[3]);
    if (!l || *l < 0 || *l >= k_max_bytes) {
      return tl::unexpected(error_at(f.columns[3], "limit_bytes: expected a non-negative number or nothing, found " +
                                                       quoted(f.values[3])));
    }
    if (*l > 0) limit = std::llround(*l);
  }
  const std::int64_t t_ns = std::llround(*t * 1e9);
  const std::size_t index = m_series.series_index(id);
  if (index == m_last_line.size()) m_last_line.push_back(0);
  if (m_last_line[index] != 0 && t_ns <= m_series.last_t_ns(index)) {
    return tl::unexpected(error_at(f.columns[1], "timestamp_s " + std::string(f.values[1]) +
                                                     " is not after the previous row of series " + quoted(id) +
                                                     " (line " + std::to_string(m_last_line[index]) + ")"));
  }
  m_last_line[index] = m_line;
  m_series.append(index, UsagePoint{t_ns, std::llround(*bytes), limit, false});
  return {};
}

Expected<UsageSeriesSet> read_usage_csv(const std::string& path) {
  UsageCsvParser parser(path == "-" ? "<stdin>" : path);
  TRY(read_chunks(path, std::size_t{1} << 20, [&](std::string_view chunk) { return parser.feed(chunk); }));
  return parser.finish();
}

}  // namespace stackfit
