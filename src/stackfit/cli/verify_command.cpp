// `stackfit verify`: do the running containers of the Compose project carry
// the limits its files declare? Exit 0 when every running container matches
// and every declared service runs, 1 on any mismatch, 2 on bad input, 3 when
// the engine cannot be used. Output: table, markdown, csv or JSON
// (docs/verify-json.md).
#include "stackfit/analyze/stack_verify.hpp"
#include "stackfit/cli/commands.hpp"
#include "stackfit/cli/engine_flag.hpp"
#include "stackfit/cli/stack_input.hpp"
#include "stackfit/emit/verify_report.hpp"
#include "stackfit/observe/engine_client.hpp"
#include "stackfit/util/environment.hpp"

namespace stackfit::cli {
namespace {

class VerifyCommand final : public Command {
 public:
  void configure(CLI::App& app) override {
    m_input.add_flags(app);
    m_engine.configure(app);
    app.add_option("--format", m_format, "table | markdown | json | csv")->type_name("FORMAT");
  }

  Expected<int> run() override {
    auto format = parse_output_format(m_format);
    TRY(format);
    auto stack = m_input.load();
    TRY(stack);
    if (stack->kind != StackKind::compose) {
      return make_error(ErrorCode::usage, "verify: compares a Compose project with its running containers; "
                                          "Kubernetes manifests (-k) are not supported");
    }
    Environment env = process_environment();
    auto socket = m_engine.socket(env);
    TRY(socket);
    EngineClient engine(*socket);
    TRY(engine.version());
    auto ids = engine.list_container_ids(ContainerFilter{stack->name});
    TRY(ids);
    std::vector<ContainerInfo> running;
    for (const std::string& id : *ids) {
      auto info = engine.inspect(id);
      if (!info) {
        if (info.error().code == ErrorCode::not_found) continue;  // removed meanwhile
        return tl::unexpected(info.error());
      }
      running.push_back(std::move(*info));
    }
    VerifyOutcome outcome = verify_stack(*stack, running);
    if (!write_stdout(render_verify(outcome, *format))) return make_error(ErrorCode::io, "stdout: write failed");
    return outcome.matches() ? 0 : 1;
  }

 private:
  StackInput m_input;
  EngineFlag m_engine;
  std::string m_format = "table";
};

}  // namespace

std::unique_ptr<Command> make_verify_command() { return std::make_unique<VerifyCommand>(); }

}  // namespace stackfit::cli
