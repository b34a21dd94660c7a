#include "stackfit/util/error.hpp"

namespace stackfit {

int exit_code_for(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::usage:
    case ErrorCode::bad_input:
    case ErrorCode::not_found:
      return 2;
    case ErrorCode::io:
    case ErrorCode::unavailable:
      return 3;
    case ErrorCode::internal:
      return 70;
  }
  return 70;
}

}  // namespace stackfit
