#include "stackfit/util/source_location.hpp"

namespace stackfit {

const std::string& SourceLocation::file_name() const {
  static const std::string k_unknown = "<input>";
  return file ? *file : k_unknown;
}

std::string SourceLocation::to_string() const {
  std::string out = file_name();
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  return out;
}

}  // namespace stackfit
