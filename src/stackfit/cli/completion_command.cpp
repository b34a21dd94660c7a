// `stackfit completion bash|zsh|fish` prints a completion script, and the
// hidden `stackfit manpage` prints stackfit(1) (the build runs it): both
// generated from the app the command table configured (command_spec), so
// they list every command and flag the binary parses.
#include "stackfit/cli/command_spec.hpp"
#include "stackfit/cli/commands.hpp"
#include "stackfit/cli/man_page.hpp"
#include "stackfit/cli/shell_completion.hpp"

namespace stackfit::cli {
namespace {

class CompletionCommand final : public Command {
 public:
  void configure(CLI::App& app) override {
    m_app = &app;
    app.add_option("shell", m_shell, "The shell to print the completion script for")
        ->required()
        ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  }

  Expected<int> run() override {
    const ProgramSpec program = describe_program(*m_app->get_parent());
    std::string script = m_shell == "bash"  ? bash_completion(program)
                         : m_shell == "zsh" ? zsh_completion(program)
                                            : fish_completion(program);
    if (!write_stdout(script)) return make_error(ErrorCode::io, "stdout: write failed");
    return 0;
  }

 private:
  CLI::App* m_app = nullptr;
  std::string m_shell;
};

class ManPageCommand final : public Command {
 public:
  void configure(CLI::App& app) override { m_app = &app; }

  Expected<int> run() override {
    if (!write_stdout(man_page(describe_program(*m_app->get_parent()), STACKFIT_VERSION))) {
      return make_error(ErrorCode::io, "stdout: write failed");
    }
    return 0;
  }

 private:
  CLI::App* m_app = nullptr;
};

}  // namespace

std::unique_ptr<Command> make_completion_command() { return std::make_unique<CompletionCommand>(); }
std::unique_ptr<Command> make_manpage_command() { return std::make_unique<ManPageCommand>(); }

}  // namespace stackfit::cli
