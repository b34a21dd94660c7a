// `stackfit record`: samples live containers into the store, then prints a
// per-service summary. Exit 0 when the recording ran, 2 on bad flags, 3 when
// the engine, a cgroup or the store cannot be used. With --listen it also
// serves the latest readings at /metrics (serve/metrics_server) while recording.
#include <unistd.h>

#include <cstdio>
#include <map>
#include <utility>

#include "stackfit/analyze/startup_profile.hpp"
#include "stackfit/analyze/usage_summary.hpp"
#include "stackfit/cli/commands.hpp"
#include "stackfit/cli/engine_flag.hpp"
#include "stackfit/cli/record_flags.hpp"
#include "stackfit/cli/signal_stop.hpp"
#include "stackfit/cli/stack_input.hpp"
#include "stackfit/emit/record_report.hpp"
#include "stackfit/observe/engine_client.hpp"
#include "stackfit/record/recorder.hpp"
#include "stackfit/record/recording_summary.hpp"
#include "stackfit/serve/metrics_server.hpp"
#include "stackfit/util/duration.hpp"
#include "stackfit/util/environment.hpp"

namespace stackfit::cli {
namespace {

// Time to healthy per (project, service) over the starts and health events
// recorded between from_ns and to_ns (analyze/startup_profile).
Expected<std::map<std::pair<std::string, std::string>, MeasuredHealthy>> time_to_healthy(SampleStore& store,
                                                                                         std::int64_t from_ns,
                                                                                         std::int64_t to_ns) {
  auto health = store.load_health(from_ns, to_ns);
  TRY(health);
  std::map<std::pair<std::string, std::string>, MeasuredHealthy> out;
  if (health->empty()) return out;
  auto starts = store.load_starts(from_ns, to_ns);
  TRY(starts);
  auto containers = store.load_containers();
  TRY(containers);
  std::map<std::pair<std::string, std::string>, std::vector<std::int64_t>> keys_of;
  for (const SampleStore::ContainerRow& c : *containers) keys_of[{c.project, c.service}].push_back(c.key);
  for (const auto& [service, keys] : keys_of) {
    if (auto m = measure_time_to_healthy(keys, *starts, *health)) out[service] = *m;
  }
  return out;
}

std::string clock_text(std::int64_t ms) {
  char buf[32];
  std::int64_t s = ms / 1000;
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  return buf;
}

class RecordCommand final : public Command {
 public:
  void configure(CLI::App& app) override {
    m_input.add_flags(app);
    app.add_option("--project", m_project, "Record the containers of this Compose project")->type_name("NAME");
    app.add_flag("--all", m_all, "Record every running container of the engine");
    app.add_option("--cgroup", m_cgroups,
                   "Record a plain cgroup (path under the memory controller); a parent records each child")
        ->type_name("PATH");
    app.add_flag("--kube-node", m_kube_node,
                 "Record this Kubernetes node's containers from the kubepods cgroups and the kubelet's log folders");
    app.add_option("--pods-log-dir", m_kube.pods_log_dir, "With --kube-node: the kubelet's pod log folders (default /var/log/pods)")
        ->type_name("DIR");
    app.add_option("--containers-log-dir", m_kube.containers_log_dir,
                   "With --kube-node: the kubelet's container log links (default /var/log/containers)")
        ->type_name("DIR");
    app.add_option("--interval", m_interval, "Time between samples (default 1s)")->type_name("DURATION");
    app.add_option("--duration", m_duration, "Stop after this long (default: until Ctrl-C)")->type_name("DURATION");
    app.add_option("--db", m_db, "Sample store (default $XDG_STATE_HOME/stackfit/stackfit.db)")->type_name("FILE");
    app.add_option("--keep", m_keep, "Delete samples older than this, at start and while recording (e.g. 14d)")->type_name("DURATION");
    m_engine.configure(app);
    app.add_option("--cgroup-root", m_cgroup_root, "Where cgroups are mounted (default /sys/fs/cgroup)")
        ->type_name("DIR");
    app.add_option("--format", m_format, "Summary format: table | markdown | json | csv")->type_name("FORMAT");
    app.add_option("--listen", m_listen,
                   "Serve Prometheus /metrics while recording (a bare port binds 127.0.0.1)")
        ->type_name("[ADDR:]PORT");
  }

  Expected<int> run() override;

 private:
  Expected<RecordOptions> options() const;
  Expected<std::string> project_name() const;

  StackInput m_input;
  std::string m_project;
  bool m_all = false;
  std::vector<std::string> m_cgroups;
  bool m_kube_node = false;
  KubeNodeOptions m_kube;
  std::string m_interval = "1s";
  std::string m_duration;
  std::string m_db;
  std::string m_keep;
  EngineFlag m_engine;
  std::string m_cgroup_root = "/sys/fs/cgroup";
  std::string m_format = "table";
  std::string m_listen;
};

Expected<std::string> RecordCommand::project_name() const {
  if (!m_project.empty()) return m_project;
  auto stack = m_input.load();
  TRY(stack);
  return stack->name;
}

Expected<RecordOptions> RecordCommand::options() const {
  if (m_kube_node && (m_all || !m_project.empty())) {
    return make_error(ErrorCode::usage, "--kube-node: records the node's pods from their cgroups; it takes no --project or --all");
  }
  bool cgroups_only = (!m_cgroups.empty() || m_kube_node) && !m_all && m_project.empty();
  auto o = parse_record_flags(RecordFlags{m_interval, m_duration, m_cgroup_root, m_cgroups, m_engine.host},
                              cgroups_only ? EngineUse::none : EngineUse::required);
  if (!o) return o;
  if (o->interval_ms < 100) return make_error(ErrorCode::usage, "--interval: must be at least 100ms");
  if (!cgroups_only && !m_all) {
    auto project = project_name();
    TRY(project);
    o->filter.project = *project;
  }
  if (m_kube_node) o->kube_node = m_kube;
  return o;
}

Expected<int> RecordCommand::run() {
  auto format = parse_output_format(m_format);
  TRY(format);
  std::optional<ListenAddress> listen;
  if (!m_listen.empty()) {
    auto parsed = parse_listen_address(m_listen);
    TRY(parsed);
    listen = *parsed;
  }
  auto opts = options();
  TRY(opts);
  // Bound before the store is opened: a port in use leaves no file behind.
  std::unique_ptr<MetricsServer> server;
  if (listen) {
    auto started = MetricsServer::start(*listen);
    TRY(started);
    server = std::move(*started);
    opts->live_readings = LiveReadings::collect;
  }
  // The engine is asked first, so a socket that is missing, refused, not an
  // engine or too old leaves no store file behind.
  if (opts->engine_socket) {
    EngineClient probe(*opts->engine_socket);
    TRY(probe.version());
  }
  Environment env = process_environment();
  std::string db = m_db.empty() ? default_store_path(lookup(env, "XDG_STATE_HOME").value_or(""),
                                                     lookup(env, "HOME").value_or(""))
                                : m_db;
  auto store = SampleStore::open(db, m_db.empty() ? ParentFolder::create : ParentFolder::must_exist);
  TRY(store);
  const std::atomic<bool>& stop = install_stop_signals();
  SystemClock clock(stop_signal_wake_fd());
  if (!m_keep.empty()) {
    auto keep = parse_duration_ms(m_keep);
    if (!keep) return make_error(ErrorCode::usage, "--keep: " + keep.error().message);
    TRY(store->prune_before(clock.now_ns() - *keep * 1'000'000));
    opts->keep_ms = *keep;  // and again every retention_period_ms while recording
  }
  // Appending needs little cache; the default 2 MiB would be kept, and
  // counted in the recorder's RSS, for the whole recording.
  constexpr std::int64_t k_recorder_page_cache_kib = 256;
  TRY(store->limit_page_cache(k_recorder_page_cache_kib));
  TRY(store->skip_key_checks());

  bool tty = ::isatty(STDERR_FILENO) == 1;
  Recorder recorder(*opts, &*store, clock);
  // One line each; on a terminal the progress line is ended first.
  recorder.set_notice([tty](const std::string& line) {
    std::fprintf(stderr, "%sstackfit: %s\n", tty ? "\n" : "", line.c_str());
  });
  if (server) {
    ListenAddress bound = *listen;
    bound.port = server->port();
    std::fprintf(stderr, "stackfit: serving http://%s/metrics\n", bound.text().c_str());
  }
  auto started = recorder.run(stop, [&](const RecordProgress& p, const std::vector<LiveReading>& live) {
    if (server) server->publish(live);
    if (!tty) return;
    std::fprintf(stderr, "\rrecording %s  %zu containers  %lld samples  %lld OOM kills ",
                 clock_text(p.elapsed_ms).c_str(), p.containers, static_cast<long long>(p.samples),
                 static_cast<long long>(p.oom_kills));
  });
  if (tty) std::fputs("\n", stderr);
  TRY(started);

  RecordReport report{db, *started, clock.now_ns(), {}, {}};
  auto services = summarize_recording(*store, report.from_ns, report.to_ns);
  TRY(services);
  report.services = std::move(*services);
  if (auto healthy = time_to_healthy(*store, report.from_ns, report.to_ns); healthy) {
    report.time_to_healthy = std::move(*healthy);
  } else {
    return tl::unexpected(healthy.error());
  }
  if (!write_stdout(render_record_report(report, *format))) return make_error(ErrorCode::io, "stdout: write failed");
  return 0;
}

}  // namespace

std::unique_ptr<Command> make_record_command() { return std::make_unique<RecordCommand>(); }

}  // namespace stackfit::cli
