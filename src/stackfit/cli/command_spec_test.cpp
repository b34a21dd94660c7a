#include "stackfit/cli/command_spec.hpp"

#include <gtest/gtest.h>

#include "stackfit/cli/man_page.hpp"
#include "stackfit/cli/shell_completion.hpp"

namespace stackfit::cli {
namespace {

TEST(CommandSpec, ReadsVisibleCommandsFlagsValuesAndChoices) {
  CLI::App app{"stackfit: sizes stacks"};
  std::string file, shell;
  bool force = false;
  CLI::App* run = app.add_subcommand("run", "Run it");
  run->add_option("-f,--file", file, "A file")->type_name("FILE");
  run->add_flag("--force", force, "Overwrite");
  run->add_option("--secret", file, "hidden")->group("");
  run->add_option("shell", shell, "Which shell")->check(CLI::IsMember({"bash", "zsh"}));
  app.add_subcommand("internal", "hidden")->group("");

  ProgramSpec program = describe_program(app);
  ASSERT_EQ(program.commands.size(), 1u);
  const CommandSpec& command = program.commands[0];
  EXPECT_EQ(command.name, "run");
  ASSERT_EQ(command.options.size(), 3u);  // --help, -f/--file, --force
  EXPECT_EQ(command.options[1].short_names, std::vector<std::string>{"f"});
  EXPECT_EQ(command.options[1].value_name, "FILE");
  EXPECT_EQ(command.options[2].long_names, std::vector<std::string>{"force"});
  EXPECT_EQ(command.options[2].value_name, "");
  ASSERT_EQ(command.positionals.size(), 1u);
  EXPECT_EQ(command.positionals[0].choices, (std::vector<std::string>{"bash", "zsh"}));

  EXPECT_NE(bash_completion(program).find("run)\n      words='-h --help -f --file --force'\n"), std::string::npos);
  EXPECT_NE(fish_completion(program).find("-s f -l file -r -F -d 'A file'"), std::string::npos);
  EXPECT_NE(zsh_completion(program).find("'*--force[Overwrite]'"), std::string::npos);
  EXPECT_NE(man_page(program, "1.0").find(".TP\n\\fB\\-f\\fR, \\fB\\-\\-file\\fR \\fIFILE\\fR\nA file\n"),
            std::string::npos);
}

TEST(CommandSpec, QuotesDescriptionsForEachShellAndRoff) {
  ProgramSpec program{"stackfit", "stackfit: x", {}, {{"go", "It's [a]: b\\c", {}, {}}}};
  EXPECT_NE(bash_completion(program).find("go)"), std::string::npos);
  EXPECT_NE(zsh_completion(program).find("'go:It'\\''s \\[a\\]\\: b\\\\c'"), std::string::npos);
  EXPECT_NE(fish_completion(program).find("-d 'It\\'s [a]: b\\\\c'"), std::string::npos);
  EXPECT_NE(man_page(program, "1.0").find("It's [a]: b\\ec."), std::string::npos);
}

}  // namespace
}  // namespace stackfit::cli
