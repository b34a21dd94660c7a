// doctor's checks of what happened: kernel OOM kills, the engine's own OOM
// state, restart loops, and the data root's disk. run_doctor_checks
// (doctor_checks.hpp) calls them in its order; thresholds in docs/doctor.md.
#pragma once

#include <vector>

#include "stackfit/analyze/doctor_checks.hpp"

namespace stackfit {

// fail with the victims named when the log holds kills; warn when it cannot be read.
[[nodiscard]] DoctorCheck oom_kills_check(const KernelLogFacts& log);
// fail naming the containers whose State.OOMKilled is set.
[[nodiscard]] DoctorCheck engine_oom_check(const std::vector<ContainerLifecycle>& containers);
// fail naming containers restarting now or restarted k_restart_loop_count times or more.
[[nodiscard]] DoctorCheck restart_loops_check(const std::vector<ContainerLifecycle>& containers);
// Free space of the data root: fail below 1 GiB or 5 %, warn below 5 GiB or 10 %.
[[nodiscard]] DoctorCheck disk_check(const DoctorInput& in);

}  // namespace stackfit
