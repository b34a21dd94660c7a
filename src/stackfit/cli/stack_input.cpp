#include "stackfit/cli/stack_input.hpp"

#include "stackfit/analyze/runtime_hint_detector.hpp"
#include "stackfit/load/compose/compose_loader.hpp"
#include "stackfit/load/kube/kube_loader.hpp"
#include "stackfit/util/environment.hpp"

namespace stackfit::cli {

void StackInput::add_flags(CLI::App& app) {
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

Expected<Stack> StackInput::load() const {
  Expected<Stack> stack;
  if (!m_kube_paths.empty()) {
    if (!m_compose_files.empty()) {
      return make_error(ErrorCode::usage, "usage: -k and -f cannot be combined (one stack at a time)");
    }
    stack = load_kubernetes(KubeOptions{m_kube_paths});
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

}  // namespace stackfit::cli
