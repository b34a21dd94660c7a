// One Compose file read into a checked, interpolated yaml tree, and the
// cache of files that extends and include pull in.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "stackfit/load/compose/compose_interpolation.hpp"
#include "stackfit/load/yaml_node.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit::compose {

// Reads the Compose file at `path`: refuses non-UTF-8 and malformed YAML with
// "file:line:col: reason", an empty file with "file: empty compose file", and
// a top level, `services` or a service that is not a mapping. Interpolates
// every value with `environment`. Relative env_file paths are made relative
// to `relative_base` (the project directory for -f files, the file's own
// folder for extended and included files); extends.file is made relative to
// the file's own folder.
[[nodiscard]] Expected<yaml::Node> load_compose_file(const std::string& path,
                                                     const VariableLookup& environment,
                                                     const std::string& relative_base);

// `relative` joined to `base` ("" base: unchanged); absolute paths unchanged.
[[nodiscard]] std::string join_path(const std::string& base, const std::string& relative);
// The folder part of `path` ("" for a bare file name).
[[nodiscard]] std::string parent_folder(const std::string& path);

// Files pulled in by extends and include, each read once, in first-use order.
class ComposeFileSource {
 public:
  explicit ComposeFileSource(VariableLookup environment) : m_environment(std::move(environment)) {}

  // Records a file in the load order (no-op if already there).
  void note_file(const std::string& path);
  // The file at `path`, loaded with its own folder as relative base. The
  // pointer stays valid for the life of this object.
  [[nodiscard]] Expected<const yaml::Node*> load(const std::string& path);

  [[nodiscard]] const std::vector<std::string>& files() const { return m_files; }
  [[nodiscard]] const VariableLookup& environment() const { return m_environment; }

 private:
  VariableLookup m_environment;
  std::map<std::string, yaml::Node> m_cache;
  std::vector<std::string> m_files;
};

}  // namespace stackfit::compose
