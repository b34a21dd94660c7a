// `stackfit apply`: writes targets (today from `recommend --format json`) in
// the files the team already uses — a new Compose override file, or a kustomize
// patch plus its kustomization entry — or prints them (--dry-run, --format
// kubectl, --to kubernetes). The core takes a Stack and ResourceTargets only,
// so other sources of targets can feed it.
#include <filesystem>

#include "stackfit/cli/commands.hpp"
#include "stackfit/cli/stack_input.hpp"
#include "stackfit/emit/apply_report.hpp"
#include "stackfit/emit/compose_override_writer.hpp"
#include "stackfit/emit/kustomize_patch_writer.hpp"
#include "stackfit/load/recommend_json_reader.hpp"
#include "stackfit/util/file_io.hpp"

namespace stackfit::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_compose_default = "docker-compose.stackfit.yml";
constexpr const char* k_patch_default = "memory-optimization-patch.yaml";

std::string shell_word(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789-._/=,:@+") == std::string::npos) {
    return s;
  }
  std::string q = "'";
  for (char ch : s) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return q + "'";
}

std::string folder_of(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

class ApplyCommand final : public Command {
 public:
  void configure(CLI::App& app) override {
    m_input.add_flags(app);
    app.add_option("--from", m_from,
                   "Recommendations: `stackfit recommend --format json` output "
                   "(- for stdin); optional with --to kubernetes")
        ->type_name("FILE");
    app.add_option("--output", m_output,
                   "File to write (default: docker-compose.stackfit.yml beside "
                   "the first Compose file; "
                   "memory-optimization-patch.yaml beside the manifests)")
        ->type_name("FILE");
    app.add_flag("--dry-run", m_dry_run, "Show declared vs target per service; write nothing");
    app.add_flag("--force", m_force, "Replace an existing output file");
    app.add_option("--style", m_style,
                   "Compose resource keys: match (the stack's own, default) | "
                   "service | deploy")
        ->type_name("STYLE");
    app.add_option("--format", m_format, "Kubernetes: files (patch + kustomization, default) | kubectl")
        ->type_name("FORMAT");
    app.add_option("--to", m_to,
                   "kubernetes: print a Kubernetes resources: block per "
                   "Compose service")
        ->type_name("TARGET");
  }

  Expected<int> run() override {
    auto style = parse_style();
    TRY(style);
    if (m_format != "files" && m_format != "kubectl") {
      return make_error(ErrorCode::usage, "--format: expected files or kubectl, got \"" + m_format + "\"");
    }
    if (!m_to.empty() && m_to != "kubernetes") {
      return make_error(ErrorCode::usage, "--to: expected kubernetes, got \"" + m_to + "\"");
    }
    if (m_from.empty() && m_to.empty()) return make_error(ErrorCode::usage, "apply: --from FILE is required");
    auto stack = m_input.load();
    TRY(stack);
    if (m_from.empty()) return apply(*stack, {},
                                     *style);  // --to kubernetes of the declared values
    auto file = read_recommend_json(m_from);
    TRY(file);
    for (const std::string& name : file->not_enough_data) {
      std::fprintf(stderr, "stackfit: %s: not enough data, left as declared\n", name.c_str());
    }
    return apply(*stack, file->targets(), *style);
  }

 private:
  // The core: everything after the targets are known.
  Expected<int> apply(const Stack& stack, const std::vector<ResourceTarget>& targets, ComposeResourceStyle style) {
    TRY(check_targets_in_stack(stack, targets, m_from));
    if (m_to == "kubernetes") {
      if (stack.kind != StackKind::compose)
        return make_error(ErrorCode::usage, "--to kubernetes: needs a Compose stack (-f)");
      return print(render_compose_as_kubernetes(stack, targets));
    }
    if (m_dry_run) return print(render_apply_dry_run(stack, targets));
    if (stack.kind == StackKind::compose) return apply_compose(stack, targets, style);
    if (m_format == "kubectl") {
      auto lines = render_kubectl_set_resources(stack, targets);
      TRY(lines);
      return print(*lines);
    }
    return apply_kustomize(stack, targets);
  }

  Expected<int> apply_compose(const Stack& stack, const std::vector<ResourceTarget>& targets,
                              ComposeResourceStyle style) {
    if (stack.source_files.empty())
      return make_error(ErrorCode::usage, "apply: the Compose stack has no file to write beside");
    std::string out = m_output.empty() ? folder_of(stack.source_files.front()) + "/" + k_compose_default : m_output;
    for (const std::string& own : stack.source_files) {
      std::error_code ec;
      if (fs::equivalent(own, out, ec)) {
        return make_error(ErrorCode::usage, out +
                                                ": is one of the stack's own files; apply "
                                                "never edits them (choose another --output)");
      }
    }
    std::vector<ServiceOverride> overrides;
    for (const ResourceTarget& t : targets) overrides.push_back(ServiceOverride{t, {}, std::nullopt});
    ComposeOverrideOptions options;
    options.style = style;
    options.header_comment = "Written by `stackfit apply --from " + m_from + "`; load it after the stack's own files.";
    auto text = render_compose_override(stack, overrides, options);
    TRY(text);
    if (auto ok = write_file_atomic(out, *text, m_force ? Overwrite::yes : Overwrite::no); !ok)
      return tl::unexpected(ok.error());
    std::string line = "docker compose";
    for (const std::string& f : stack.source_files) line += " -f " + shell_word(f);
    line += " -f " + shell_word(out) + " up -d";
    return print("wrote " + out + "\n" + line + "\n");
  }

  Expected<int> apply_kustomize(const Stack& stack, const std::vector<ResourceTarget>& targets) {
    if (stack.source_files.empty()) return make_error(ErrorCode::usage, "apply: no manifest folder to write beside");
    const std::string& first = stack.source_files.front();
    if (first == "-" && m_output.empty()) {
      return make_error(ErrorCode::usage,
                        "-k -: manifests from stdin have no folder; give "
                        "--output PATCH-FILE in the kustomization's folder");
    }
    std::string dir = !m_output.empty() ? folder_of(m_output) : is_directory(first) ? first : folder_of(first);
    std::string patch = m_output.empty() ? dir + "/" + k_patch_default : m_output;
    std::string patch_name = fs::path(patch).filename().string();
    auto text = render_kustomize_patch(stack, targets);
    TRY(text);
    std::string kustomization;
    for (const char* name : {"kustomization.yaml", "kustomization.yml", "Kustomization"}) {
      if (file_exists(dir + "/" + name)) kustomization = dir + "/" + name;
    }
    std::string new_kustomization;
    if (!kustomization.empty()) {
      auto current = read_file(kustomization);
      TRY(current);
      auto updated = add_kustomization_patch(*current, kustomization, patch_name);
      TRY(updated);
      new_kustomization = *updated == *current ? std::string() : *updated;
    } else if (first == "-") {
      return make_error(ErrorCode::usage, dir +
                                              ": no kustomization.yaml to add the patch to "
                                              "(manifests came from stdin)");
    } else {
      std::vector<std::string> resources;
      for (const std::string& f : stack.source_files) {
        std::error_code ec;
        fs::path rel = fs::relative(f, dir, ec);
        resources.push_back(ec ? f : rel.string());
      }
      kustomization = dir + "/kustomization.yaml";
      new_kustomization = render_new_kustomization(resources, patch_name);
    }
    if (auto ok = write_file_atomic(patch, *text, m_force ? Overwrite::yes : Overwrite::no); !ok)
      return tl::unexpected(ok.error());
    std::string said = "wrote " + patch + "\n";
    if (!new_kustomization.empty()) {
      // Adding our entry to the user's kustomization is the one edit apply
      // makes.
      if (auto ok = write_file_atomic(kustomization, new_kustomization, Overwrite::yes); !ok)
        return tl::unexpected(ok.error());
      said += "added patches: - path: " + patch_name + " to " + kustomization + "\n";
    }
    return print(said + "kubectl kustomize " + shell_word(dir) + "   # or: kubectl apply -k " + shell_word(dir) + "\n");
  }

  Expected<ComposeResourceStyle> parse_style() const {
    if (m_style == "match") return ComposeResourceStyle::match_stack;
    if (m_style == "service") return ComposeResourceStyle::service_level;
    if (m_style == "deploy") return ComposeResourceStyle::deploy_resources;
    return make_error(ErrorCode::usage, "--style: expected match, service or deploy, got \"" + m_style + "\"");
  }

  static Expected<int> print(const std::string& text) {
    if (!write_stdout(text)) return make_error(ErrorCode::io, "stdout: write failed");
    return 0;
  }

  StackInput m_input;
  std::string m_from;
  std::string m_output;
  bool m_dry_run = false;
  bool m_force = false;
  std::string m_style = "match";
  std::string m_format = "files";
  std::string m_to;
};

}  // namespace

std::unique_ptr<Command> make_apply_command() { return std::make_unique<ApplyCommand>(); }

}  // namespace stackfit::cli
