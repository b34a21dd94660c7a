// `stackfit plan --startup` (cli/plan_command.cpp parses the flags): start-up
// waves from depends_on, health checks and, with --db, recorded start-up
// peaks, times to healthy and the health checks the containers ran; the schedule as table/markdown/JSON/CSV and, with
// --write, a Compose override that makes Compose start the waves in order.
#include "stackfit/cli/plan_startup.hpp"

#include <filesystem>
#include <limits>
#include <map>

#include "stackfit/analyze/startup_profile.hpp"
#include "stackfit/cli/command.hpp"
#include "stackfit/cli/stack_input.hpp"
#include "stackfit/emit/compose_override_writer.hpp"
#include "stackfit/emit/startup_report.hpp"
#include "stackfit/plan/machine_catalog.hpp"
#include "stackfit/plan/startup_waves.hpp"
#include "stackfit/record/history_store.hpp"
#include "stackfit/record/two_pass_scan.hpp"
#include "stackfit/store/sample_store.hpp"
#include "stackfit/util/duration.hpp"
#include "stackfit/util/file_io.hpp"

namespace stackfit::cli {
namespace {

// What the store says about the services of `project`: measured start-up
// figures, and health (the recorded health check of each service's most
// recently seen container, the time to healthy over its starts).
struct FromStore {
  std::map<std::string, MeasuredStartup> startup;
  std::map<std::string, RecordedHealth> health;
};

Expected<FromStore> measure_from_store(const std::string& path, const std::string& project, std::int64_t window_ms) {
  auto store = open_history_store(path);
  TRY(store);
  constexpr std::int64_t k_all_from = 0;
  constexpr std::int64_t k_all_to = std::numeric_limits<std::int64_t>::max();
  auto starts = store->load_starts(k_all_from, k_all_to);
  TRY(starts);
  auto health = store->load_health(k_all_from, k_all_to);
  TRY(health);
  auto containers = store->load_containers();
  TRY(containers);
  const std::vector<ContainerStart>& all_starts = *starts;
  const std::vector<HealthEvent>& all_health = *health;
  // Two scans of the whole history, holding only start-up windows and a
  // percentile's buckets per service of the project (not every sample).
  ContainerStartIndex start_index(all_starts);
  std::map<std::string, StartupProfileBuilder> builders;
  auto scanned = scan_twice<StartupProfileBuilder>(
      *store, k_all_from, k_all_to, [&](const SampleStore::ServiceSeries& s) -> StartupProfileBuilder* {
        if (s.project != project) return nullptr;
        return &builders.try_emplace(s.service, start_index, window_ms).first->second;
      });
  TRY(scanned);
  FromStore out;
  for (const auto& [service, builder] : builders) {
    if (auto m = builder.finish()) out.startup[service] = *m;
  }
  // Per service: its containers, and the newest one's health check.
  std::map<std::string, std::vector<std::int64_t>> keys_of;
  std::map<std::string, const SampleStore::ContainerRow*> newest;
  for (const SampleStore::ContainerRow& c : *containers) {
    if (c.project != project) continue;
    keys_of[c.service].push_back(c.key);
    const SampleStore::ContainerRow*& n = newest[c.service];
    if (n == nullptr || c.last_seen_ns >= n->last_seen_ns) n = &c;
  }
  for (const auto& [service, keys] : keys_of) {
    RecordedHealth h;
    h.healthcheck = newest[service]->healthcheck;
    h.time_to_healthy = measure_time_to_healthy(keys, all_starts, all_health);
    if (h.healthcheck || h.time_to_healthy) out.health[service] = std::move(h);
  }
  return out;
}

// Writes the override through the writer `apply` uses. Never over one of
// the stack's own files; an existing file only with --force.
Expected<void> write_override(const Stack& stack, const std::vector<StartupOverride>& startup, const std::string& path,
                              bool force) {
  if (stack.kind != StackKind::compose) {
    return make_error(ErrorCode::usage, "--write: start-up overrides are Compose files; this stack is Kubernetes");
  }
  if (auto ok = refuse_stack_file(stack, path, "write the override elsewhere"); !ok) return ok;
  std::vector<ServiceOverride> overrides;
  for (const StartupOverride& o : startup) {
    ServiceOverride s;
    s.target.service = o.service;
    s.target.kind = "service";
    s.depends_on = o.depends_on;
    s.healthcheck = o.healthcheck;
    overrides.push_back(std::move(s));
  }
  ComposeOverrideOptions options;
  options.header_comment =
      "Staged start-up written by `stackfit plan --startup` (docs/startup.md).\n"
      "Use: docker compose -f <your files> -f " +
      path + " up -d";
  auto text = render_compose_override(stack, overrides, options);
  TRY(text);
  return write_file_atomic(path, *text, force ? Overwrite::yes : Overwrite::no);
}

}  // namespace

Expected<StartupPlan> recorded_startup_waves(const Stack& stack, const std::optional<Budget>& target,
                                             const std::string& db, std::int64_t window_ms) {
  auto measured = measure_from_store(db, stack.name, window_ms);
  if (!measured) return tl::unexpected(measured.error());
  std::optional<Bytes> budget;
  if (target) budget = target->available();
  return plan_startup(startup_services(stack, measured->startup, measured->health), budget);
}

Expected<int> run_plan_startup(const Stack& stack, const std::optional<Budget>& target, const StartupRequest& request) {
  auto window_ms = parse_duration_ms(request.window);
  if (!window_ms) return make_error(ErrorCode::usage, "--startup-window: " + window_ms.error().message);
  if (*window_ms <= 0) return make_error(ErrorCode::usage, "--startup-window: must be positive");
  StartupReport report;
  report.target = target;
  report.window_ms = *window_ms;
  FromStore measured;
  if (!request.db.empty()) {
    auto m = measure_from_store(request.db, stack.name, *window_ms);
    TRY(m);
    measured = std::move(*m);
    std::size_t timed = 0;
    for (const auto& [service, h] : measured.health) timed += h.time_to_healthy ? 1 : 0;
    report.history = request.db + " (" + std::to_string(measured.startup.size()) + " of " +
                     std::to_string(stack.services.size()) + " services with recorded starts, " +
                     std::to_string(timed) + " with a measured time to healthy)";
  }
  std::optional<Bytes> budget;
  if (target) budget = target->available();
  auto plan = plan_startup(startup_services(stack, measured.startup, measured.health), budget);
  TRY(plan);
  report.plan = std::move(*plan);
  report.overrides = startup_overrides(report.plan);
  if (!request.write.empty()) {
    if (auto ok = write_override(stack, report.overrides, request.write, request.force); !ok) {
      return tl::unexpected(ok.error());
    }
    report.written_file = request.write;
  }
  if (!write_stdout(render_startup(report, request.format))) return make_error(ErrorCode::io, "stdout: write failed");
  return report.plan.fits ? 0 : 1;
}

}  // namespace stackfit::cli
