#include "stackfit/emit/output_format.hpp"

#include <string>

namespace stackfit {

Expected<OutputFormat> parse_output_format(std::string_view text) {
  if (text == "table") return OutputFormat::table;
  if (text == "markdown" || text == "md") return OutputFormat::markdown;
  if (text == "json") return OutputFormat::json;
  if (text == "csv") return OutputFormat::csv;
  return make_error(ErrorCode::usage,
                    "--format: unknown format \"" + std::string(text) + "\" (table, markdown, json, csv)");
}

}  // namespace stackfit
