// `stackfit backtest`: how would each strategy's limits have done over this
// history? Replays recorded history (--db), Prometheus (--prometheus) or a
// CSV export (--csv) through every strategy side by side — the peers'
// formulas (krr-simple, vpa), the declared limit and stackfit's own — and
// counts OOM kills, slack and limit changes. Protocol: docs/backtest.md;
// JSON: docs/backtest-json.md.
#include <cstdint>

#include "stackfit/analyze/backtest_run.hpp"
#include "stackfit/analyze/usage_series_collector.hpp"
#include "stackfit/cli/commands.hpp"
#include "stackfit/cli/prometheus_flags.hpp"
#include "stackfit/emit/backtest_report.hpp"
#include "stackfit/load/usage_csv_reader.hpp"
#include "stackfit/record/history_store.hpp"
#include "stackfit/store/sample_store.hpp"
#include "stackfit/util/clock.hpp"
#include "stackfit/util/duration.hpp"

namespace stackfit::cli {
namespace {

class BacktestCommand final : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_option("--csv", m_csv, "Usage series as CSV: series,timestamp_s,bytes[,limit_bytes] (- for stdin)")
        ->type_name("FILE");
    app.add_option("--db", m_db, "Sample store (default $XDG_STATE_HOME/stackfit/stackfit.db)")->type_name("FILE");
    app.add_option("--project", m_project, "Only this Compose project's services (--db)")->type_name("NAME");
    app.add_option("--prometheus", m_prometheus.url, "Read history from this Prometheus instead of the store")
        ->type_name("URL");
    app.add_option("--since", m_since, "History to replay from the store or Prometheus, back from now (default 30d)")
        ->type_name("DURATION");
    m_prometheus.configure(app, PrometheusFlags::Since::shared);
    app.add_option("--warmup", m_warmup, "Warm-up before anything counts (default 1d)")->type_name("DURATION");
    app.add_option("--every", m_every, "Recommend again this often (default 1d), and after each OOM kill")
        ->type_name("DURATION");
    app.add_option("--strategy", m_strategies,
                   "Strategies to compare (repeatable; default all: declared, krr-simple, vpa, adaptive, peak, "
                   "percentile)")
        ->type_name("NAME")
        ->delimiter(',');
    app.add_flag("--per-series", m_per_series, "Also one row per series and strategy (table, markdown, csv)");
    app.add_option("--format", m_format, "table | markdown | json | csv")->type_name("FORMAT");
  }

  Expected<int> run() override;

 private:
  [[nodiscard]] Expected<ReplayOptions> replay_options() const;
  [[nodiscard]] Expected<UsageSeriesSet> from_store(std::int64_t since_ms, std::string& location) const;
  [[nodiscard]] Expected<UsageSeriesSet> from_prometheus(std::string& location) const;

  PrometheusFlags m_prometheus;
  std::string m_csv, m_db, m_project;
  std::string m_since = "30d";
  std::string m_warmup = "1d";
  std::string m_every = "1d";
  std::vector<std::string> m_strategies;
  bool m_per_series = false;
  std::string m_format = "table";
};

Expected<ReplayOptions> BacktestCommand::replay_options() const {
  ReplayOptions o;
  auto warmup = parse_duration_ms(m_warmup);
  if (!warmup) return make_error(ErrorCode::usage, "--warmup: " + warmup.error().message);
  auto every = parse_duration_ms(m_every);
  if (!every) return make_error(ErrorCode::usage, "--every: " + every.error().message);
  if (*every <= 0) return make_error(ErrorCode::usage, "--every: must be above 0");
  // Nanoseconds fit int64: parse_duration_ms refuses more than 36500 days.
  o.warmup_ns = *warmup * 1'000'000;
  o.every_ns = *every * 1'000'000;
  return o;
}

Expected<UsageSeriesSet> BacktestCommand::from_store(std::int64_t since_ms, std::string& location) const {
  location = history_store_path(m_db);
  auto store = open_history_store(location);
  TRY(store);
  SystemClock clock;
  const std::int64_t to_ns = clock.now_ns();
  UsageStreamFilter filter;
  if (!m_project.empty()) filter.project = m_project;
  UsageSeriesCollector collector;
  auto stats = store->stream_usage(to_ns - since_ms * 1'000'000, to_ns, filter, collector);
  TRY(stats);
  if (stats->services.empty()) {
    std::string what = filter.project ? "project \"" + *filter.project + "\"" : std::string("any service");
    return make_error(ErrorCode::not_found, location + ": no samples of " + what + " in the last " + m_since);
  }
  return collector.finish();
}

Expected<UsageSeriesSet> BacktestCommand::from_prometheus(std::string& location) const {
  PrometheusFlags flags = m_prometheus;
  flags.since = m_since;
  auto options = flags.options();
  TRY(options);
  UsageSeriesCollector collector;
  auto stats = read_prometheus_history(*options, collector);
  clear_prometheus_progress(*options);
  TRY(stats);
  TRY(check_partial(flags, *options, *stats));
  warn_skipped_series(*options, *stats);
  location = options->server.base_url;
  UsageSeriesSet set = collector.finish();
  if (set.size() == 0) {
    return make_error(ErrorCode::not_found, location + ": no container series in the last " + m_since);
  }
  return set;
}

Expected<int> BacktestCommand::run() {
  auto format = parse_output_format(m_format);
  TRY(format);
  auto replay = replay_options();
  TRY(replay);
  const int sources = !m_csv.empty() + !m_db.empty() + !m_prometheus.url.empty();
  if (sources > 1) return make_error(ErrorCode::usage, "--csv, --db and --prometheus: give one history source");
  if (!m_project.empty() && (!m_csv.empty() || !m_prometheus.url.empty())) {
    return make_error(ErrorCode::usage, "--project: only with the store (--db)");
  }
  BacktestReport report;
  Expected<UsageSeriesSet> series = make_error(ErrorCode::internal, "no source");
  if (!m_csv.empty()) {
    report.source_kind = "csv";
    report.location = m_csv == "-" ? "<stdin>" : m_csv;
    series = read_usage_csv(m_csv);
  } else if (!m_prometheus.url.empty()) {
    report.source_kind = "prometheus";
    series = from_prometheus(report.location);
  } else {
    report.source_kind = "store";
    auto since_ms = parse_duration_ms(m_since);
    if (!since_ms) return make_error(ErrorCode::usage, "--since: " + since_ms.error().message);
    if (*since_ms > INT64_MAX / 1'000'000 / 2) return make_error(ErrorCode::usage, "--since: longer than 53375d");
    series = from_store(*since_ms, report.location);
  }
  TRY(series);
  if (series->size() == 0) return make_error(ErrorCode::bad_input, report.location + ": no readings");
  auto result = run_backtest(*series, m_strategies, RecommendOptions{}, *replay);
  TRY(result);
  report.result = std::move(*result);
  report.per_series = m_per_series;
  if (!write_stdout(render_backtest_report(report, *format))) return make_error(ErrorCode::io, "stdout: write failed");
  return 0;
}

}  // namespace

std::unique_ptr<Command> make_backtest_command() { return std::make_unique<BacktestCommand>(); }

}  // namespace stackfit::cli
