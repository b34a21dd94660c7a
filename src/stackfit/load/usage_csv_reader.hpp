// `backtest --csv`: memory-usage series exported from any monitoring system
// (docs/backtest.md, "CSV input"):
//
//   series,timestamp_s,bytes[,limit_bytes]
//   web,1700000000,268435456,536870912
//
// One header line, then one reading per line; rows of different series in
// any order, each series' timestamps strictly increasing. timestamp_s:
// seconds since the Unix epoch (decimals allowed). bytes, limit_bytes:
// non-negative numbers (decimals and exponents allowed, rounded to whole
// bytes); an empty or 0 limit_bytes means no limit known. Plain fields only
// (no quoting); a trailing CR and a UTF-8 byte-order mark are accepted, blank
// lines skipped. Any other deviation is one error, `name:line:col: reason`
// (bad_input), and nothing is returned.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "stackfit/model/usage_series.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

// Feed chunks as they arrive (lines may span chunks), then finish().
class UsageCsvParser {
 public:
  // `name` prefixes errors (the path, or "<stdin>").
  explicit UsageCsvParser(std::string name, std::size_t max_line_bytes = 65536);
  [[nodiscard]] Expected<void> feed(std::string_view chunk);
  // The series read; errors when the input had no header or a cut last line
  // was malformed.
  [[nodiscard]] Expected<UsageSeriesSet> finish();

 private:
  Expected<void> line(std::string_view text);
  Expected<void> header(std::string_view text);
  Expected<void> row(std::string_view text);
  Error error_at(std::size_t column, const std::string& reason) const;

  std::string m_name;
  std::size_t m_max_line;
  std::string m_partial;        // a line cut by the chunk boundary
  std::size_t m_line = 0;       // 1-based number of the line being parsed
  std::size_t m_columns = 0;    // 0 until the header is read
  UsageSeriesSet m_series;
  std::vector<std::size_t> m_last_line;  // per series, the line of its last row
};

// Reads `path` ("-": standard input) in 1 MiB chunks.
[[nodiscard]] Expected<UsageSeriesSet> read_usage_csv(const std::string& path);

}  // namespace stackfit
