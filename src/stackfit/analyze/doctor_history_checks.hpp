// doctor's checks of what a recording saw (`doctor --db`, else the default
// store): OOM kills and restarts per service with their times, recorded
// peaks near or over the declared limit, and the stack's recorded total
// against the engine's memory. Pure; run_doctor_checks (doctor_checks.hpp)
// calls them after restart-loops; thresholds and wording in docs/doctor.md.
#pragma once

#include "stackfit/analyze/doctor_checks.hpp"

namespace stackfit {

// A recorded peak this close to the limit (or over it), as a share of the limit.
inline constexpr int k_headroom_fail_percent = 5;
inline constexpr int k_headroom_warn_percent = 20;

// fail naming each service with recorded kills and when they happened.
[[nodiscard]] DoctorCheck recorded_oom_kills_check(const RecordedHistory& history);
// warn naming services that restarted; fail when one restarted k_restart_loop_count times or more.
[[nodiscard]] DoctorCheck recorded_restarts_check(const RecordedHistory& history);
// fail when a service's peak left less than k_headroom_fail_percent of its
// limit, warn below k_headroom_warn_percent; names each with its margin.
[[nodiscard]] DoctorCheck recorded_headroom_check(const RecordedHistory& history);
// The stack's recorded peak (of the summed working set) against the
// engine's MemTotal: fail above it, warn above 90 % (as stack-fit).
[[nodiscard]] DoctorCheck recorded_stack_fit_check(const RecordedHistory& history, Bytes engine_memory);

}  // namespace stackfit
