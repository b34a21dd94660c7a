// One result of a sizing rule, for `check` and its JSON twin.
#pragma once

#include <string>

#include "stackfit/util/source_location.hpp"

namespace stackfit {

enum class Severity { info, warning, failure };
[[nodiscard]] const char* to_string(Severity s);

struct Finding {
  std::string rule_id;   // stable id, e.g. "memory-limit-missing"
  Severity severity = Severity::warning;
  std::string service;   // "" for stack-wide findings
  std::string message;   // one line, no trailing period
  SourceLocation where;  // the service's declaration when known
};

}  // namespace stackfit
