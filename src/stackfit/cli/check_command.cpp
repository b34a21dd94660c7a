// `stackfit check`: the CI gate. Exit 0 when the stack fits and no rule fails,
// 1 when it does not fit or a rule fails (at --fail-on severity), 2 on bad input.
// With --db, the usage rules judge recorded history too (record/check_usage).
#include "stackfit/analyze/sizing_rules.hpp"
#include "stackfit/cli/commands.hpp"
#include "stackfit/cli/stack_input.hpp"
#include "stackfit/emit/check_report.hpp"
#include "stackfit/plan/budget_fit.hpp"
#include "stackfit/plan/machine_catalog.hpp"
#include "stackfit/plan/target_resolution.hpp"
#include "stackfit/record/check_usage.hpp"
#include "stackfit/util/clock.hpp"
#include "stackfit/util/duration.hpp"

namespace stackfit::cli {
namespace {

class CheckCommand final : public Command {
 public:
  void configure(CLI::App& app) override {
    m_input.add_flags(app);
    auto* budget = app.add_option("--budget", m_budget, "Memory the stack must fit in (1Gi, 512Mi, 1GiB, 1g)")
                       ->type_name("SIZE");
    auto* machine = app.add_option("--machine", m_machine, "Machine from the catalog (see `stackfit machines`; also docker-desktop:6g, wsl2:32g)")
                        ->type_name("NAME");
    budget->excludes(machine);
    app.add_option("--reserve", m_reserve,
                   "Memory kept by OS and engine (default: the machine's; 0 with --budget)")
        ->type_name("SIZE");
    app.add_option("--catalog", m_catalog, "Extra machines from a YAML file")->type_name("FILE");
    app.add_option("--fail-on", m_fail_on, "Lowest severity that fails the check: failure | warning")
        ->type_name("SEVERITY");
    app.add_option("--format", m_format, "table | markdown | json | csv")->type_name("FORMAT");
    app.add_option("--db", m_db, "Also judge recorded usage from this sample store (usage rules)")->type_name("FILE");
    app.add_option("--since", m_since, "With --db: history to judge, back from now (default 14d)")
        ->type_name("DURATION");
    app.add_option("--sustained", m_sustained, "With --db: how long CPU must stay above 80% of its limit (default 5m)")
        ->type_name("DURATION");
    app.add_option("--nodes", m_nodes, "Nodes to count DaemonSets on (default 1)")->type_name("N")
        ->check(CLI::PositiveNumber);
  }

  Expected<int> run() override {
    auto format = parse_output_format(m_format);
    TRY(format);
    if (m_fail_on != "failure" && m_fail_on != "warning") {
      return make_error(ErrorCode::usage, "--fail-on: expected failure or warning, got \"" + m_fail_on + "\"");
    }
    auto usage = usage_request();
    TRY(usage);
    auto budget = resolve_budget();
    TRY(budget);
    CheckOutcome outcome;
    outcome.fail_on = m_fail_on == "warning" ? Severity::warning : Severity::failure;
    // --db alone judges the recording only; a stack (named, or found in the
    // folder without --db) is checked as before.
    if (m_db.empty() || m_input.has_stack_flags() || budget->has_value()) {
      auto stack = m_input.load();
      TRY(stack);
      outcome.totals = compute_totals(*stack, m_nodes);
      if (*budget) {
        outcome.fit = fit_budget(*stack, **budget);
        outcome.findings = outcome.fit->findings;
      }
      for (Finding& f : run_sizing_rules(*stack)) outcome.findings.push_back(std::move(f));
      if (*usage && stack->kind == StackKind::compose && !stack->name.empty()) (*usage)->project = stack->name;
    }
    if (*usage) {
      auto found = check_recorded_usage(**usage);
      TRY(found);
      for (Finding& f : *found) outcome.findings.push_back(std::move(f));
      outcome.usage_db = m_db;
    }
    outcome.passed = !has_severity_at_least(outcome.findings, outcome.fail_on) && (!outcome.fit || outcome.fit->fits);
    if (!write_stdout(render_check(outcome, *format))) return make_error(ErrorCode::io, "stdout: write failed");
    return outcome.passed ? 0 : 1;
  }

 private:
  static bool has_severity_at_least(const std::vector<Finding>& findings, Severity level) {
    for (const Finding& f : findings) {
      if (f.severity == Severity::failure) return true;
      if (level == Severity::warning && f.severity == Severity::warning) return true;
    }
    return false;
  }

  // The usage rules' request from --db, --since and --sustained (none
  // without --db); the window ends now.
  Expected<std::optional<UsageCheckRequest>> usage_request() const {
    auto since_ms = parse_duration_ms(m_since);
    if (!since_ms) return make_error(ErrorCode::usage, "--since: " + since_ms.error().message);
    auto sustained_ms = parse_duration_ms(m_sustained);
    if (!sustained_ms || *sustained_ms <= 0) {
      return make_error(ErrorCode::usage,
                        "--sustained: " + (sustained_ms ? std::string("must be above 0") : sustained_ms.error().message));
    }
    if (m_db.empty()) return std::optional<UsageCheckRequest>{};
    UsageCheckRequest request;
    request.db_path = m_db;
    request.to_ns = SystemClock().now_ns();
    request.from_ns = request.to_ns - *since_ms * 1'000'000;
    request.options.sustained_ns = *sustained_ms * 1'000'000;
    return std::optional<UsageCheckRequest>{request};
  }

  // The target named by --budget or --machine (with --reserve), or none;
  // resolved before the stack is read, so a bad target is reported first.
  Expected<std::optional<Budget>> resolve_budget() const {
    MachineCatalog catalog = MachineCatalog::builtin();
    if (!m_catalog.empty()) {
      TRY(catalog.add_from_file(m_catalog));
    }
    auto target = resolve_target(TargetRequest{m_budget, m_machine, m_reserve}, catalog, m_input.kind());
    TRY(target);
    if (!*target) return std::optional<Budget>{};
    return (*target)->budget();
  }

  StackInput m_input;
  std::string m_budget;
  std::string m_machine;
  std::string m_reserve;
  std::string m_catalog;
  std::string m_fail_on = "failure";
  std::string m_format = "table";
  std::int64_t m_nodes = 1;
  std::string m_db;
  std::string m_since = "14d";
  std::string m_sustained = "5m";
};

}  // namespace

std::unique_ptr<Command> make_check_command() { return std::make_unique<CheckCommand>(); }

}  // namespace stackfit::cli
