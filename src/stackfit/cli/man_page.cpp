#include "stackfit/cli/man_page.hpp"

namespace stackfit::cli {
namespace {

// Running text for roff: a backslash is \e, a line never starts with a
// control character (. or ').
std::string roff_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

// An option's names in bold with roff's minus signs: "\fB\-f\fR, \fB\-\-file\fR \fIFILE\fR".
std::string option_heading(const OptionSpec& option) {
  std::string out;
  auto add = [&out](const std::string& dashes, const std::string& name) {
    if (!out.empty()) out += ", ";
    out += "\\fB" + dashes + roff_text(name) + "\\fR";
  };
  for (const std::string& s : option.short_names) add("\\-", s);
  for (const std::string& l : option.long_names) add("\\-\\-", l);
  if (!option.value_name.empty()) out += " \\fI" + roff_text(option.value_name) + "\\fR";
  return out;
}

std::string options_block(const std::vector<OptionSpec>& options) {
  std::string out;
  for (const OptionSpec& option : options) {
    out += ".TP\n" + option_heading(option) + "\n" + roff_text(option.description) + "\n";
  }
  return out;
}

}  // namespace

std::string man_page(const ProgramSpec& program, const std::string& version) {
  std::string out = ".TH STACKFIT 1 \"\" \"" + program.name + " " + version + "\" \"User Commands\"\n";
  out += ".SH NAME\n" + program.name + " \\- " + roff_text(program.summary.substr(program.summary.find(':') + 2)) + "\n";
  out += ".SH SYNOPSIS\n.B " + program.name + "\n.I command\n.RI [ options ]\n";
  out += ".br\n.B " + program.name + " \\-\\-version\n";
  out += ".SH DESCRIPTION\n" + roff_text(program.summary) +
         ".\nIt reads Docker Compose files and Kubernetes manifests, records container usage into an SQLite "
         "store, recommends memory and CPU limits and plans fits.\n";
  out += ".SH OPTIONS\n" + options_block(program.options);
  out += ".SH COMMANDS\n";
  for (const CommandSpec& command : program.commands) {
    out += ".SS \"" + program.name + " " + command.name + "\"\n" + roff_text(command.summary) + ".\n";
    for (const PositionalSpec& positional : command.positionals) {
      out += ".TP\n\\fI" + roff_text(positional.name) + "\\fR\n" + roff_text(positional.description) + "\n";
    }
    out += options_block(command.options);
  }
  out +=
      ".SH EXIT STATUS\n"
      ".TP\n0\nsuccess\n"
      ".TP\n1\na check, verify, plan or doctor ran and found the stack does not fit or differs\n"
      ".TP\n2\nbad input or usage\n"
      ".TP\n3\nan I/O or environment failure (unreadable file, unreachable socket or server)\n"
      ".TP\n70\na bug in stackfit\n"
      ".PP\nEvery error is one line on standard error, starting \\(lqstackfit: \\(rq.\n"
      ".SH SEE ALSO\n\\fBdocker\\fR(1), \\fBkubectl\\fR(1), \\fBdocker\\-compose\\fR(1)\n";
  return out;
}

}  // namespace stackfit::cli
