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
  std::string id;       // engine-memory, stack-fit, memory-limits, cgroup, swap, overcommit, oom-kills, engine-oom, restart-loops, recorded-*, disk, engine-warnings
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

// One service as a recording (`record`, the store of --db) saw it in
// doctor's --since window (analyze/doctor_history_checks).
struct RecordedService {
  std::string project;
  std::string service;
  std::int64_t oom_kills = 0;              // all of them (the store's rule: events or counter, the larger)
  std::vector<std::int64_t> oom_kill_ns;   // the first k_max_timeline_markers, earliest first
  std::int64_t restarts = 0;               // later starts of a container
  std::vector<std::int64_t> restart_ns;    // same bound
  std::optional<Bytes> peak_working_set;   // the largest reading of one container
  std::optional<Bytes> memory_limit;       // the largest declared while recorded
};

// What the store says about the stack over the window. The stack's total is
// the peak of the summed working set: per bucket of `bucket_ns`, each
// service's largest reading summed (so at most one bucket's variation above
// the exact instant sum, and never above `sum_of_peaks`).
struct RecordedHistory {
  std::string db_path;
  std::string since_text;  // "24h", as the user gave --since
  std::string project;     // the Compose project read (the stack's), "" = every one
  std::vector<std::string> recorded_projects;  // every project with samples in the window, before that filter
  std::vector<RecordedService> services;  // by project, then service
  std::optional<Bytes> stack_peak;        // nullopt: no working-set reading in the window
  std::int64_t stack_peak_ns = 0;         // start of the bucket it was in
  std::int64_t bucket_ns = 0;
  Bytes sum_of_peaks;                     // each service's peak, summed (the coarser bound)
};

struct DoctorInput {
  EngineFacts engine;
  HostFacts host;
  std::optional<DiskFacts> disk;  // nullopt: the data root is not on this host
  Bytes reclaimable;              // what `cleanup` (dry run) would remove
  std::optional<StackCommitment> stack;
  KernelLogFacts kernel_log;
  std::vector<ContainerLifecycle> containers;
  std::optional<RecordedHistory> history;  // nullopt: no --db and no default store
};

// Restart counts at or above this are a loop.
inline constexpr std::int64_t k_restart_loop_count = 3;

// Where the engine runs: markers of Docker Desktop (OperatingSystem "Docker
// Desktop", a "linuxkit" kernel), WSL2 (a "microsoft-standard-WSL2" kernel),
// colima (Name "colima" or "colima-*"); else a VM when the engine's kernel
// is not this host's (Podman: podman machine), else native.
[[nodiscard]] EnginePlatform classify_platform(const EngineFacts& engine, const HostFacts& host);

// Every check in a fixed order (docs/doctor.md); stack-fit only with a stack,
// the recorded-* checks only with a store,
// overcommit only when the setting could be read, engine-warnings only when
// the engine has some.
[[nodiscard]] std::vector<DoctorCheck> run_doctor_checks(const DoctorInput& input);

// 1 when any check failed, else 0.
[[nodiscard]] int doctor_exit_code(const std::vector<DoctorCheck>& checks);

}  // namespace stackfit
