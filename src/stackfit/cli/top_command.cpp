// `stackfit top`: a live table like `docker stats`, redrawn in place, with
// limit, % of limit, peak, OOM kills, restarts, CPU, the share of CFS
// periods throttled since top started, and the limit stackfit
// would set (peak + 15%, rounded up to 4 MiB). Exits on q or Ctrl-C. When
// stdout is not a terminal it prints plain lines, one per container per tick.
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <thread>

#include "stackfit/cli/commands.hpp"
#include "stackfit/cli/engine_flag.hpp"
#include "stackfit/cli/record_flags.hpp"
#include "stackfit/cli/signal_stop.hpp"
#include "stackfit/cli/stack_input.hpp"
#include "stackfit/model/cpu_throttling.hpp"
#include "stackfit/record/recorder.hpp"
#include "stackfit/util/text_table.hpp"

namespace stackfit::cli {
namespace {

// Keys without Enter and without echo, restored on scope exit.
class RawTerminal {
 public:
  RawTerminal() {
    if (::isatty(STDIN_FILENO) != 1 || ::tcgetattr(STDIN_FILENO, &m_saved) != 0) return;
    termios raw = m_saved;
    raw.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO));
    m_active = ::tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
  }
  ~RawTerminal() {
    if (m_active) ::tcsetattr(STDIN_FILENO, TCSANOW, &m_saved);
  }
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

 private:
  termios m_saved{};
  bool m_active = false;
};

// The limit `top` suggests: peak working set + 15%, rounded up to 4 MiB.
Bytes would_set(Bytes peak) {
  constexpr std::int64_t k_step = 4 * k_mib;
  std::int64_t with_margin = peak.count + peak.count * 15 / 100;
  return Bytes{(with_margin + k_step - 1) / k_step * k_step};
}

std::string percent(Bytes used, const std::optional<Bytes>& limit) {
  if (!limit || limit->count <= 0) return "-";
  return std::to_string(used.count * 100 / limit->count) + "%";
}

// Share of CFS periods throttled since top started ("-": no CPU limit).
std::string throttled_text(const LiveReading& r) {
  auto pct = r.throttling ? throttled_percent(*r.throttling) : std::nullopt;
  if (!pct) return "-";
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%", *pct);
  return text;
}

std::string display_name(const LiveReading& r) { return r.info.service.empty() ? r.info.name : r.info.service; }

void sort_readings(std::vector<LiveReading>& rows, const std::string& key) {
  auto by = [&](const LiveReading& a, const LiveReading& b) {
    if (key == "name") return display_name(a) < display_name(b);
    if (key == "cpu") return a.cpu.value_or(Millicores{}).count > b.cpu.value_or(Millicores{}).count;
    if (key == "pct" && a.limit && b.limit) {
      return a.sample.working_set.count * b.limit->count > b.sample.working_set.count * a.limit->count;
    }
    return a.sample.working_set > b.sample.working_set;
  };
  std::stable_sort(rows.begin(), rows.end(), by);
}

std::string render_table(std::vector<LiveReading> rows, const std::string& sort_key) {
  sort_readings(rows, sort_key);
  TextTable t({"SERVICE", "CONTAINER", "USAGE", "LIMIT", "%", "PEAK", "OOM", "RESTARTS", "CPU", "THROTTLED",
               "WOULD SET"},
              {Align::left, Align::left, Align::right, Align::right, Align::right, Align::right, Align::right,
               Align::right, Align::right, Align::right, Align::right});
  for (const LiveReading& r : rows) {
    t.add_row({display_name(r), r.info.name, format_human_bytes(r.sample.working_set),
               r.limit ? format_human_bytes(*r.limit) : "-", percent(r.sample.working_set, r.limit),
               format_human_bytes(r.peak_working_set), std::to_string(r.oom_kills_seen),
               std::to_string(r.info.restart_count), r.cpu ? format_human_cpu(*r.cpu) : "-", throttled_text(r),
               format_human_bytes(would_set(r.peak_working_set))});
  }
  return t.to_text();
}

std::string render_lines(const std::vector<LiveReading>& rows, std::int64_t elapsed_ms) {
  std::string out;
  for (const LiveReading& r : rows) {
    out += "t=" + std::to_string(elapsed_ms) + "ms service=" + display_name(r) + " container=" + r.info.name +
           " working_set_bytes=" + std::to_string(r.sample.working_set.count) +
           " limit_bytes=" + (r.limit ? std::to_string(r.limit->count) : "none") +
           " peak_bytes=" + std::to_string(r.peak_working_set.count) +
           " oom_kills=" + std::to_string(r.oom_kills_seen) +
           " cpu_millicores=" + (r.cpu ? std::to_string(r.cpu->count) : "none") +
           " cpu_periods=" + std::to_string(r.throttling ? r.throttling->periods : 0) +
           " cpu_throttled_periods=" + std::to_string(r.throttling ? r.throttling->throttled_periods : 0) + "\n";
  }
  return out;
}

class TopCommand final : public Command {
 public:
  void configure(CLI::App& app) override {
    m_input.add_flags(app);
    app.add_option("--project", m_project, "Show the containers of this Compose project")->type_name("NAME");
    app.add_flag("--all", m_all, "Show every running container (default when no -f/--project is given)");
    app.add_option("--interval", m_interval, "Refresh interval (default 1s)")->type_name("DURATION");
    app.add_option("--duration", m_duration, "Stop after this long")->type_name("DURATION");
    app.add_option("--sort", m_sort, "mem | pct | cpu | name (default mem)")->type_name("KEY");
    m_engine.configure(app);
    app.add_option("--cgroup", m_cgroups, "Show a plain cgroup instead (repeatable)")->type_name("PATH");
    app.add_option("--cgroup-root", m_cgroup_root, "Where cgroups are mounted")->type_name("DIR");
  }

  Expected<int> run() override;

 private:
  Expected<RecordOptions> options() const;

  StackInput m_input;
  std::string m_project;
  bool m_all = false;
  std::string m_interval = "1s";
  std::string m_duration;
  std::string m_sort = "mem";
  EngineFlag m_engine;
  std::vector<std::string> m_cgroups;
  std::string m_cgroup_root = "/sys/fs/cgroup";
};

Expected<RecordOptions> TopCommand::options() const {
  if (m_sort != "mem" && m_sort != "pct" && m_sort != "cpu" && m_sort != "name") {
    return make_error(ErrorCode::usage, "--sort: expected mem, pct, cpu or name, got \"" + m_sort + "\"");
  }
  auto o = parse_record_flags(RecordFlags{m_interval, m_duration, m_cgroup_root, m_cgroups, m_engine.host},
                              m_cgroups.empty() ? EngineUse::required : EngineUse::none);
  if (!o) return o;
  o->interval_ms = std::max<std::int64_t>(o->interval_ms, 100);
  o->live_readings = LiveReadings::collect;
  if (!o->engine_socket) return o;
  if (!m_project.empty()) {
    o->filter.project = m_project;
  } else if (!m_all && m_input.has_stack_flags()) {
    auto stack = m_input.load();
    TRY(stack);
    o->filter.project = stack->name;
  }
  return o;
}

Expected<int> TopCommand::run() {
  auto opts = options();
  TRY(opts);
  const std::atomic<bool>& signalled = install_stop_signals();
  std::atomic<bool> quit{false};
  bool interactive = ::isatty(STDOUT_FILENO) == 1;
  RawTerminal raw;
  std::thread keys([&] {
    // Bounded by `quit`: polls stdin and the signal flag every 100 ms.
    while (!quit.load()) {
      if (signalled.load()) quit.store(true);
      pollfd p{STDIN_FILENO, POLLIN, 0};
      if (interactive && ::poll(&p, 1, 100) == 1) {
        char c = 0;
        if (::read(STDIN_FILENO, &c, 1) == 1 && (c == 'q' || c == 'Q')) quit.store(true);
      } else if (!interactive) {
        ::usleep(100'000);
      }
    }
  });
  SystemClock clock;
  Recorder recorder(*opts, nullptr, clock);
  auto done = recorder.run(quit, [&](const RecordProgress& p, const std::vector<LiveReading>& rows) {
    if (interactive) {
      write_stdout("\x1b[H\x1b[2J" + render_table(rows, m_sort) + "\n" + std::to_string(p.containers) +
                   " containers, " + std::to_string(p.elapsed_ms / 1000) + " s — q to quit\n");
    } else {
      write_stdout(render_lines(rows, p.elapsed_ms));
    }
  });
  quit.store(true);
  keys.join();
  TRY(done);
  return 0;
}

}  // namespace

std::unique_ptr<Command> make_top_command() { return std::make_unique<TopCommand>(); }

}  // namespace stackfit::cli
