// Where a value came from in an input file, for error messages and `inspect`.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace stackfit {

// A position in a named input. Line and column are 1-based; 0 means unknown.
// The file name is shared by every location of one file.
struct SourceLocation {
  std::shared_ptr<const std::string> file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;

  // "file:line:col", "file:line", "file" or "<input>" depending on what is known.
  [[nodiscard]] std::string to_string() const;
  [[nodiscard]] const std::string& file_name() const;
};

}  // namespace stackfit
