// Error values for expected failures. Nothing in stackfit throws across a
// module boundary: functions that can fail on bad input or a failing OS call
// return Expected<T>, and only cli/main maps an Error to an exit code.
#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace stackfit {

// What kind of failure; decides the process exit code (see docs/exit-codes.md).
enum class ErrorCode {
  usage,        // bad command line                              -> exit 2
  bad_input,    // a file or stream the user gave is malformed    -> exit 2
  not_found,    // a file, machine or object the user named is absent -> exit 2
  io,           // reading or writing failed (permissions, disk)  -> exit 3
  unavailable,  // a socket, daemon or server could not be used   -> exit 3
  internal,     // a bug in stackfit                              -> exit 70
};

// One failure: a code and one line of text that already carries its context,
// e.g. "compose.yml:12:16: mem_limit: invalid byte value \"12x\"".
struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
};

template <class T>
using Expected = tl::expected<T, Error>;

[[nodiscard]] inline tl::unexpected<Error> make_error(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

// Returns the error of `expected_` (an Expected of any value type) from the
// enclosing function, which returns an Expected; `expected_` is evaluated
// once and, bound to a reference, never copied. Its value, if any, is not
// kept: name it first (`auto x = f(); TRY(x);`) to use it after. As ccache's
// TRY (ccache/ccache, src/ccache/util/expected.hpp).
#define TRY(expected_)                                                                 \
  do {                                                                                 \
    const auto& stackfit_try_result_ = (expected_);                                    \
    if (!stackfit_try_result_) return tl::unexpected(stackfit_try_result_.error());    \
  } while (false)

// Exit code documented for each ErrorCode.
[[nodiscard]] int exit_code_for(ErrorCode code) noexcept;

}  // namespace stackfit
