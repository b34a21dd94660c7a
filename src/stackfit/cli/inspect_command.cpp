// `stackfit inspect`: what the stack declares, per service and in total.
#include "stackfit/cli/commands.hpp"
#include "stackfit/cli/stack_input.hpp"
#include "stackfit/emit/inspect_report.hpp"
#include "stackfit/plan/budget_fit.hpp"

namespace stackfit::cli {
namespace {

class InspectCommand final : public Command {
 public:
  void configure(CLI::App& app) override {
    m_input.add_flags(app);
    app.add_option("--format", m_format, "table | markdown | json | csv")->type_name("FORMAT");
    app.add_option("--nodes", m_nodes, "Nodes to count DaemonSets on (default 1)")->type_name("N")
        ->check(CLI::PositiveNumber);
    app.add_flag("-v,--verbose", m_verbose, "Also list source files and Kubernetes kinds read but not sized");
  }

  Expected<int> run() override {
    auto format = parse_output_format(m_format);
    TRY(format);
    auto stack = m_input.load();
    TRY(stack);
    StackTotals totals = compute_totals(*stack, m_nodes);
    if (!write_stdout(render_inspect(*stack, totals, *format, m_verbose ? Verbosity::verbose : Verbosity::normal))) {
      return make_error(ErrorCode::io, "stdout: write failed");
    }
    return 0;
  }

 private:
  StackInput m_input;
  std::string m_format = "table";
  std::int64_t m_nodes = 1;
  bool m_verbose = false;
};

}  // namespace

std::unique_ptr<Command> make_inspect_command() { return std::make_unique<InspectCommand>(); }

}  // namespace stackfit::cli
