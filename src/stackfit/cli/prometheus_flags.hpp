// The flags every command that reads Prometheus history shares (`history`,
// `recommend`, `backtest` and `report` with --prometheus): window, step,
// selector, Compose grouping per host, concurrency, chunk size, timeout,
// retries, auth, partial data, progress bar.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "stackfit/observe/prometheus_history.hpp"

namespace stackfit::cli {

struct PrometheusFlags {
  std::string url;  // --prometheus; the caller declares it (required or optional)
  std::string since = "7d", start, end, step = "60s", matchers, timeout = "60s";
  std::string basic_auth, token_file;
  int concurrency = 4;
  std::int64_t max_points = 10000;
  int retries = 3;
  bool allow_partial = false;
  bool no_progress = false;
  bool by_host = false;             // --by-host: Compose services split per host
  std::string host_label = "host";  // --host-label: the label naming the host

  // Declares every flag but --prometheus on `app`; --since too unless the
  // command declares its own (recommend: its --since is shared by both sources).
  enum class Since { declare, shared };
  void configure(CLI::App& app, Since since_flag = Since::declare);
  // Options for read_prometheus_history (with a progress bar on stderr when
  // it is a terminal and --no-progress is not given). Usage errors name the flag.
  [[nodiscard]] Expected<PrometheusHistoryOptions> options() const;
};

// Clears the progress bar's line (call after read_prometheus_history when
// options().progress was set).
void clear_prometheus_progress(const PrometheusHistoryOptions& options);

// One line on stderr for each kind of Compose series the read left out
// (no `service` label; no host label under --by-host), naming their count;
// the results computed from the rest are printed as usual.
void warn_skipped_series(const PrometheusHistoryOptions& options, const PrometheusHistoryStats& stats);

// The one-line refusal of partial data unless --allow-partial.
[[nodiscard]] Expected<void> check_partial(const PrometheusFlags& flags, const PrometheusHistoryOptions& options,
                                           const PrometheusHistoryStats& stats);

}  // namespace stackfit::cli
