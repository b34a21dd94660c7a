#include "stackfit/load/compose/compose_document.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>

#include "stackfit/load/compose/compose_field_readers.hpp"
#include "stackfit/util/file_io.hpp"

namespace stackfit::compose {
namespace {

void relocate(yaml::Node& path_node, const std::string& base) {
  if (path_node.is_scalar() && !path_node.text.empty()) path_node.text = join_path(base, path_node.text);
}

// env_file entries are strings or {path: ..., required: ...}.
void relocate_env_files(yaml::Node& env_file, const std::string& base) {
  auto one = [&](yaml::Node& entry) {
    if (entry.is_mapping()) {
      if (yaml::Node* p = entry.find("path")) relocate(*p, base);
    } else {
      relocate(entry, base);
    }
  };
  if (env_file.is_sequence()) {
    for (auto& item : env_file.items) one(item);
  } else {
    one(env_file);
  }
}

Expected<void> check_services(yaml::Node& document, const std::string& path,
                              const std::string& relative_base) {
  yaml::Node* services = document.find("services");
  if (services == nullptr) return {};
  if (services->is_null()) {
    *services = yaml::Node::make_mapping(services->location);
    return {};
  }
  if (auto r = expect_mapping(*services, "services"); !r) return r;
  for (auto& entry : services->entries) {
    std::string where = "services." + entry.key;
    if (auto r = expect_mapping(entry.value, where); !r) return r;
    if (yaml::Node* env_file = entry.value.find("env_file")) relocate_env_files(*env_file, relative_base);
    yaml::Node* extends = entry.value.find("extends");
    if (extends != nullptr && extends->is_mapping()) {
      if (yaml::Node* file = extends->find("file")) relocate(*file, parent_folder(path));
    }
  }
  return {};
}

}  // namespace

std::string join_path(const std::string& base, const std::string& relative) {
  std::filesystem::path rel(relative);
  if (base.empty() || rel.is_absolute()) return relative;
  return (std::filesystem::path(base) / rel).lexically_normal().string();
}

std::string parent_folder(const std::string& path) {
  return std::filesystem::path(path).parent_path().string();
}

Expected<yaml::Node> load_compose_file(const std::string& path, const VariableLookup& environment,
                                       const std::string& relative_base) {
  auto text = read_file(path);
  TRY(text);
  auto name = std::make_shared<const std::string>(path);
  auto document = yaml::parse_single_document(*text, name);
  TRY(document);
  if (document->is_null()) return make_error(ErrorCode::bad_input, path + ": empty compose file");
  if (!document->is_mapping()) {
    return located_error(*document, "top level", std::string("expected a mapping, got ") +
                                                     document->kind_name());
  }
  TRY(interpolate_tree(*document, environment));
  TRY(check_services(*document, path, relative_base));
  return std::move(*document);
}

void ComposeFileSource::note_file(const std::string& path) {
  if (std::find(m_files.begin(), m_files.end(), path) == m_files.end()) m_files.push_back(path);
}

Expected<const yaml::Node*> ComposeFileSource::load(const std::string& path) {
  auto it = m_cache.find(path);
  if (it != m_cache.end()) return &it->second;
  auto document = load_compose_file(path, m_environment, parent_folder(path));
  TRY(document);
  note_file(path);
  return &m_cache.emplace(path, std::move(*document)).first->second;
}

}  // namespace stackfit::compose
