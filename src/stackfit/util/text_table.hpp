// Plain-text, Markdown and CSV tables for human output. Only presents: the
// caller decides the cells.
#pragma once

#include <string>
#include <vector>

namespace stackfit {

enum class Align { left, right };

class TextTable {
 public:
  // Column headers and their alignment; every row must have as many cells.
  TextTable(std::vector<std::string> headers, std::vector<Align> aligns);

  void add_row(std::vector<std::string> cells);
  // A horizontal rule before the next row (ignored in Markdown and CSV).
  void add_separator();

  // Aligned columns separated by two spaces, a dashed rule under the header.
  [[nodiscard]] std::string to_text() const;
  // GitHub-flavoured Markdown table; '|' in cells is escaped.
  [[nodiscard]] std::string to_markdown() const;
  // RFC 4180 CSV (quotes where needed), header first.
  [[nodiscard]] std::string to_csv() const;

 private:
  std::vector<std::string> m_headers;
  std::vector<Align> m_aligns;
  std::vector<std::vector<std::string>> m_rows;  // an empty row is a separator
};

// Display width of UTF-8 text, counting code points (no wide-char tables).
[[nodiscard]] std::size_t display_width(const std::string& text);

}  // namespace stackfit
