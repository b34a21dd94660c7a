// `stackfit doctor` output: the checks, then the OOM kills. JSON twin
// documented in docs/doctor-json.md.
#pragma once

#include <string>
#include <vector>

#include "stackfit/analyze/doctor_checks.hpp"
#include "stackfit/emit/output_format.hpp"

namespace stackfit {

inline constexpr int k_doctor_schema_version = 1;

struct DoctorReport {
  std::string socket;
  DoctorInput input;  // the facts the checks were made from
  std::vector<DoctorCheck> checks;
};

[[nodiscard]] std::string render_doctor(const DoctorReport& report, OutputFormat format);

}  // namespace stackfit
