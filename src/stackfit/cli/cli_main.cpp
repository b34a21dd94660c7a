#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>
#include <string_view>

#include "stackfit/cli/command.hpp"
#include "stackfit/cli/command_suggestion.hpp"
#include "stackfit/cli/build_info.hpp"
#include "stackfit/cli/cli_plugin.hpp"

namespace stackfit::cli {

bool write_stdout(const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(STDOUT_FILENO, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

namespace {

// Longest error line printed (bytes after "stackfit: "); a longer one (a
// 128 KiB argument echoed back) keeps its start and its end, where the reason
// is, around " ... ". Cuts fall on UTF-8 character starts.
constexpr std::size_t k_max_error_bytes = 1024;

std::size_t char_start(const std::string& text, std::size_t i) {
  while (i > 0 && i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) --i;
  return i;
}

void print_error(std::string message) {
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (message.size() > k_max_error_bytes) {
    std::size_t head = char_start(message, 640);
    std::size_t tail = char_start(message, message.size() - 320);
    message = message.substr(0, head) + " ... " + message.substr(tail);
  }
  std::fprintf(stderr, "stackfit: %s\n", message.c_str());
}

// A CLI11 message on one line ("The following argument was not expected: x").
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace

namespace {

int run_commands(int argc, char** argv);

}  // namespace

int run_cli(int argc, char** argv) {
  // docker-stackfit (cli_plugin): Docker asks for the metadata, or runs
  // `docker-stackfit stackfit ARGS`; the "stackfit" is dropped (once).
  PluginCall plugin = docker_plugin_call(argc, argv);
  if (plugin == PluginCall::metadata) return write_stdout(docker_plugin_metadata(STACKFIT_VERSION)) ? 0 : 3;
  if (plugin == PluginCall::command) {
    argv[1] = argv[0];
    return run_commands(argc - 1, argv + 1);
  }
  return run_commands(argc, argv);
}

namespace {

int run_commands(int argc, char** argv) {
  CLI::App app{"stackfit: how much memory and CPU each service of a container stack needs, and whether it fits"};
  // CLI11 ends the version text with its own newline.
  app.set_version_flag("--version", [] {
    std::string text = build_info_text(build_info());
    text.pop_back();
    return text;
  });
  app.require_subcommand(1);
  app.fallthrough(false);

  std::vector<std::unique_ptr<Command>> commands;
  std::vector<CLI::App*> subcommands;
  for (const CommandEntry& entry : command_table()) {
    commands.push_back(entry.make());
    CLI::App* sub = app.add_subcommand(entry.name, entry.summary);
    if (entry.hidden) sub->group("");
    commands.back()->configure(*sub);
    subcommands.push_back(sub);
  }

  // The first word names the command; CLI11 would only say "A subcommand is
  // required" for a mistyped one.
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> names;  // suggested: the visible commands
    bool known = false;
    for (const CommandEntry& entry : command_table()) {
      known = known || std::string_view(entry.name) == argv[1];
      if (!entry.hidden) names.emplace_back(entry.name);
    }
    if (!known) {
      print_error("usage: " + unknown_command_message(argv[1], names));
      return 2;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (argc <= 1) {
      std::fputs(app.help().c_str(), stderr);
      return 2;
    }
    print_error("usage: " + one_line(e.what()) + " (see --help)");
    return 2;
  }

  for (std::size_t i = 0; i < subcommands.size(); ++i) {
    if (!subcommands[i]->parsed()) continue;
    Expected<int> result = commands[i]->run();
    if (!result) {
      print_error(result.error().message);
      return exit_code_for(result.error().code);
    }
    return *result;
  }
  return 2;
}

}  // namespace

}  // namespace stackfit::cli
