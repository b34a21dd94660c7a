#include "stackfit/cli/command_spec.hpp"

namespace stackfit::cli {
namespace {

// CLI11 names an IsMember check "{bash,zsh,fish}" inside the type name
// ("TEXT:{bash,zsh,fish}"): the choices are the comma-separated words.
std::vector<std::string> choices_of(const std::string& type_name) {
  std::vector<std::string> choices;
  std::size_t open = type_name.find('{');
  std::size_t close = type_name.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return choices;
  std::string word;
  for (char c : type_name.substr(open + 1, close - open - 1)) {
    if (c == ',') {
      choices.push_back(word);
      word.clear();
    } else if (c != ' ') {
      word += c;
    }
  }
  if (!word.empty()) choices.push_back(word);
  return choices;
}

OptionSpec option_spec(const CLI::Option& option) {
  OptionSpec spec{option.get_snames(), option.get_lnames(), option.get_description(), ""};
  if (option.get_expected_min() > 0) {
    spec.value_name = option.get_type_name();
    std::size_t colon = spec.value_name.find(':');
    if (colon != std::string::npos) spec.value_name.resize(colon);
    if (spec.value_name.empty()) spec.value_name = "VALUE";
  }
  return spec;
}

void add_options(const CLI::App& app, std::vector<OptionSpec>& options, std::vector<PositionalSpec>* positionals) {
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group().empty()) continue;
    if (option->nonpositional()) {
      options.push_back(option_spec(*option));
    } else if (positionals != nullptr) {
      positionals->push_back({option->get_name(true), option->get_description(), choices_of(option->get_type_name())});
    }
  }
}

}  // namespace

ProgramSpec describe_program(const CLI::App& root) {
  // The name is fixed: CLI11 names the root app after argv[0] ("build/stackfit", "docker-stackfit").
  ProgramSpec program{"stackfit", root.get_description(), {}, {}};
  add_options(root, program.options, nullptr);
  for (const CLI::App* sub : root.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_group().empty()) continue;
    CommandSpec command{sub->get_name(), sub->get_description(), {}, {}};
    add_options(*sub, command.options, &command.positionals);
    program.commands.push_back(std::move(command));
  }
  return program;
}

}  // namespace stackfit::cli
