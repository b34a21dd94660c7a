// `stackfit history --prometheus URL`: reads usage history of a cluster from
// Prometheus (or Thanos / Mimir / VictoriaMetrics) and prints per workload
// and container what stackfit sees: samples, peak / p95 working set, CPU,
// limits, OOM kills. The same reading feeds `recommend --prometheus`.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "stackfit/analyze/workload_usage.hpp"
#include "stackfit/cli/commands.hpp"
#include "stackfit/emit/history_report.hpp"
#include "stackfit/observe/prometheus_history.hpp"
#include "stackfit/util/duration.hpp"
#include "stackfit/util/file_io.hpp"

namespace stackfit::cli {
namespace {

// "1700000000" (Unix seconds) or "2026-11-30T12:00:00Z" (UTC) -> ms.
Expected<std::int64_t> parse_time_ms(const std::string& flag, const std::string& text) {
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos && text.size() <= 12) {
    return std::stoll(text) * 1000;
  }
  std::tm tm{};
  char z = 0;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &z, &consumed) == 7 &&
      z == 'Z' && static_cast<std::size_t>(consumed) == text.size() && tm.tm_mon >= 1 && tm.tm_mon <= 12) {
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return static_cast<std::int64_t>(::timegm(&tm)) * 1000;
  }
  return make_error(ErrorCode::usage, flag + " " + text + ": expected Unix seconds or YYYY-MM-DDTHH:MM:SSZ");
}

// "\rprometheus: [#########...........]  12/38 queries" on stderr.
void draw_progress(std::int64_t done, std::int64_t total) {
  constexpr int k_width = 30;
  int filled = total > 0 ? static_cast<int>(done * k_width / total) : 0;
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(k_width - filled), '.');
  std::fprintf(stderr, "\rprometheus: [%s] %lld/%lld queries", bar.c_str(), static_cast<long long>(done),
               static_cast<long long>(total));
  std::fflush(stderr);
}

class HistoryCommand final : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_option("--prometheus", m_url, "Prometheus-compatible base URL (Thanos, Mimir, VictoriaMetrics too)")
        ->type_name("URL")
        ->required();
    app.add_option("--since", m_since, "Window length back from --end (default 7d)")->type_name("DURATION");
    app.add_option("--start", m_start, "Window start: Unix seconds or YYYY-MM-DDTHH:MM:SSZ (overrides --since)")
        ->type_name("TIME");
    app.add_option("--end", m_end, "Window end (default now)")->type_name("TIME");
    app.add_option("--step", m_step, "Resolution: the scrape interval of the series (default 60s)")
        ->type_name("DURATION");
    app.add_option("--selector", m_matchers, "Extra label matchers for every query, e.g. namespace=~\"shop|web\"")
        ->type_name("MATCHERS");
    app.add_option("--concurrency", m_concurrency, "Queries in flight (default 4, at most 16)")->type_name("N");
    app.add_option("--max-points", m_max_points, "Points per series per query (default 10000, at most 11000)")
        ->type_name("N");
    app.add_option("--timeout", m_timeout, "Per request (default 60s)")->type_name("DURATION");
    app.add_option("--retries", m_retries, "Retries on connection errors, timeouts and 5xx (default 3)")
        ->type_name("N");
    app.add_option("--user", m_basic_auth, "Basic auth as USER:PASSWORD")->type_name("USER:PASSWORD");
    app.add_option("--bearer-token-file", m_token_file, "Send the token in this file as a bearer token")
        ->type_name("FILE");
    app.add_flag("--allow-partial", m_allow_partial,
                 "Print results even when the server warns of partial data (marked partial)");
    app.add_flag("--no-progress", m_no_progress, "No progress bar (it is shown only when stderr is a terminal)");
    app.add_option("--format", m_format, "table | markdown | json | csv")->type_name("FORMAT");
  }

  Expected<int> run() override {
    auto format = parse_output_format(m_format);
    if (!format) return tl::unexpected(format.error());
    auto options = options_from_flags();
    if (!options) return tl::unexpected(options.error());
    const bool progress = !m_no_progress && ::isatty(STDERR_FILENO) == 1;
    if (progress) options->progress = &draw_progress;

    WorkloadUsageSink sink;
    auto stats = read_prometheus_history(*options, sink);
    if (progress) std::fputs("\r\033[K", stderr);
    if (!stats) return tl::unexpected(stats.error());
    if (!stats->warnings.empty() && !m_allow_partial) {
      return make_error(ErrorCode::unavailable, options->server.base_url + ": the server warned of partial data: " +
                                                    stats->warnings.front() +
                                                    " (--allow-partial prints the results, marked partial)");
    }
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
  Expected<PrometheusHistoryOptions> options_from_flags() const {
    PrometheusHistoryOptions o;
    auto url = normalize_prometheus_url(m_url);
    if (!url) return tl::unexpected(url.error());
    o.server.base_url = *url;
    auto step = parse_duration_ms(m_step);
    if (!step) return tl::unexpected(step.error());
    auto timeout = parse_duration_ms(m_timeout);
    if (!timeout) return tl::unexpected(timeout.error());
    if (*timeout <= 0) return make_error(ErrorCode::usage, "--timeout must be positive");
    if (m_retries < 0 || m_retries > 10) return make_error(ErrorCode::usage, "--retries must be 0..10");
    o.step_ms = *step;
    o.server.timeout_ms = *timeout;
    o.server.retries = m_retries;
    o.server.basic_auth = m_basic_auth;
    if (!m_token_file.empty()) {
      auto token = read_file(m_token_file);
      if (!token) return tl::unexpected(token.error());
      std::string t = *token;
      while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
      o.server.bearer_token = t;
    }
    o.concurrency = m_concurrency;
    o.max_points_per_query = m_max_points;
    o.matchers = m_matchers;
    if (!m_end.empty()) {
      auto end = parse_time_ms("--end", m_end);
      if (!end) return tl::unexpected(end.error());
      o.end_ms = *end;
    } else {
      using namespace std::chrono;
      o.end_ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    }
    if (!m_start.empty()) {
      auto start = parse_time_ms("--start", m_start);
      if (!start) return tl::unexpected(start.error());
      o.start_ms = *start;
    } else {
      auto since = parse_duration_ms(m_since);
      if (!since) return tl::unexpected(since.error());
      o.start_ms = o.end_ms - *since;
    }
    if (o.step_ms >= 1000) {
      // On the step grid, so points line up with scrapes made on round minutes.
      o.start_ms -= o.start_ms % o.step_ms;
      o.end_ms -= o.end_ms % o.step_ms;
    }
    return o;
  }

  std::string m_url, m_since = "7d", m_start, m_end, m_step = "60s", m_matchers, m_timeout = "60s";
  std::string m_basic_auth, m_token_file, m_format = "table";
  int m_concurrency = 4;
  std::int64_t m_max_points = 10000;
  int m_retries = 3;
  bool m_allow_partial = false;
  bool m_no_progress = false;
};

}  // namespace

std::unique_ptr<Command> make_history_command() { return std::make_unique<HistoryCommand>(); }

}  // namespace stackfit::cli
