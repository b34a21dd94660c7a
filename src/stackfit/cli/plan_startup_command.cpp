// `stackfit plan-startup` (to become `plan --startup`): start-up waves from
// depends_on, health checks and, with --db, recorded start-up peaks; the
// schedule as table/markdown/JSON and, with --write, a Compose override that
// makes Compose start the waves in order. Exit 0 when the staged start-up
// fits the budget (or no budget was given), 1 when it does not, 2 on bad
// input (a depends_on cycle among them), 3 when the store cannot be read.
#include <filesystem>
#include <limits>
#include <map>

#include "stackfit/analyze/startup_profile.hpp"
#include "stackfit/cli/commands.hpp"
#include "stackfit/cli/stack_input.hpp"
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
Expected<std::map<std::string, MeasuredStartup>> measure_from_store(const std::string& path,
                                                                    const std::string& project,
                                                                    std::int64_t window_ms) {
  if (!file_exists(path)) return make_error(ErrorCode::not_found, path + ": no such store (record one with `stackfit record --db`)");
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
Expected<void> write_override(const Stack& stack, const std::vector<StartupOverride>& startup,
                              const std::string& path, bool force) {
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
  options.header_comment = "Staged start-up written by `stackfit plan-startup` (docs/startup.md).\n"
                           "Use: docker compose -f <your files> -f " + path + " up -d";
  auto text = render_compose_override(stack, overrides, options);
  if (!text) return tl::unexpected(text.error());
  return write_file_atomic(path, *text, force ? Overwrite::yes : Overwrite::no);
}

class PlanStartupCommand final : public Command {
 public:
  void configure(CLI::App& app) override {
    m_input.add_flags(app);
    auto* budget = app.add_option("--budget", m_budget, "Memory the stack must start in (1Gi, 512Mi, 1g)")
                       ->type_name("SIZE");
    auto* machine = app.add_option("--machine", m_machine, "Machine from the catalog (see `stackfit machines`)")
                        ->type_name("NAME");
    budget->excludes(machine);
    app.add_option("--reserve", m_reserve, "Memory kept by OS and engine (default: the machine's; 0 with --budget)")
        ->type_name("SIZE");
    app.add_option("--catalog", m_catalog, "Extra machines from a YAML file")->type_name("FILE");
    app.add_option("--db", m_db, "Store recorded with `stackfit record`: measured start-up peaks")->type_name("FILE");
    app.add_option("--startup-window", m_window, "How long after a container start counts as start-up (default 2m)")
        ->type_name("DURATION");
    app.add_option("--format", m_format, "table | markdown | json | csv")->type_name("FORMAT");
    app.add_option("--write", m_write, "Write the waves as a Compose override file")->type_name("FILE");
    app.add_flag("--force", m_force, "With --write: replace an existing file");
  }

  Expected<int> run() override {
    auto format = parse_output_format(m_format);
    if (!format) return tl::unexpected(format.error());
    auto window_ms = parse_duration_ms(m_window);
    if (!window_ms) return make_error(ErrorCode::usage, "--startup-window: " + window_ms.error().message);
    if (*window_ms <= 0) return make_error(ErrorCode::usage, "--startup-window: must be positive");
    auto target = resolve_budget();
    if (!target) return tl::unexpected(target.error());
    auto stack = m_input.load();
    if (!stack) return tl::unexpected(stack.error());

    StartupReport report;
    report.target = *target;
    report.window_ms = *window_ms;
    std::map<std::string, MeasuredStartup> measured;
    if (!m_db.empty()) {
      auto m = measure_from_store(m_db, stack->name, *window_ms);
      if (!m) return tl::unexpected(m.error());
      measured = std::move(*m);
      report.history = m_db + " (" + std::to_string(measured.size()) + " of " +
                       std::to_string(stack->services.size()) + " services with recorded starts)";
    }
    std::optional<Bytes> budget;
    if (*target) {
      if ((*target)->reserve >= (*target)->memory) {
        return make_error(ErrorCode::usage, "the reserve (" + format_human_bytes((*target)->reserve) +
                                                ") leaves nothing of " + (*target)->name);
      }
      budget = (*target)->available();
    }
    auto plan = plan_startup(startup_services(*stack, measured), budget);
    if (!plan) return tl::unexpected(plan.error());
    report.plan = std::move(*plan);
    report.overrides = startup_overrides(report.plan);
    if (!m_write.empty()) {
      if (auto ok = write_override(*stack, report.overrides, m_write, m_force); !ok) return tl::unexpected(ok.error());
      report.written_file = m_write;
    }
    if (!write_stdout(render_startup(report, *format))) return make_error(ErrorCode::io, "stdout: write failed");
    return report.plan.fits ? 0 : 1;
  }

 private:
  // The target named by --budget or --machine (with --reserve), or none.
  // Same rules as `check` (cli/check_command.cpp).
  Expected<std::optional<Budget>> resolve_budget() const {
    std::optional<Bytes> reserve;
    if (!m_reserve.empty()) {
      auto r = parse_memory_argument(m_reserve);
      if (!r) return make_error(ErrorCode::usage, "--reserve: " + r.error().message);
      reserve = *r;
    }
    if (!m_budget.empty()) {
      auto b = parse_memory_argument(m_budget);
      if (!b) return make_error(ErrorCode::usage, "--budget: " + b.error().message);
      return Budget{"budget " + format_human_bytes(*b), *b, reserve.value_or(Bytes{0}), std::nullopt};
    }
    if (m_machine.empty()) return std::optional<Budget>{};
    MachineCatalog catalog = MachineCatalog::builtin();
    if (!m_catalog.empty()) {
      if (auto ok = catalog.add_from_file(m_catalog); !ok) return tl::unexpected(ok.error());
    }
    const Machine* machine = catalog.find(m_machine);
    if (!machine) {
      return make_error(ErrorCode::not_found,
                        "--machine: unknown machine \"" + m_machine + "\" (see `stackfit machines`)");
    }
    return Budget{machine->name, machine->memory, reserve.value_or(machine->os_reserve), machine->cpus};
  }

  StackInput m_input;
  std::string m_budget;
  std::string m_machine;
  std::string m_reserve;
  std::string m_catalog;
  std::string m_db;
  std::string m_window = "2m";
  std::string m_format = "table";
  std::string m_write;
  bool m_force = false;
};

}  // namespace

std::unique_ptr<Command> make_plan_startup_command() { return std::make_unique<PlanStartupCommand>(); }

}  // namespace stackfit::cli
