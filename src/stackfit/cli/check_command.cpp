// `stackfit check`: the CI gate. Exit 0 when the stack fits and no rule fails,
// 1 when it does not fit or a rule fails (at --fail-on severity), 2 on bad input.
#include "stackfit/analyze/sizing_rules.hpp"
#include "stackfit/cli/commands.hpp"
#include "stackfit/cli/stack_input.hpp"
#include "stackfit/emit/check_report.hpp"
#include "stackfit/plan/budget_fit.hpp"
#include "stackfit/plan/machine_catalog.hpp"
#include "stackfit/plan/target_resolution.hpp"

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
    app.add_option("--nodes", m_nodes, "Nodes to count DaemonSets on (default 1)")->type_name("N")
        ->check(CLI::PositiveNumber);
  }

  Expected<int> run() override {
    auto format = parse_output_format(m_format);
    if (!format) return tl::unexpected(format.error());
    if (m_fail_on != "failure" && m_fail_on != "warning") {
      return make_error(ErrorCode::usage, "--fail-on: expected failure or warning, got \"" + m_fail_on + "\"");
    }
    auto budget = resolve_budget();
    if (!budget) return tl::unexpected(budget.error());
    auto stack = m_input.load();
    if (!stack) return tl::unexpected(stack.error());

    CheckOutcome outcome;
    outcome.fail_on = m_fail_on == "warning" ? Severity::warning : Severity::failure;
    outcome.totals = compute_totals(*stack, m_nodes);
    if (*budget) {
      outcome.fit = fit_budget(*stack, **budget);
      outcome.findings = outcome.fit->findings;
    }
    for (Finding& f : run_sizing_rules(*stack)) outcome.findings.push_back(std::move(f));
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

  // The target named by --budget or --machine (with --reserve), or none;
  // resolved before the stack is read, so a bad target is reported first.
  Expected<std::optional<Budget>> resolve_budget() const {
    MachineCatalog catalog = MachineCatalog::builtin();
    if (!m_catalog.empty()) {
      if (auto ok = catalog.add_from_file(m_catalog); !ok) return tl::unexpected(ok.error());
    }
    auto target = resolve_target(TargetRequest{m_budget, m_machine, m_reserve}, catalog, m_input.kind());
    if (!target) return tl::unexpected(target.error());
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
};

}  // namespace

std::unique_ptr<Command> make_check_command() { return std::make_unique<CheckCommand>(); }

}  // namespace stackfit::cli
