// `stackfit verify` output: the running containers against the Compose
// files. JSON twin documented in docs/verify-json.md.
#pragma once

#include <string>

#include "stackfit/analyze/stack_verify.hpp"
#include "stackfit/emit/output_format.hpp"

namespace stackfit {

inline constexpr int k_verify_schema_version = 1;

[[nodiscard]] std::string render_verify(const VerifyOutcome& outcome, OutputFormat format);

}  // namespace stackfit
