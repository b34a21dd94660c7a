#include "stackfit/analyze/finding.hpp"

namespace stackfit {

const char* to_string(Severity s) {
  switch (s) {
    case Severity::info: return "info";
    case Severity::warning: return "warning";
    case Severity::failure: return "failure";
  }
  return "warning";
}

}  // namespace stackfit
