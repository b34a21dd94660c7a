#include "stackfit/load/compose/compose_loader.hpp"

#include <filesystem>

#include "stackfit/load/compose/compose_document.hpp"
#include "stackfit/load/compose/compose_env_file.hpp"
#include "stackfit/load/compose/compose_extends.hpp"
#include "stackfit/load/compose/compose_field_readers.hpp"
#include "stackfit/load/compose/compose_merge.hpp"
#include "stackfit/load/compose/compose_project.hpp"
#include "stackfit/load/compose/compose_service_reader.hpp"
#include "stackfit/util/file_io.hpp"
#include "stackfit/util/quoted_excerpt.hpp"

namespace stackfit {
namespace {

using compose::VariableLookup;

// The process environment wins over values from .env / --env-file.
VariableLookup layered_lookup(const Environment& process, const compose::KeyValueBuilder& dotenv) {
  return [&process, &dotenv](std::string_view name) -> std::optional<std::string> {
    if (auto v = lookup(process, name)) return v;
    if (const std::string* v = dotenv.find(name)) return *v;
    return std::nullopt;
  };
}

// --env-file files in order (later wins), else .env in the project directory.
Expected<void> load_dotenv(const ComposeOptions& options, const std::string& project_directory,
                           compose::KeyValueBuilder& values) {
  std::vector<std::string> files = options.env_files;
  if (files.empty()) {
    std::string dotenv = compose::join_path(project_directory, ".env");
    if (file_exists(dotenv) && !is_directory(dotenv)) files.push_back(dotenv);
  }
  for (const auto& file : files) {
    auto parsed = compose::read_env_file(file, layered_lookup(options.environment, values));
    TRY(parsed);
    for (auto& [k, v] : *parsed) values.set(k, std::move(v));
  }
  return {};
}

// Every -f file read, its includes and extends applied, merged in order.
Expected<yaml::Node> load_model(const std::vector<std::string>& files, const std::string& project_directory,
                                compose::ComposeFileSource& source) {
  yaml::Node model;
  for (std::size_t i = 0; i < files.size(); ++i) {
    source.note_file(files[i]);
    auto document = compose::load_compose_file(files[i], source.environment(), project_directory);
    TRY(document);
    TRY(compose::resolve_includes(*document, files[i], source));
    TRY(compose::resolve_extends(*document, files[i], source));
    if (i == 0) {
      model = std::move(*document);
    } else if (auto r = compose::merge_documents(model, std::move(*document)); !r) {
      return tl::unexpected(r.error());
    }
  }
  return model;
}

// compose-go refuses a depends_on naming a service that is defined nowhere.
Expected<void> check_dependencies(const yaml::Node& services) {
  for (const auto& entry : services.entries) {
    const yaml::Node* deps = entry.value.find("depends_on");
    if (deps == nullptr) continue;
    std::vector<std::pair<std::string, const SourceLocation*>> names;
    for (const auto& item : deps->items) {
      if (item.is_scalar()) names.emplace_back(item.text, &item.location);
    }
    for (const auto& e : deps->entries) names.emplace_back(e.key, &e.key_location);
    for (const auto& [name, where] : names) {
      if (services.find(name) == nullptr) {
        return make_error(ErrorCode::bad_input, where->to_string() + ": service \"" + entry.key +
                                                    "\" depends on undefined service " + quoted_excerpt(name));
      }
    }
  }
  return {};
}

Expected<std::string> project_name(const ComposeOptions& options, const VariableLookup& env,
                                   const yaml::Node& model, const std::string& project_directory) {
  std::string name = options.project_name;
  if (name.empty()) name = env("COMPOSE_PROJECT_NAME").value_or("");
  if (name.empty()) {
    if (const yaml::Node* n = model.find("name")) {
      auto text = compose::read_string(*n, "name");
      TRY(text);
      name = *text;
    }
  }
  if (!name.empty()) {
    TRY(compose::check_project_name(name));
    return name;
  }
  std::error_code ec;
  auto absolute = std::filesystem::absolute(project_directory.empty() ? "." : project_directory, ec);
  std::filesystem::path folder = absolute.lexically_normal();
  if (!folder.has_filename()) folder = folder.parent_path();
  return compose::sanitize_project_name(folder.filename().string());
}

Expected<std::vector<Service>> read_services(const yaml::Node& model, const std::vector<std::string>& profiles,
                                             const VariableLookup& env) {
  std::vector<Service> out;
  const yaml::Node* services = model.find("services");
  if (services == nullptr) return out;
  TRY(check_dependencies(*services));
  for (const auto& entry : services->entries) {
    std::vector<std::string> own;
    if (const yaml::Node* p = entry.value.find("profiles")) {
      auto list = compose::read_string_list(*p, "services." + entry.key + ".profiles");
      TRY(list);
      own = std::move(*list);
    }
    if (!compose::is_service_active(own, profiles)) continue;
    auto service = compose::read_service(entry.key, entry.value, entry.key_location, env);
    TRY(service);
    out.push_back(std::move(*service));
  }
  return out;
}

// The engine names of the top-level volumes (Stack::volume_names).
std::vector<std::string> read_volume_names(const yaml::Node& model, const std::string& project) {
  std::vector<std::string> out;
  const yaml::Node* volumes = model.find("volumes");
  if (volumes == nullptr || !volumes->is_mapping()) return out;
  for (const auto& entry : volumes->entries) {
    const yaml::Node* name = entry.value.find("name");
    const yaml::Node* external = entry.value.find("external");
    if (name != nullptr && name->is_scalar() && !name->text.empty()) {
      out.push_back(name->text);
    } else if (external != nullptr && (external->is_mapping() || (external->is_scalar() && external->text == "true"))) {
      const yaml::Node* old_name = external->find("name");  // Compose file 3.3's external.name
      out.push_back(old_name != nullptr && old_name->is_scalar() ? old_name->text : entry.key);
    } else {
      out.push_back(project + "_" + entry.key);
    }
  }
  return out;
}

std::vector<std::string> normalized(const std::vector<std::string>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(std::filesystem::path(f).lexically_normal().string());
  return out;
}

}  // namespace

Expected<Stack> load_compose(const ComposeOptions& options) {
  std::vector<std::string> files = normalized(options.files);
  std::string project_directory = options.project_directory;
  if (project_directory.empty() && !files.empty()) project_directory = compose::parent_folder(files[0]);
  compose::KeyValueBuilder dotenv;
  TRY(load_dotenv(options, project_directory, dotenv));
  VariableLookup env = layered_lookup(options.environment, dotenv);
  if (files.empty()) {
    auto found = compose::discover_files(project_directory, env);
    TRY(found);
    files = normalized(*found);
  }
  compose::ComposeFileSource source(env);
  auto model = load_model(files, project_directory, source);
  TRY(model);

  Stack stack;
  stack.kind = StackKind::compose;
  auto name = project_name(options, env, *model, project_directory);
  TRY(name);
  stack.name = std::move(*name);
  auto services = read_services(*model, compose::active_profiles(options.profiles, env), env);
  TRY(services);
  stack.services = std::move(*services);
  stack.volume_names = read_volume_names(*model, stack.name);
  stack.source_files = source.files();
  return stack;
}

}  // namespace stackfit
