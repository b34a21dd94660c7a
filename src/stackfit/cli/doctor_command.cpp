// `stackfit doctor`: host and engine facts that explain crashes, each a check
// (analyze/doctor_checks), and the kernel's OOM kills attributed to
// containers (observe/kernel_log_reader). Exit 0 all ok or warn, 1 any fail,
// 2 bad input, 3 engine unreachable. docs/doctor.md, docs/doctor-json.md.
#include <chrono>

#include "stackfit/analyze/cleanup_plan.hpp"
#include "stackfit/analyze/doctor_checks.hpp"
#include "stackfit/analyze/recorded_history.hpp"
#include "stackfit/analyze/usage_tee.hpp"
#include "stackfit/cli/commands.hpp"
#include "stackfit/cli/engine_flag.hpp"
#include "stackfit/cli/stack_input.hpp"
#include "stackfit/emit/doctor_report.hpp"
#include "stackfit/observe/cgroup_path_owner.hpp"
#include "stackfit/observe/engine_client.hpp"
#include "stackfit/observe/host_facts_reader.hpp"
#include "stackfit/observe/kernel_log_reader.hpp"
#include "stackfit/plan/budget_fit.hpp"
#include "stackfit/record/history_store.hpp"
#include "stackfit/util/duration.hpp"
#include "stackfit/util/environment.hpp"
#include "stackfit/util/file_io.hpp"

namespace stackfit::cli {
namespace {

// Containers inspected for restart loops and State.OOMKilled, at most.
constexpr std::size_t k_max_inspected_containers = 1000;

std::int64_t now_unix_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// RestartCount and State.OOMKilled of each container the engine lists.
Expected<std::vector<ContainerLifecycle>> lifecycles(EngineClient& engine, const EngineDiskUsage& usage) {
  std::vector<ContainerLifecycle> out;
  for (const EngineContainer& c : usage.containers) {
    if (out.size() >= k_max_inspected_containers) break;
    auto info = engine.inspect(c.id);
    if (!info) {
      if (info.error().code == ErrorCode::not_found) continue;  // removed meanwhile
      return tl::unexpected(info.error());
    }
    out.push_back({c.name, c.state, info->restart_count, info->oom_killed});
  }
  return out;
}

// Buckets of the stack's summed working set: 4096 of 1 s hold 68 minutes of
// a 1 s recording at its own resolution; longer ones merge into wider buckets.
constexpr std::size_t k_history_buckets = 4096;

// The store's window [from_ns, to_ns] in one pass: timelines (kills,
// restarts, the stack's sum) and each service's single-container peak.
Expected<RecordedHistory> read_recorded_history(const std::string& db, std::int64_t from_ns, std::int64_t to_ns,
                                                const std::optional<std::string>& project) {
  auto store = open_history_store(db);
  if (!store) return tl::unexpected(store.error());
  TimelineBuilder timelines(k_history_buckets);
  InstancePeaks peaks;
  UsageTee tee(timelines, peaks);
  UsageStreamFilter filter;
  filter.project = project;
  auto stats = store->stream_usage(from_ns, to_ns, filter, tee);
  if (!stats) return tl::unexpected(stats.error());
  std::map<std::string, std::string> projects;
  for (const StreamedService& s : stats->services) {  // (project, service) pairs are unique
    if (s.project.empty()) continue;
    std::string& p = projects[s.service];
    p += (p.empty() ? "" : ",") + s.project;
  }
  RecordedHistory history = fold_recorded_history(timelines.finish(), peaks.peaks(), projects);
  history.db_path = db;
  history.project = project.value_or("");
  history.recorded_projects = stats->projects;
  return history;
}

StackCommitment commitment_of(const Stack& stack) {
  StackTotals totals = compute_totals(stack);
  return {stack.name.empty() ? "(manifests)" : stack.name, totals.memory_committed, totals.unbounded_memory};
}

class DoctorCommand final : public Command {
 public:
  void configure(CLI::App& app) override {
    m_input.add_flags(app);
    m_engine.configure(app);
    app.add_option("--since", m_since, "OOM kills of the kernel log this far back (default 24h)")->type_name("DURATION");
    app.add_option("--kernel-log", m_kernel_log,
                   "kmsg, journal or dmesg: only that source; else a saved kernel log (dmesg, journalctl -o short-unix "
                   "or /dev/kmsg lines)")
        ->type_name("SOURCE|FILE");
    app.add_option("--db", m_db, "Add what this recording saw (default: $XDG_STATE_HOME/stackfit/stackfit.db when it exists)")
        ->type_name("FILE");
    app.add_option("--format", m_format, "table | markdown | json | csv")->type_name("FORMAT");
  }

  Expected<int> run() override {
    auto format = parse_output_format(m_format);
    if (!format) return tl::unexpected(format.error());
    auto since_ms = parse_duration_ms(m_since);
    if (!since_ms) return make_error(ErrorCode::usage, "--since: " + since_ms.error().message);
    DoctorReport report;
    std::optional<std::string> project;  // the Compose stack's, to read only its containers from the store
    if (m_input.has_stack_flags()) {
      auto stack = m_input.load();
      if (!stack) return tl::unexpected(stack.error());
      report.input.stack = commitment_of(*stack);
      if (stack->kind == StackKind::compose && !stack->name.empty()) project = stack->name;
    }
    // The store before the engine: a --db that is not there is bad input.
    const std::string db = history_store_path(m_db);
    if (!m_db.empty() || file_exists(db)) {
      std::int64_t to_ns = now_unix_ms() * 1'000'000;
      auto history = read_recorded_history(db, to_ns - *since_ms * 1'000'000, to_ns, project);
      if (!history) return tl::unexpected(history.error());
      history->since_text = m_since;
      report.input.history = std::move(*history);
    }
    auto socket = m_engine.socket(process_environment());
    if (!socket) return tl::unexpected(socket.error());
    report.socket = *socket;
    EngineClient engine(*socket);
    if (auto gathered = gather(engine, *since_ms, report.input); !gathered) return tl::unexpected(gathered.error());
    report.checks = run_doctor_checks(report.input);
    if (!write_stdout(render_doctor(report, *format))) return make_error(ErrorCode::io, "stdout: write failed");
    return doctor_exit_code(report.checks);
  }

 private:
  // Every fact the checks need: the engine's (GET only), the host's, the kernel log's.
  Expected<void> gather(EngineClient& engine, std::int64_t since_ms, DoctorInput& in) const {
    auto version = engine.version();
    if (!version) return tl::unexpected(version.error());
    auto info = engine.info();
    if (!info) return tl::unexpected(info.error());
    auto usage = engine.disk_usage();
    if (!usage) return tl::unexpected(usage.error());
    in.engine = std::move(*info);
    in.host = read_host_facts("/");
    in.engine.platform = classify_platform(in.engine, in.host);
    // The data root of an engine in a VM is a path inside the VM, not here.
    if (in.engine.platform == EnginePlatform::native) in.disk = read_disk_facts(in.engine.data_root);
    in.reclaimable = plan_cleanup(*usage, {}).total;
    auto lives = lifecycles(engine, *usage);
    if (!lives) return tl::unexpected(lives.error());
    in.containers = std::move(*lives);
    KernelLogOptions log_options = kernel_log_choice(m_kernel_log);
    log_options.since_unix_ms = now_unix_ms() - since_ms;
    KernelLogScan scan = scan_kernel_log(log_options);
    attribute_oom_kills(scan.kills, usage->containers);
    in.kernel_log = {scan.readable, scan.source, scan.problem, std::move(scan.kills), m_since};
    return {};
  }

  StackInput m_input;
  EngineFlag m_engine;
  std::string m_since = "24h";
  std::string m_kernel_log;
  std::string m_db;
  std::string m_format = "table";
};

}  // namespace

std::unique_ptr<Command> make_doctor_command() { return std::make_unique<DoctorCommand>(); }

}  // namespace stackfit::cli
