#include "stackfit/cli/stack_input.hpp"

#include "stackfit/analyze/runtime_hint_detector.hpp"
#include "stackfit/load/compose/compose_loader.hpp"
#include "stackfit/load/kube/kube_loader.hpp"
#include "stackfit/util/environment.hpp"
#include "stackfit/util/file_io.hpp"

namespace stackfit::cli {

void StackInput::add_flags(CLI::App& app) {
  m_command = app.get_name();
  app.add_option("-f,--file", m_compose_files, "Compose file (repeatable; merged in order)")->type_name("FILE");
  app.add_option("--profile", m_profiles, "Activate a Compose profile (repeatable)")->type_name("NAME");
  app.add_option("--env-file", m_env_files, "Compose .env file instead of <project>/.env (repeatable)")
      ->type_name("FILE");
  app.add_option("--project-directory", m_project_directory, "Compose project directory")->type_name("DIR");
  app.add_option("-p,--project-name", m_project_name, "Compose project name")->type_name("NAME");
  app.add_option("-k,--kubernetes", m_kube_paths,
                 "Kubernetes manifests: file, folder or - for stdin (repeatable)")
      ->type_name("PATH");
}

namespace {

std::string shell_word(const std::string& w) {
  bool plain = !w.empty() && w.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,@+") ==
                                 std::string::npos;
  if (plain) return w;
  std::string out = "'";
  for (char c : w) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void add_flag_words(std::string& out, const char* flag, const std::vector<std::string>& values) {
  for (const std::string& v : values) out += (out.empty() ? "" : " ") + std::string(flag) + " " + shell_word(v);
}

}  // namespace

std::string StackInput::flags_text() const {
  std::string out;
  add_flag_words(out, "-k", m_kube_paths);
  add_flag_words(out, "-f", m_compose_files);
  add_flag_words(out, "--profile", m_profiles);
  add_flag_words(out, "--env-file", m_env_files);
  if (!m_project_directory.empty()) add_flag_words(out, "--project-directory", {m_project_directory});
  if (!m_project_name.empty()) add_flag_words(out, "-p", {m_project_name});
  return out;
}

Expected<Stack> StackInput::load() const {
  Expected<Stack> stack;
  if (!m_kube_paths.empty()) {
    if (!m_compose_files.empty()) {
      return make_error(ErrorCode::usage, "usage: -k and -f cannot be combined (one stack at a time)");
    }
    stack = load_kubernetes(KubeOptions{m_kube_paths, m_command});
  } else {
    ComposeOptions options;
    options.files = m_compose_files;
    options.profiles = m_profiles;
    options.env_files = m_env_files;
    options.project_directory = m_project_directory;
    options.project_name = m_project_name;
    options.environment = process_environment();
    stack = load_compose(options);
  }
  if (stack) detect_runtime_hints(*stack);
  return stack;
}

Expected<void> refuse_stack_file(const Stack& stack, const std::string& path, const std::string& advice) {
  for (const std::string& own : stack.source_files) {
    if (same_file(own, path)) return make_error(ErrorCode::usage, path + ": is one of the stack's own files; " + advice);
  }
  return {};
}

}  // namespace stackfit::cli
