// `stackfit report`: one self-contained HTML page of a recorded stack
// (docs/report.md). The history (store or Prometheus) is read once into both
// the recommender and the report's timelines (analyze/report_timeline); the
// plan's options come from plan/ when a stack and a target are given; the
// page is written atomically (an existing file only with --force).
#include "stackfit/analyze/recommend_report.hpp"
#include "stackfit/analyze/recommendation.hpp"
#include "stackfit/analyze/report_timeline.hpp"
#include "stackfit/analyze/usage_tee.hpp"
#include "stackfit/cli/commands.hpp"
#include "stackfit/cli/plan_startup.hpp"
#include "stackfit/cli/prometheus_flags.hpp"
#include "stackfit/cli/stack_input.hpp"
#include "stackfit/emit/html_report.hpp"
#include "stackfit/plan/fit_plan.hpp"
#include "stackfit/plan/target_resolution.hpp"
#include "stackfit/record/history_store.hpp"
#include "stackfit/record/plan_history.hpp"
#include "stackfit/util/clock.hpp"
#include "stackfit/util/duration.hpp"
#include "stackfit/util/file_io.hpp"

namespace stackfit::cli {
namespace {

// `plan --startup`'s default start-up window.
constexpr std::int64_t k_startup_window_ms = 120'000;

class ReportCommand final : public Command {
 public:
  void configure(CLI::App& app) override {
    m_input.add_flags(app);
    auto* db = app.add_option("--db", m_db, "Sample store (default $XDG_STATE_HOME/stackfit/stackfit.db)")
                   ->type_name("FILE");
    app.add_option("--since", m_since, "History to show, back from now (default 14d)")->type_name("DURATION");
    auto* machine = app.add_option("--machine", m_machine, "Draw the stack against this machine and plan for it")
                        ->type_name("NAME");
    auto* budget = app.add_option("--budget", m_budget, "Draw the stack against this much memory and plan for it")
                       ->type_name("SIZE");
    machine->excludes(budget);
    app.add_option("--reserve", m_reserve, "Memory kept by OS and engine (default: the machine's; 0 with --budget)")
        ->type_name("SIZE");
    app.add_option("--output", m_output, "The HTML file to write")->type_name("FILE")->required();
    app.add_flag("--force", m_force, "Replace --output if it exists");
    auto* prom = app.add_option("--prometheus", m_prometheus.url, "Read history from this Prometheus instead")
                     ->type_name("URL");
    prom->excludes(db);
    m_prometheus.configure(app, PrometheusFlags::Since::shared);
  }

  Expected<int> run() override {
    auto since_ms = parse_duration_ms(m_since);
    if (!since_ms) return make_error(ErrorCode::usage, "--since: " + since_ms.error().message);
    TRY(refuse_existing(m_output, overwrite()));  // before any history is read
    TimelineBuilder timelines;
    Recommender recommender(m_options);
    UsageTee tee(recommender, timelines);
    Page page;
    if (!m_prometheus.url.empty()) {
      if (m_input.has_stack_flags()) {
        return make_error(ErrorCode::usage, "--prometheus: matching -f/-k stacks to cluster workloads is not supported yet");
      }
      TRY(read_prometheus(tee, recommender, page));
    } else {
      TRY(read_store(*since_ms, tee, recommender, page));
    }
    ReportTimelines drawn = timelines.finish();
    HtmlReportInput input{page.title, &page.recommend, &drawn, m_options.startup_window_ns, page.budget,
                          page.plan ? &*page.plan : nullptr, page.startup ? &*page.startup : nullptr};
    TRY(write_file_atomic(m_output, render_html_report(input), overwrite()));
    return 0;
  }

 private:
  [[nodiscard]] Overwrite overwrite() const { return m_force ? Overwrite::yes : Overwrite::no; }

  struct Page {
    std::string title;
    RecommendReport recommend;
    std::optional<ReportBudget> budget;
    std::optional<Plan> plan;
    std::optional<StartupPlan> startup;
  };

  Expected<void> read_store(std::int64_t since_ms, UsageSink& sink, const Recommender& recommender, Page& page) {
    std::optional<Stack> stack;
    if (m_input.has_stack_flags()) {
      auto loaded = m_input.load();
      if (!loaded) return tl::unexpected(loaded.error());
      stack = std::move(*loaded);
    }
    auto target = resolve(stack ? stack->kind : StackKind::compose);
    if (!target) return tl::unexpected(target.error());
    const std::string db = history_store_path(m_db);
    auto store = open_history_store(db);
    if (!store) return tl::unexpected(store.error());
    std::int64_t to_ns = SystemClock().now_ns();
    std::int64_t from_ns = to_ns - since_ms * 1'000'000;
    UsageStreamFilter filter;
    if (stack && stack->kind == StackKind::compose && !stack->name.empty()) filter.project = stack->name;
    auto stats = store->stream_usage(from_ns, to_ns, filter, sink);
    if (!stats) return tl::unexpected(stats.error());
    if (stats->services.empty()) {
      std::string what = filter.project ? "project \"" + *filter.project + "\"" : std::string("any service");
      return make_error(ErrorCode::not_found, db + ": no samples of " + what + " in the last " + m_since);
    }
    std::vector<SeenWorkload> seen;
    for (const StreamedService& svc : stats->services) {
      seen.push_back(SeenWorkload{WorkloadKey{"", "service", svc.service, ""}, svc.samples, svc.memory_limit});
    }
    auto report = assemble_recommend_report(recommender, stack, seen, {});
    if (!report) return tl::unexpected(report.error());
    page.recommend = std::move(*report);
    page.recommend.location = db;
    page.recommend.from_ns = from_ns;
    page.recommend.to_ns = to_ns;
    page.title = stack && !stack->name.empty() ? stack->name : db;
    return add_plans(stack, *target, db, recommender, page);
  }

  // The budget line, `plan`'s options and, for Compose, the start-up waves.
  Expected<void> add_plans(const std::optional<Stack>& stack, const std::optional<ResolvedTarget>& target,
                           const std::string& db, const Recommender& recommender, Page& page) const {
    if (target) {
      page.budget = ReportBudget{target->name, target->memory - target->reserve};
      if (stack) page.plan = plan_for(*stack, *target, recommender);
    }
    if (stack && stack->kind == StackKind::compose) {
      std::optional<Budget> budget;
      if (target) budget = target->budget();
      auto waves = recorded_startup_waves(*stack, budget, db, k_startup_window_ms);
      if (!waves) return tl::unexpected(waves.error());
      page.startup = std::move(*waves);
    }
    return {};
  }

  Expected<void> read_prometheus(UsageSink& sink, const Recommender& recommender, Page& page) {
    PrometheusFlags flags = m_prometheus;
    flags.since = m_since;
    auto options = flags.options();
    if (!options) return tl::unexpected(options.error());
    auto target = resolve(StackKind::kubernetes);
    if (!target) return tl::unexpected(target.error());
    auto stats = read_prometheus_history(*options, sink);
    clear_prometheus_progress(*options);
    if (!stats) return tl::unexpected(stats.error());
    if (auto ok = check_partial(flags, *options, *stats); !ok) return tl::unexpected(ok.error());
    warn_skipped_series(*options, *stats);
    if (recommender.workloads().empty()) {
      return make_error(ErrorCode::not_found, options->server.base_url + ": no container series in the last " + m_since);
    }
    auto report = assemble_cluster_report(recommender, {});
    if (!report) return tl::unexpected(report.error());
    page.recommend = std::move(*report);
    page.recommend.source_kind = "prometheus";
    page.recommend.location = options->server.base_url;
    page.recommend.from_ns = options->start_ms * 1'000'000;
    page.recommend.to_ns = options->end_ms * 1'000'000;
    page.title = options->server.base_url;
    if (*target) page.budget = ReportBudget{(*target)->name, (*target)->memory - (*target)->reserve};
    return {};
  }

  Expected<std::optional<ResolvedTarget>> resolve(StackKind kind) const {
    if (m_machine.empty() && m_budget.empty() && !m_reserve.empty()) {
      return make_error(ErrorCode::usage, "--reserve goes with --machine or --budget");
    }
    return resolve_target(TargetRequest{m_budget, m_machine, m_reserve}, MachineCatalog::builtin(), kind);
  }

  // `plan`'s options for the target, option A from the same history.
  Plan plan_for(const Stack& stack, const ResolvedTarget& t, const Recommender& recommender) const {
    PlanHistory history = plan_recommendations(recommender, stack);
    PlanTarget target{t.name, t.memory, t.reserve, t.cpus, t.price_per_hour_usd};
    return make_plan(stack, target, MachineCatalog::builtin(), history.recommendations, PlanSettings{});
  }

  StackInput m_input;
  PrometheusFlags m_prometheus;
  RecommendOptions m_options;
  std::string m_db;
  std::string m_since = "14d";
  std::string m_machine;
  std::string m_budget;
  std::string m_reserve;
  std::string m_output;
  bool m_force = false;
};

}  // namespace

std::unique_ptr<Command> make_report_command() { return std::make_unique<ReportCommand>(); }

}  // namespace stackfit::cli
