// `stackfit history --prometheus URL`: reads usage history of a cluster from
// Prometheus (or Thanos / Mimir / VictoriaMetrics) and prints per workload
// and container what stackfit sees: samples, peak / p95 working set, CPU,
// limits, OOM kills. The same reading feeds `recommend --prometheus`.
// The window is read twice (the same fixed start, end and step): pass 1
// counts, pass 2 collects, so the p95s are exact in bounded memory
// (analyze/usage_summary's UsageSummaryBuilder).
#include <algorithm>

#include "stackfit/analyze/usage_summary.hpp"
#include "stackfit/cli/commands.hpp"
#include "stackfit/cli/prometheus_flags.hpp"
#include "stackfit/emit/history_report.hpp"

namespace stackfit::cli {
namespace {

// Both passes of the builder. The stats are pass 1's (chunks, points),
// except queries and retries, which count both reads, and warnings, which
// are both reads' (a partial second read is partial data too).
// The progress bar runs once over both reads.
Expected<PrometheusHistoryStats> read_twice(const PrometheusHistoryOptions& options, UsageSummaryBuilder& builder) {
  auto read = [&](std::int64_t pass) {
    PrometheusHistoryOptions o = options;
    o.usage_only = pass == 1;  // pass 2 needs only the working set and CPU
    if (options.progress) {
      o.progress = [&options, pass](std::int64_t done, std::int64_t total) {
        options.progress(pass * total + done, 2 * total);
      };
    }
    return read_prometheus_history(o, builder);
  };
  auto stats = read(0);
  TRY(stats);
  builder.start_second_pass();
  auto again = read(1);
  TRY(again);
  stats->queries += again->queries;
  stats->retries += again->retries;
  for (const std::string& w : again->warnings) {
    if (std::find(stats->warnings.begin(), stats->warnings.end(), w) == stats->warnings.end()) {
      stats->warnings.push_back(w);
    }
  }
  return stats;
}

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
    UsageSummaryBuilder builder;
    auto stats = read_twice(*options, builder);
    clear_prometheus_progress(*options);
    TRY(stats);
    TRY(check_partial(m_flags, *options, *stats));
    warn_skipped_series(*options, *stats);
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
    report.workloads = builder.summaries();
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
