#include "stackfit/util/text_table.hpp"

#include <algorithm>

namespace stackfit {

std::size_t display_width(const std::string& text) {
  std::size_t width = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++width;
  }
  return width;
}

TextTable::TextTable(std::vector<std::string> headers, std::vector<Align> aligns)
    : m_headers(std::move(headers)), m_aligns(std::move(aligns)) {
  m_aligns.resize(m_headers.size(), Align::left);
}

void TextTable::add_row(std::vector<std::string> cells) {
  cells.resize(m_headers.size());
  m_rows.push_back(std::move(cells));
}

void TextTable::add_separator() { m_rows.emplace_back(); }

std::string TextTable::to_text() const {
  std::vector<std::size_t> widths(m_headers.size());
  for (std::size_t i = 0; i < m_headers.size(); ++i) widths[i] = display_width(m_headers[i]);
  for (const auto& row : m_rows) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], display_width(row[i]));
  }
  auto emit_row = [&](const std::vector<std::string>& row, std::string& out) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      std::size_t pad = widths[i] - display_width(row[i]);
      bool last = i + 1 == row.size();
      if (m_aligns[i] == Align::right) line.append(pad, ' ');
      line += row[i];
      if (m_aligns[i] == Align::left && !last) line.append(pad, ' ');
      if (!last) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line;
    out += '\n';
  };
  std::size_t total = 0;
  for (std::size_t w : widths) total += w;
  total += widths.empty() ? 0 : 2 * (widths.size() - 1);
  std::string rule(total, '-');
  std::string out;
  emit_row(m_headers, out);
  out += rule + '\n';
  for (const auto& row : m_rows) {
    if (row.empty()) {
      out += rule + '\n';
    } else {
      emit_row(row, out);
    }
  }
  return out;
}

std::string TextTable::to_markdown() const {
  auto escape = [](const std::string& cell) {
    std::string out;
    for (char c : cell) {
      if (c == '|') out += '\\';
      out += c;
    }
    return out;
  };
  std::string out = "|";
  for (const auto& h : m_headers) out += " " + escape(h) + " |";
  out += "\n|";
  for (Align a : m_aligns) out += a == Align::right ? " ---: |" : " --- |";
  out += '\n';
  for (const auto& row : m_rows) {
    if (row.empty()) continue;
    out += "|";
    for (const auto& cell : row) out += " " + escape(cell) + " |";
    out += '\n';
  }
  return out;
}

std::string TextTable::to_csv() const {
  auto quote = [](const std::string& cell) {
    if (cell.find_first_of(",\"\n\r") == std::string::npos) return cell;
    std::string out = "\"";
    for (char c : cell) {
      if (c == '"') out += '"';
      out += c;
    }
    return out + "\"";
  };
  auto emit = [&](const std::vector<std::string>& row, std::string& out) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) out += ',';
      out += quote(row[i]);
    }
    out += "\r\n";
  };
  std::string out;
  emit(m_headers, out);
  for (const auto& row : m_rows) {
    if (!row.empty()) emit(row, out);
  }
  return out;
}

}  // namespace stackfit
