// The flags every stack-reading command shares (-f, --profile, --env-file,
// --project-directory, -p for Compose; -k for Kubernetes) and loading the
// Stack they name, runtime hints included.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "stackfit/model/stack.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit::cli {

// Refuses `path` as an output when it is one of the stack's own files
// (stack.source_files), whatever the spelling: relative, `..`, a symlink or
// absolute (util/file_io's same_file). `apply`, `plan --option --write` and
// `plan --startup --write` share it. Error usage "<path>: is one of the
// stack's own files; <advice>".
[[nodiscard]] Expected<void> refuse_stack_file(const Stack& stack, const std::string& path, const std::string& advice);

class StackInput {
 public:
  void add_flags(CLI::App& app);
  // Loads the Compose project (default) or the Kubernetes manifests (-k).
  [[nodiscard]] Expected<Stack> load() const;
  // What load() will read, known before reading it (-k names Kubernetes).
  [[nodiscard]] StackKind kind() const { return m_kube_paths.empty() ? StackKind::compose : StackKind::kubernetes; }
  // The stack flags as given, shell-quoted where needed, for a command the
  // user can paste ("-f compose.yaml --profile monitoring"); "" when none.
  [[nodiscard]] std::string flags_text() const;
  // True when the user named a stack (-f, -k, --project-directory, -p).
  [[nodiscard]] bool has_stack_flags() const {
    return !m_compose_files.empty() || !m_kube_paths.empty() || !m_project_directory.empty() ||
           !m_project_name.empty();
  }

 private:
  std::vector<std::string> m_compose_files;
  std::vector<std::string> m_profiles;
  std::vector<std::string> m_env_files;
  std::string m_project_directory;
  std::string m_project_name;
  std::vector<std::string> m_kube_paths;
  std::string m_command = "inspect";  // the subcommand these flags belong to
};

}  // namespace stackfit::cli
