// The output formats every report offers: a human table and machine twins.
#pragma once

#include <string_view>

#include "stackfit/util/error.hpp"

namespace stackfit {

enum class OutputFormat { table, markdown, json, csv };

// "table" | "markdown" | "json" | "csv"; anything else is a usage error.
[[nodiscard]] Expected<OutputFormat> parse_output_format(std::string_view text);

}  // namespace stackfit
