// `stackfit history --prometheus URL`: reads usage history of a cluster from
// Prometheus (or Thanos / Mimir / VictoriaMetrics) and prints per workload
// and container what stackfit sees: samples, peak / p95 working set, CPU,
// limits, OOM kills. The same reading feeds `recommend --prometheus`.
#include "stackfit/analyze/workload_usage.hpp"
#include "stackfit/cli/commands.hpp"
#include "stackfit/cli/prometheus_flags.hpp"
#include "stackfit/emit/history_report.hpp"

namespace stackfit::cli {
namespace {

class HistoryCommand final : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_option("--prometheus", m_flags.url, "Prometheus-compatible base URL (Thanos, Mimir, VictoriaMetrics too)")
        ->type_name("URL")
        ->required();
    m_flags.configure(app);
    app.add_option("--format", m_format, "table | markdown | json | csv")->type_name("FORMAT");
  }

  Expected<int> run() override {
    auto format = parse_output_format(m_format);
    TRY(format);
    auto options = m_flags.options();
    TRY(options);
    WorkloadUsageSink sink;
    auto stats = read_prometheus_history(*options, sink);
    clear_prometheus_progress(*options);
    TRY(stats);
    TRY(check_partial(m_flags, *options, *stats));
    HistoryReport report;
    report.source = options->server.base_url;
    report.start_ms = options->start_ms;
    report.end_ms = options->end_ms;
    report.step_ms = options->step_ms;
    report.chunks = stats->chunks;
    report.queries = stats->queries;
    report.retries = stats->retries;
    report.points = stats->points;
    report.warnings = stats->warnings;
    report.workloads = sink.summaries();
    if (!write_stdout(render_history_report(report, *format))) return make_error(ErrorCode::io, "stdout: write failed");
    return 0;
  }

 private:
  PrometheusFlags m_flags;
  std::string m_format = "table";
};

}  // namespace

std::unique_ptr<Command> make_history_command() { return std::make_unique<HistoryCommand>(); }

}  // namespace stackfit::cli
