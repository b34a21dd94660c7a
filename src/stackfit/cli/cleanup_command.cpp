// `stackfit cleanup`: stopped containers, dangling images, unused anonymous
// volumes and build cache (analyze/cleanup_plan). A dry run by default;
// --force removes them through observe/engine_writer, the only code that
// writes to the engine. Exit 0 done, 1 the engine refused an item (one line
// each on stderr; the rest goes on), 2 bad input, 3 engine unreachable.
// docs/cleanup.md, docs/cleanup-json.md.
#include <iostream>

#include "stackfit/analyze/cleanup_plan.hpp"
#include "stackfit/cli/commands.hpp"
#include "stackfit/cli/engine_flag.hpp"
#include "stackfit/cli/stack_input.hpp"
#include "stackfit/emit/cleanup_report.hpp"
#include "stackfit/observe/engine_client.hpp"
#include "stackfit/observe/engine_writer.hpp"
#include "stackfit/util/environment.hpp"

namespace stackfit::cli {
namespace {

// "container shop_web_1 (3f2a9c1b0d4e)", "image sha256:5d1e…", "volume data"
std::string item_label(const CleanupItem& item) {
  std::string label = std::string(to_string(item.kind)) + " " + item.name;
  if (item.kind == CleanupKind::container) label += " (" + item.id.substr(0, 12) + ")";
  if (item.kind == CleanupKind::image) label = "image " + item.id.substr(0, 19);
  return label;
}

// Removes every item, in the plan's order; fills report.errors and .reclaimed.
void remove_all(EngineWriter& writer, CleanupReport& report) {
  std::optional<Expected<Bytes>> pruned;  // the build cache goes in one request
  for (const CleanupItem& item : report.plan.items) {
    Expected<void> done;
    switch (item.kind) {
      case CleanupKind::container: done = writer.remove_container(item.id); break;
      case CleanupKind::image: done = writer.remove_image(item.id); break;
      case CleanupKind::volume: done = writer.remove_volume(item.id); break;
      case CleanupKind::build_cache: {
        if (!pruned) {
          pruned = writer.prune_build_cache();
          if (*pruned) report.reclaimed = report.reclaimed + **pruned;
        }
        if (!*pruned) done = tl::unexpected(pruned->error());
        break;
      }
    }
    if (done && item.kind != CleanupKind::build_cache) report.reclaimed = report.reclaimed + item.bytes;
    report.errors.push_back(done ? "" : done.error().message);
    if (!done) std::cerr << "stackfit: cleanup: " << item_label(item) << ": " << done.error().message << "\n";
  }
}

class CleanupCommand final : public Command {
 public:
  void configure(CLI::App& app) override {
    m_input.add_flags(app);
    m_engine.configure(app);
    app.add_option("--project", m_project, "Only this Compose project's stopped containers (and unused named volumes)")
        ->type_name("NAME");
    app.add_option("--volumes", m_volumes, "anonymous (default) | named: also named volumes no container uses and no -f file declares")
        ->type_name("WHICH");
    app.add_flag("--force", m_force, "Remove them (default: a dry run that changes nothing)");
    app.add_option("--format", m_format, "table | markdown | json | csv")->type_name("FORMAT");
  }

  Expected<int> run() override {
    auto format = parse_output_format(m_format);
    if (!format) return tl::unexpected(format.error());
    if (m_volumes != "anonymous" && m_volumes != "named") {
      return make_error(ErrorCode::usage, "--volumes: expected anonymous or named, got \"" + m_volumes + "\"");
    }
    CleanupOptions options;
    options.project = m_project;
    options.named_volumes = m_volumes == "named" ? NamedVolumes::include_unused : NamedVolumes::keep;
    if (m_input.has_stack_flags()) {
      auto stack = m_input.load();
      if (!stack) return tl::unexpected(stack.error());
      options.stack_volumes = stack->volume_names;
    }
    auto socket = m_engine.socket(process_environment());
    if (!socket) return tl::unexpected(socket.error());
    EngineClient engine(*socket);
    auto version = engine.version();
    if (!version) return tl::unexpected(version.error());
    auto usage = engine.disk_usage();
    if (!usage) return tl::unexpected(usage.error());
    CleanupReport report;
    report.dry_run = !m_force;
    report.plan = plan_cleanup(*usage, options);
    if (m_force) {
      EngineWriter writer(*socket, *version);
      remove_all(writer, report);
    }
    if (!write_stdout(render_cleanup(report, *format))) return make_error(ErrorCode::io, "stdout: write failed");
    for (const std::string& e : report.errors) {
      if (!e.empty()) return 1;
    }
    return 0;
  }

 private:
  StackInput m_input;
  EngineFlag m_engine;
  std::string m_project;
  std::string m_volumes = "anonymous";
  bool m_force = false;
  std::string m_format = "table";
};

}  // namespace

std::unique_ptr<Command> make_cleanup_command() { return std::make_unique<CleanupCommand>(); }

}  // namespace stackfit::cli
