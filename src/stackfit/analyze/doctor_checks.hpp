// `stackfit doctor`'s verdicts: facts about the engine, the host and the
// kernel log (observe/) turned into checks, each ok / warn / fail with a
// one-line message and the fix. Pure: no I/O. docs/doctor.md lists every
// check, its thresholds and its wording.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stackfit/model/host_facts.hpp"

namespace stackfit {

enum class CheckStatus { ok, warn, fail };
[[nodiscard]] const char* to_string(CheckStatus status);

struct DoctorCheck {
  std::string id;       // engine-memory, stack-fit, memory-limits, cgroup, swap, overcommit, oom-kills, engine-oom, restart-loops, disk, engine-warnings
  CheckStatus status = CheckStatus::ok;
  std::string message;  // one line
  std::string fix;      // one line; "" when there is nothing to do
};

// The stack's memory when stack flags were given (plan/budget_fit's totals).
struct StackCommitment {
  std::string name;
  Bytes committed;                     // limits where set, else requests, x replicas
  std::vector<std::string> unbounded;  // services with neither
};

// One container's lifecycle as the engine reports it (GET /containers/{id}/json).
struct ContainerLifecycle {
  std::string name;
  std::string state;               // running, restarting, exited, ...
  std::int64_t restart_count = 0;  // RestartCount
  bool oom_killed = false;         // State.OOMKilled
};

struct KernelLogFacts {
  bool readable = false;
  std::string source;   // "/dev/kmsg", "journalctl -k", "dmesg", a file
  std::string problem;  // why not readable
  std::vector<OomKill> kills;  // attributed, since `since_text`
  std::string since_text;      // "24h", as the user gave --since
};

struct DoctorInput {
  EngineFacts engine;
  HostFacts host;
  std::optional<DiskFacts> disk;  // nullopt: the data root is not on this host
  Bytes reclaimable;              // what `cleanup` (dry run) would remove
  std::optional<StackCommitment> stack;
  KernelLogFacts kernel_log;
  std::vector<ContainerLifecycle> containers;
};

// Restart counts at or above this are a loop.
inline constexpr std::int64_t k_restart_loop_count = 3;

// Where the engine runs: markers of Docker Desktop (OperatingSystem "Docker
// Desktop", a "linuxkit" kernel), WSL2 (a "microsoft-standard-WSL2" kernel),
// colima (Name "colima" or "colima-*"); else a VM when the engine's kernel
// is not this host's (Podman: podman machine), else native.
[[nodiscard]] EnginePlatform classify_platform(const EngineFacts& engine, const HostFacts& host);

// Every check in a fixed order (docs/doctor.md); stack-fit only with a stack,
// overcommit only when the setting could be read, engine-warnings only when
// the engine has some.
[[nodiscard]] std::vector<DoctorCheck> run_doctor_checks(const DoctorInput& input);

// 1 when any check failed, else 0.
[[nodiscard]] int doctor_exit_code(const std::vector<DoctorCheck>& checks);

}  // namespace stackfit
