// `stackfit plan --startup` (cli/plan_command.cpp parses the flags): start-up
// waves from depends_on, health checks and, with --db, recorded start-up
// peaks; the schedule as table/markdown/JSON/CSV and, with --write, a Compose
// override that makes Compose start the waves in order.
#include "stackfit/cli/plan_startup.hpp"

#include <filesystem>
#include <limits>
#include <map>

#include "stackfit/analyze/startup_profile.hpp"
#include "stackfit/cli/command.hpp"
#include "stackfit/emit/compose_override_writer.hpp"
#include "stackfit/emit/startup_report.hpp"
#include "stackfit/plan/machine_catalog.hpp"
#include "stackfit/plan/startup_waves.hpp"
#include "stackfit/store/sample_store.hpp"
#include "stackfit/util/duration.hpp"
#include "stackfit/util/file_io.hpp"

namespace stackfit::cli {
namespace {

// Measured start-up of every service of `project` recorded in the store.
Expected<std::map<std::string, MeasuredStartup>> measure_from_store(const std::string& path, const std::string& project,
                                                                    std::int64_t window_ms) {
  if (!file_exists(path))
    return make_error(ErrorCode::not_found, path + ": no such store (record one with `stackfit record --db`)");
  auto store = SampleStore::open(path);
  if (!store) return tl::unexpected(store.error());
  constexpr std::int64_t k_all_from = 0;
  constexpr std::int64_t k_all_to = std::numeric_limits<std::int64_t>::max();
  auto series = store->load_series(k_all_from, k_all_to);
  if (!series) return tl::unexpected(series.error());
  auto starts = store->load_starts(k_all_from, k_all_to);
  if (!starts) return tl::unexpected(starts.error());
  std::vector<ContainerStart> all_starts;
  for (const SampleStore::StartRow& s : *starts) all_starts.push_back(ContainerStart{s.container_key, s.time_ns});
  std::map<std::string, MeasuredStartup> out;
  for (const SampleStore::ServiceSeries& s : *series) {
    if (s.project != project) continue;
    if (auto m = measure_startup(s.samples, s.container_keys, all_starts, window_ms)) out[s.service] = *m;
  }
  return out;
}

// Whether two paths name the same file (the second may not exist yet).
bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  if (std::filesystem::equivalent(a, b, ec) && !ec) return true;
  auto ca = std::filesystem::weakly_canonical(a, ec);
  if (ec) return false;
  auto cb = std::filesystem::weakly_canonical(b, ec);
  return !ec && ca == cb;
}

// Writes the override through the writer `apply` uses. Never over one of
// the stack's own files; an existing file only with --force.
Expected<void> write_override(const Stack& stack, const std::vector<StartupOverride>& startup, const std::string& path,
                              bool force) {
  if (stack.kind != StackKind::compose) {
    return make_error(ErrorCode::usage, "--write: start-up overrides are Compose files; this stack is Kubernetes");
  }
  for (const std::string& own : stack.source_files) {
    if (same_file(own, path)) {
      return make_error(ErrorCode::usage, path + ": is one of the stack's own files; write the override elsewhere");
    }
  }
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
  if (!text) return tl::unexpected(text.error());
  return write_file_atomic(path, *text, force ? Overwrite::yes : Overwrite::no);
}

}  // namespace

Expected<int> run_plan_startup(const Stack& stack, const std::optional<Budget>& target, const StartupRequest& request) {
  auto window_ms = parse_duration_ms(request.window);
  if (!window_ms) return make_error(ErrorCode::usage, "--startup-window: " + window_ms.error().message);
  if (*window_ms <= 0) return make_error(ErrorCode::usage, "--startup-window: must be positive");
  StartupReport report;
  report.target = target;
  report.window_ms = *window_ms;
  std::map<std::string, MeasuredStartup> measured;
  if (!request.db.empty()) {
    auto m = measure_from_store(request.db, stack.name, *window_ms);
    if (!m) return tl::unexpected(m.error());
    measured = std::move(*m);
    report.history = request.db + " (" + std::to_string(measured.size()) + " of " +
                     std::to_string(stack.services.size()) + " services with recorded starts)";
  }
  std::optional<Bytes> budget;
  if (target) budget = target->available();
  auto plan = plan_startup(startup_services(stack, measured), budget);
  if (!plan) return tl::unexpected(plan.error());
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
