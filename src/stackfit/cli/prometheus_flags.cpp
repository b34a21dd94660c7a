#include "stackfit/cli/prometheus_flags.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "stackfit/util/clock.hpp"
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

bool valid_label_name(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])) != 0) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return c == '_' || std::isalnum(static_cast<unsigned char>(c)) != 0; });
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

}  // namespace

void PrometheusFlags::configure(CLI::App& app, Since since_flag) {
  if (since_flag == Since::declare) {
    app.add_option("--since", since, "Window length back from --end (default 7d)")->type_name("DURATION");
  }
  app.add_option("--start", start, "Window start: Unix seconds or YYYY-MM-DDTHH:MM:SSZ (overrides --since)")
      ->type_name("TIME");
  app.add_option("--end", end, "Window end (default now)")->type_name("TIME");
  app.add_option("--step", step, "Resolution: the scrape interval of the series (default 60s)")
      ->type_name("DURATION");
  app.add_option("--selector", matchers, "Extra label matchers for every query, e.g. namespace=~\"shop|web\"")
      ->type_name("MATCHERS");
  app.add_flag("--by-host", by_host,
               "Compose services per host (the --host-label label), not merged across the fleet");
  app.add_option("--host-label", host_label, "The label naming a Compose host (default host; e.g. instance)")
      ->type_name("LABEL");
  app.add_option("--concurrency", concurrency, "Queries in flight (default 4, at most 16)")->type_name("N");
  app.add_option("--max-points", max_points, "Points per series per query (default 10000, at most 11000)")
      ->type_name("N");
  app.add_option("--timeout", timeout, "Per request (default 60s)")->type_name("DURATION");
  app.add_option("--retries", retries, "Retries on connection errors, timeouts and 5xx (default 3)")
      ->type_name("N");
  app.add_option("--user", basic_auth, "Basic auth as USER:PASSWORD")->type_name("USER:PASSWORD");
  app.add_option("--bearer-token-file", token_file, "Send the token in this file as a bearer token")
      ->type_name("FILE");
  app.add_flag("--allow-partial", allow_partial,
               "Print results even when the server warns of partial data (marked partial)");
  app.add_flag("--no-progress", no_progress, "No progress bar (it is shown only when stderr is a terminal)");
}

Expected<PrometheusHistoryOptions> PrometheusFlags::options() const {
  PrometheusHistoryOptions o;
  auto base = normalize_prometheus_url(url);
  TRY(base);
  o.server.base_url = *base;
  std::string userinfo = take_url_userinfo(o.server.base_url);
  auto step_ms = parse_duration_ms(step);
  TRY(step_ms);
  auto timeout_ms = parse_duration_ms(timeout);
  TRY(timeout_ms);
  if (*timeout_ms <= 0) return make_error(ErrorCode::usage, "--timeout must be positive");
  if (retries < 0 || retries > 10) return make_error(ErrorCode::usage, "--retries must be 0..10");
  o.step_ms = *step_ms;
  o.server.timeout_ms = *timeout_ms;
  o.server.retries = retries;
  o.server.basic_auth = basic_auth.empty() ? userinfo : basic_auth;
  if (!token_file.empty()) {
    auto token = read_file(token_file);
    TRY(token);
    std::string t = *token;
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
    // A CR or LF inside would end the Authorization header and start others.
    for (unsigned char c : t) {
      if (c < 0x20 || c == 0x7f) {
        return make_error(ErrorCode::bad_input,
                          token_file + ": the token holds a control character (CR, LF?) before its end; refused");
      }
    }
    o.server.bearer_token = t;
  }
  o.concurrency = concurrency;
  o.max_points_per_query = max_points;
  o.matchers = matchers;
  if (by_host) {
    if (!valid_label_name(host_label)) {
      return make_error(ErrorCode::usage, "--host-label \"" + host_label +
                                              "\": not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)");
    }
    o.host_label = host_label;
  }
  if (!end.empty()) {
    auto end_ms = parse_time_ms("--end", end);
    TRY(end_ms);
    o.end_ms = *end_ms;
  } else {
    o.end_ms = wall_now_ns() / 1'000'000;
  }
  if (!start.empty()) {
    auto start_ms = parse_time_ms("--start", start);
    TRY(start_ms);
    o.start_ms = *start_ms;
  } else {
    auto since_ms = parse_duration_ms(since);
    TRY(since_ms);
    o.start_ms = o.end_ms - *since_ms;
  }
  if (o.step_ms >= 1000) {
    // On the step grid, so points line up with scrapes made on round minutes.
    o.start_ms -= o.start_ms % o.step_ms;
    o.end_ms -= o.end_ms % o.step_ms;
  }
  if (!no_progress && ::isatty(STDERR_FILENO) == 1) o.progress = &draw_progress;
  return o;
}

void clear_prometheus_progress(const PrometheusHistoryOptions& options) {
  if (options.progress) std::fputs("\r\033[K", stderr);
}

void warn_skipped_series(const PrometheusHistoryOptions& options, const PrometheusHistoryStats& stats) {
  const GroupingStats& g = stats.grouping;
  if (g.compose_without_service > 0) {
    std::fprintf(stderr, "stackfit: %s: %lld Compose series without a service label left out (docs/fleet.md)\n",
                 options.server.base_url.c_str(), static_cast<long long>(g.compose_without_service));
  }
  if (g.compose_without_host > 0) {
    std::fprintf(stderr,
                 "stackfit: %s: %lld Compose series without a %s label left out (--by-host; docs/fleet.md)\n",
                 options.server.base_url.c_str(), static_cast<long long>(g.compose_without_host),
                 options.host_label.c_str());
  }
}

Expected<void> check_partial(const PrometheusFlags& flags, const PrometheusHistoryOptions& options,
                             const PrometheusHistoryStats& stats) {
  if (stats.warnings.empty() || flags.allow_partial) return {};
  return make_error(ErrorCode::unavailable, options.server.base_url + ": the server warned of partial data: " +
                                                stats.warnings.front() +
                                                " (--allow-partial prints the results, marked partial)");
}

}  // namespace stackfit::cli
