// `stackfit recommend`: per service memory request/limit and CPU request from
// recorded history, with confidence and reasons; runtime knobs for recognised
// runtimes. Strategies and formulas: docs/recommend.md; JSON:
// docs/recommend-json.md.
#include <map>

#include "stackfit/analyze/recommendation.hpp"
#include "stackfit/cli/commands.hpp"
#include "stackfit/cli/prometheus_flags.hpp"
#include "stackfit/cli/stack_input.hpp"
#include "stackfit/emit/recommend_report.hpp"
#include "stackfit/record/history_store.hpp"
#include "stackfit/store/sample_store.hpp"
#include "stackfit/util/clock.hpp"
#include "stackfit/util/duration.hpp"
#include "stackfit/util/environment.hpp"

namespace stackfit::cli {
namespace {

WorkloadKey compose_key(const std::string& service) { return WorkloadKey{"", "service", service, ""}; }

class RecommendCommand final : public Command {
 public:
  void configure(CLI::App& app) override {
    m_input.add_flags(app);
    app.add_option("--db", m_db, "Sample store (default $XDG_STATE_HOME/stackfit/stackfit.db)")->type_name("FILE");
    app.add_option("--since", m_since, "History to use, back from now (default 14d)")->type_name("DURATION");
    app.add_option("--strategy", m_strategy,
                   "adaptive (default: the cheapest of 32 window x margin models) | peak (KRR simple) | percentile (VPA)")
        ->type_name("NAME");
    app.add_option("--strategy-for", m_strategy_for, "Per-service strategy, e.g. db=percentile (repeatable)")
        ->type_name("SVC=NAME");
    app.add_option("--sizing-profile", m_profile,
                   "prod (default: headroom) | dev (lower requests, same limits)")
        ->type_name("NAME");
    app.add_option("--margin", m_margin, "Safety margin in percent (default 15)")->type_name("PERCENT");
    app.add_option("--min-memory", m_min_memory, "Smallest memory recommended (default 6Mi)")->type_name("SIZE");
    app.add_option("--memory-step", m_memory_step, "Round memory up to a multiple of this (default 4Mi)")
        ->type_name("SIZE");
    app.add_option("--cpu-step", m_cpu_step, "Round CPU up to a multiple of this many millicores (default 10)")
        ->type_name("MILLICORES");
    app.add_option("--min-cpu", m_min_cpu, "Smallest CPU request in millicores (default 10)")->type_name("MILLICORES");
    app.add_option("--cpu-throttle-target", m_cpu_throttle_target,
                   "Raise a CPU limit throttled in more than this share of CFS periods (1 to 10, default 5)")
        ->type_name("PERCENT");
    app.add_option("--startup-window", m_startup, "Start-up window after each start (default 5m)")
        ->type_name("DURATION");
    app.add_option("--points-required", m_points, "Samples needed before recommending (default 100)")
        ->type_name("N");
    app.add_option("--format", m_format, "table | markdown | json | csv")->type_name("FORMAT");
    app.add_option("--prometheus", m_prometheus.url,
                   "Read history from this Prometheus (Thanos, Mimir, VictoriaMetrics) instead of the store")
        ->type_name("URL");
    m_prometheus.configure(app, PrometheusFlags::Since::shared);
  }

  Expected<int> run() override;

 private:
  [[nodiscard]] Expected<RecommendOptions> options() const;
  [[nodiscard]] Expected<std::map<std::string, Strategy>> per_service() const;
  [[nodiscard]] Expected<int> run_prometheus(const RecommendOptions& opts, OutputFormat format,
                                             const std::map<std::string, Strategy>& overrides);

  PrometheusFlags m_prometheus;

  StackInput m_input;
  std::string m_db;
  std::string m_since = "14d";
  std::string m_strategy = "adaptive";
  std::vector<std::string> m_strategy_for;
  std::string m_profile = "prod";
  double m_margin = 15;
  std::string m_min_memory = "6Mi";
  std::string m_memory_step = "4Mi";
  std::int64_t m_cpu_step = 10;
  std::int64_t m_min_cpu = 10;
  double m_cpu_throttle_target = 5;
  std::string m_startup = "5m";
  std::int64_t m_points = 100;
  std::string m_format = "table";
};

Expected<RecommendOptions> RecommendCommand::options() const {
  RecommendOptions o;
  auto strategy = parse_strategy(m_strategy);
  if (!strategy) return make_error(ErrorCode::usage, "--strategy: " + strategy.error().message);
  o.strategy = *strategy;
  auto profile = parse_profile(m_profile);
  if (!profile) return make_error(ErrorCode::usage, "--sizing-profile: " + profile.error().message);
  o.profile = *profile;
  if (!(m_margin >= 0 && m_margin <= 1000)) return make_error(ErrorCode::usage, "--margin: expected 0 to 1000 (percent)");
  o.margin = m_margin / 100;
  auto min_memory = parse_memory_argument(m_min_memory);
  if (!min_memory) return make_error(ErrorCode::usage, "--min-memory: " + min_memory.error().message);
  o.min_memory = *min_memory;
  auto step = parse_memory_argument(m_memory_step);
  if (!step || step->count <= 0) {
    return make_error(ErrorCode::usage, "--memory-step: " + (step ? std::string("must be above 0") : step.error().message));
  }
  o.memory_step = *step;
  if (m_cpu_step <= 0) return make_error(ErrorCode::usage, "--cpu-step: must be above 0");
  if (m_min_cpu < 0) return make_error(ErrorCode::usage, "--min-cpu: must not be negative");
  o.cpu_step = Millicores{m_cpu_step};
  o.min_cpu = Millicores{m_min_cpu};
  if (!(m_cpu_throttle_target >= 1 && m_cpu_throttle_target <= 10)) {
    return make_error(ErrorCode::usage, "--cpu-throttle-target: expected 1 to 10 (percent of CFS periods)");
  }
  o.cpu_throttle_target = m_cpu_throttle_target / 100;
  auto startup = parse_duration_ms(m_startup);
  if (!startup) return make_error(ErrorCode::usage, "--startup-window: " + startup.error().message);
  o.startup_window_ns = *startup * 1'000'000;
  if (m_points < 1) return make_error(ErrorCode::usage, "--points-required: must be at least 1");
  o.points_required = m_points;
  return o;
}

Expected<std::map<std::string, Strategy>> RecommendCommand::per_service() const {
  std::map<std::string, Strategy> out;
  for (const std::string& item : m_strategy_for) {
    auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      return make_error(ErrorCode::usage, "--strategy-for: expected SERVICE=STRATEGY, got \"" + item + "\"");
    }
    auto s = parse_strategy(item.substr(eq + 1));
    if (!s) return make_error(ErrorCode::usage, "--strategy-for: " + s.error().message);
    out[item.substr(0, eq)] = *s;
  }
  return out;
}

Expected<int> RecommendCommand::run() {
  auto format = parse_output_format(m_format);
  TRY(format);
  auto opts = options();
  TRY(opts);
  auto overrides = per_service();
  TRY(overrides);
  auto since_ms = parse_duration_ms(m_since);
  if (!since_ms) return make_error(ErrorCode::usage, "--since: " + since_ms.error().message);

  if (!m_prometheus.url.empty()) {
    if (!m_db.empty()) return make_error(ErrorCode::usage, "--db and --prometheus: give one history source");
    if (m_input.has_stack_flags()) {
      return make_error(ErrorCode::usage, "--prometheus: matching -f/-k stacks to cluster workloads is not supported yet");
    }
    return run_prometheus(*opts, *format, *overrides);
  }

  std::optional<Stack> stack;
  if (m_input.has_stack_flags()) {
    auto loaded = m_input.load();
    TRY(loaded);
    stack = std::move(*loaded);
  }

  const std::string db = history_store_path(m_db);
  auto store = open_history_store(db);
  TRY(store);

  SystemClock clock;
  std::int64_t to_ns = clock.now_ns();
  std::int64_t from_ns = to_ns - *since_ms * 1'000'000;
  UsageStreamFilter filter;
  if (stack && stack->kind == StackKind::compose && !stack->name.empty()) filter.project = stack->name;
  Recommender recommender(*opts);
  auto stats = store->stream_usage(from_ns, to_ns, filter, recommender);
  TRY(stats);

  if (stats->services.empty()) {
    std::string what = filter.project ? "project \"" + *filter.project + "\"" : std::string("any service");
    std::string others;
    for (const std::string& p : stats->projects) others += (others.empty() ? "" : ", ") + (p.empty() ? "\"\"" : p);
    return make_error(ErrorCode::not_found, db + ": no samples of " + what + " in the last " + m_since +
                                                (others.empty() ? "" : " (recorded projects: " + others + ")"));
  }

  std::vector<SeenWorkload> seen;
  for (const StreamedService& svc : stats->services) {
    seen.push_back(SeenWorkload{compose_key(svc.service), svc.samples, svc.memory_limit});
  }
  auto report = assemble_recommend_report(recommender, stack, seen, *overrides);
  TRY(report);
  report->location = db;
  report->from_ns = from_ns;
  report->to_ns = to_ns;
  if (!write_stdout(render_recommend_report(*report, *format))) return make_error(ErrorCode::io, "stdout: write failed");
  return 0;
}

// History from Prometheus (docs/prometheus.md): one recommendation per
// workload and container seen in the window; --strategy-for takes
// "name/container" or "name" (every container of the workload).
Expected<int> RecommendCommand::run_prometheus(const RecommendOptions& opts, OutputFormat format,
                                               const std::map<std::string, Strategy>& overrides) {
  PrometheusFlags flags = m_prometheus;
  flags.since = m_since;
  auto options = flags.options();
  TRY(options);
  Recommender recommender(opts);
  auto stats = read_prometheus_history(*options, recommender);
  clear_prometheus_progress(*options);
  TRY(stats);
  TRY(check_partial(flags, *options, *stats));
  warn_skipped_series(*options, *stats);
  std::vector<WorkloadKey> keys = recommender.workloads();
  if (keys.empty()) {
    return make_error(ErrorCode::not_found, options->server.base_url + ": no container series in the last " + m_since +
                                                (m_prometheus.matchers.empty() ? "" : " matching " + m_prometheus.matchers));
  }
  auto report = assemble_cluster_report(recommender, overrides);
  TRY(report);
  report->source_kind = "prometheus";
  report->location = options->server.base_url;
  report->from_ns = options->start_ms * 1'000'000;
  report->to_ns = options->end_ms * 1'000'000;
  for (const std::string& w : stats->warnings) report->notes.push_back("PARTIAL DATA (server warning): " + w);
  report->notes.push_back("declared values are the memory limits kube-state-metrics (Kubernetes) or the recorders' "
                          "container_spec_memory_limit_bytes (Compose) reported; no runtime knobs");
  if (!write_stdout(render_recommend_report(*report, format))) return make_error(ErrorCode::io, "stdout: write failed");
  return 0;
}

}  // namespace

std::unique_ptr<Command> make_recommend_command() { return std::make_unique<RecommendCommand>(); }

}  // namespace stackfit::cli
