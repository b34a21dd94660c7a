// `stackfit version`: how this binary was built (util/build_info), the same
// block as `stackfit --version`, or JSON (docs/version-json.md). Like
// `docker version` and `kubectl version --client`, nothing is contacted.
#include "stackfit/cli/commands.hpp"
#include "stackfit/cli/build_info.hpp"

namespace stackfit::cli {
namespace {

class VersionCommand final : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_option("--format", m_format, "table | json")->type_name("FORMAT");
  }

  Expected<int> run() override {
    if (m_format != "table" && m_format != "json") {
      return make_error(ErrorCode::usage, "--format: unknown format \"" + m_format + "\" (table, json)");
    }
    const BuildInfo& info = build_info();
    const std::string text = m_format == "json" ? build_info_json(info) : build_info_text(info);
    if (!write_stdout(text)) return make_error(ErrorCode::io, "stdout: write failed");
    return 0;
  }

 private:
  std::string m_format = "table";
};

}  // namespace

std::unique_ptr<Command> make_version_command() { return std::make_unique<VersionCommand>(); }

}  // namespace stackfit::cli
