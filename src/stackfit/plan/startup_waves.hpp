// Staged start-up: which services start together (waves), so that
// dependencies come first and no wave's start-up peaks, on top of what is
// already running, exceed the memory budget. Also the health-check timings
// that keep the checks of one wave from firing together, and the
// dependency chain that makes Compose start the waves in order.
// Only computes; emit/startup_report presents. docs/startup.md explains the
// rules in prose.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stackfit/analyze/startup_profile.hpp"
#include "stackfit/model/quantity.hpp"
#include "stackfit/model/stack.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

// Where a service's start-up figures come from.
enum class StartupSource {
  measured,  // recorded: max working set after observed container starts
  limit,     // no history: the declared memory limit
  request,   // no history, no limit: the declared memory request
  none,      // nothing declared, nothing recorded: counts as 0 B
};
[[nodiscard]] const char* to_string(StartupSource s);

// One service as the scheduler sees it. Memory figures are per replica.
struct StartupService {
  std::string name;
  SourceLocation declared_at;
  std::int64_t replicas = 1;
  Bytes startup_peak;
  Bytes steady;
  StartupSource source = StartupSource::none;
  std::optional<std::int64_t> settle_ms;
  std::int64_t starts_observed = 0;
  std::vector<std::string> depends_on;  // services of the stack it depends on (any condition)
  std::optional<Healthcheck> healthcheck;  // as declared
  // The health check the recorded container ran (inspect: Config.Healthcheck),
  // kept only when the Compose files declare none: a HEALTHCHECK of the image.
  std::optional<Healthcheck> recorded_healthcheck;
  std::string recorded_test;               // its test, as the engine reported it (JSON array)
  std::optional<std::int64_t> healthy_ms;  // measured time to healthy: longest over the recorded starts
  std::int64_t healthy_starts = 0;         // recorded starts that turned healthy
  std::size_t level = 0;                   // topological level: 0 = depends on nothing

  // A health check that runs: declared and not disabled, or, with none
  // declared, the recorded container's (one that only the image defines).
  [[nodiscard]] bool has_healthcheck() const {
    return healthcheck ? !healthcheck->disabled : recorded_healthcheck.has_value();
  }
  // The timings that run: the declared check, else the recorded one; null when none.
  [[nodiscard]] const Healthcheck* running_healthcheck() const {
    if (healthcheck) return healthcheck->disabled ? nullptr : &*healthcheck;
    return recorded_healthcheck ? &*recorded_healthcheck : nullptr;
  }
  [[nodiscard]] Bytes total_peak() const { return saturating_mul(startup_peak, replicas); }
  [[nodiscard]] Bytes total_steady() const { return saturating_mul(steady, replicas); }
};

// What a recording says about a service's health (cli/plan_startup reads it
// from the store): the health check of its most recently seen container and
// the measured time to healthy.
struct RecordedHealth {
  std::optional<RecordedHealthcheck> healthcheck;
  std::optional<MeasuredHealthy> time_to_healthy;
};

// The scheduler's input for every service of `stack`, in declaration order.
// `health` (by service name) adds the measured time to healthy and, for a
// service whose Compose files declare no health check, the recorded one.
// `measured` (by service name) replaces the declared figures where present;
// without it a service's start-up peak is its memory limit (else its request)
// and its steady usage its request (else its limit): a request is what a
// service is expected to use once running, a limit what it may reach.
// Kubernetes DaemonSets count one replica (one machine).
[[nodiscard]] std::vector<StartupService> startup_services(const Stack& stack,
                                                           const std::map<std::string, MeasuredStartup>& measured,
                                                           const std::map<std::string, RecordedHealth>& health = {});

inline constexpr std::size_t k_still_at_peak_names = 100;

struct StartupWave {
  std::vector<std::size_t> services;  // indexes into StartupPlan::services, in placement order
  Bytes own_peak;       // sum of this wave's start-up peaks x replicas
  Bytes running;        // what the services started in earlier waves count for meanwhile
  Bytes expected_peak;  // own_peak + running: the stack's total while this wave starts
  Bytes cumulative_steady;  // steady usage of every service started up to and including this wave
  // Earlier services counted at their peak (no health-gated wait since they
  // started): how many, and the first k_still_at_peak_names of them.
  std::size_t still_at_peak_count = 0;
  std::vector<std::size_t> still_at_peak;
  std::optional<std::int64_t> settle_ms;   // longest measured settle time in the wave
  // Longest measured time to healthy among the wave's health-checked
  // services: how long the next wave is expected to wait for this one.
  std::optional<std::int64_t> healthy_ms;
  bool fits = true;                        // expected_peak <= budget (always true without budget)
};

struct StartupPlan {
  std::vector<StartupService> services;  // declaration order
  std::vector<StartupWave> waves;
  std::vector<std::size_t> wave_of;      // per service: index into waves
  std::optional<Bytes> budget;           // memory available to the stack
  Bytes all_at_once_peak;                // every service's start-up peak at once
  Bytes steady_total;                    // every service at steady usage
  bool fits = true;                      // every wave fits the budget
  std::vector<std::string> oversized;    // services whose own start-up peak exceeds the budget
  std::vector<std::string> notes;        // one line each: what the user should know
};

// Computes the waves. Errors: bad_input "file:line:col: depends_on cycle:
// a → b → c → a" naming the first service of the cycle in declaration order.
// Rules (docs/startup.md):
//  - a service goes in a wave after every wave holding one of its dependencies;
//  - services are placed by topological level, larger start-up peak first,
//    into the earliest wave where, counting what already runs, every wave
//    still fits the budget (first fit); else into a new wave at the end;
//  - while wave j starts, a service of an earlier wave i counts at its steady
//    usage if its start was followed by a health-gated wait: its own health
//    check (wave i+1 waits for it), or, without one, a health-checked service
//    in some wave m with i < m < j. Otherwise it still counts at its peak.
[[nodiscard]] Expected<StartupPlan> plan_startup(std::vector<StartupService> services, std::optional<Bytes> budget);

// The same cycle check on a whole stack (plan's inference and --keep follow
// depends_on): bad_input "file:line:col: depends_on cycle: a → b → a".
[[nodiscard]] Expected<void> check_depends_on_acyclic(const Stack& stack);

// What the Compose override must say about one service.
struct StartupOverride {
  std::string service;
  std::vector<Dependency> depends_on;      // on the previous wave (empty for wave 1)
  std::optional<Healthcheck> healthcheck;  // timings changed by staggering (absent = unchanged)
};

// Docker's defaults where a health check leaves a timing out.
inline constexpr std::int64_t k_default_healthcheck_interval_ms = 30'000;
inline constexpr std::int64_t k_stagger_step_min_ms = 100;

// The override entries, one per service that gets a dependency or new
// health-check timings, in declaration order:
//  - a service of wave k > 1 depends on the health-checked services of wave
//    k-1 (service_healthy); on all of them (service_started) where none has one;
//  - staggering: the i-th (0-based) health-checked service of a wave with n of
//    them gets interval I + i*s and start_period P + i*s, where I is its
//    interval (default 30 s), s = max(100 ms, I / (2n)) rounded down to 100 ms,
//    and P its start_period raised to the measured settle time rounded up to
//    the second. Their first checks then land s apart, and adjacent checks
//    drift back together only after 2n intervals;
//  - P is also raised to the measured time to healthy rounded up to the
//    second, so failing checks before the service is ready never count;
//  - a service whose only health check is the recorded one (the image's)
//    gets timings too: Docker fills the test and the unset timings from the image.
[[nodiscard]] std::vector<StartupOverride> startup_overrides(const StartupPlan& plan);

}  // namespace stackfit
