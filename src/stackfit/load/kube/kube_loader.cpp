#include "stackfit/load/kube/kube_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "stackfit/load/kube/manifest_fields.hpp"
#include "stackfit/load/kube/kube_workload_reader.hpp"
#include "stackfit/load/yaml_node.hpp"
#include "stackfit/util/file_io.hpp"

namespace stackfit {
namespace {

// Most files one folder argument may expand to; a bound against walking a
// whole disk by mistake.
constexpr std::size_t k_max_folder_files = 10'000;
// How deeply `List` objects may nest inside each other.
constexpr int k_max_list_depth = 8;

void count_skipped(Stack& stack, const std::string& kind) {
  auto& kinds = stack.skipped_kinds;
  auto it = std::find_if(kinds.begin(), kinds.end(), [&](const auto& entry) { return entry.first == kind; });
  if (it == kinds.end()) {
    kinds.emplace_back(kind, 1);
  } else {
    ++it->second;
  }
}

Expected<void> add_object(const yaml::Node& object, Stack& stack, int list_depth);

// The objects in a List's `items`, in order.
Expected<void> add_list_items(const yaml::Node& list, Stack& stack, int list_depth) {
  if (list_depth >= k_max_list_depth) {
    return kube::field_error(list, "items", "Lists nested more than 8 deep");
  }
  auto items = kube::optional_list(list, "items", "");
  TRY(items);
  if (*items == nullptr) return {};
  for (std::size_t i = 0; i < (*items)->items.size(); ++i) {
    const yaml::Node& item = (*items)->items[i];
    if (!item.is_mapping()) return kube::type_error(item, kube::item_path("items", i), "a Kubernetes object");
    if (auto ok = add_object(item, stack, list_depth + 1); !ok) return ok;
  }
  return {};
}

Expected<void> add_object(const yaml::Node& object, Stack& stack, int list_depth) {
  auto header = kube::read_object_header(object);
  TRY(header);
  if (kube::is_list_object(object, header->kind)) return add_list_items(object, stack, list_depth);
  if (!kube::is_workload_kind(header->kind)) {
    count_skipped(stack, header->kind);
    return {};
  }
  if (!kube::is_builtin_workload(*header)) {  // a custom resource named like a workload
    count_skipped(stack, header->kind + " (" + header->api_version + ")");
    return {};
  }
  auto service = kube::read_workload(object, *header);
  TRY(service);
  stack.services.push_back(std::move(*service));
  return {};
}

// Kustomize's own config files are not manifests: a folder scan skips them
// (render with `kubectl kustomize DIR | stackfit inspect -k -` instead).
bool is_kustomization_file(const std::filesystem::path& path) {
  std::string name = path.filename().string();
  return name == "kustomization.yaml" || name == "kustomization.yml" || name == "Kustomization";
}

bool is_manifest_file(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  return (ext == ".yaml" || ext == ".yml" || ext == ".json") && !is_kustomization_file(path);
}

// The error for a folder without manifests: a kustomize folder (whose
// resources live elsewhere, or are generated) gets the line that renders it.
tl::unexpected<Error> no_manifests(const std::string& folder, const std::string& kustomization,
                                   const std::string& command) {
  if (kustomization.empty()) {
    return make_error(ErrorCode::not_found, folder + ": no *.yaml, *.yml or *.json files");
  }
  std::filesystem::path dir = std::filesystem::path(kustomization).parent_path();
  return make_error(ErrorCode::not_found, folder + ": a kustomize folder (" + kustomization +
                                              "), not manifests; render it first: kubectl kustomize " +
                                              dir.string() + " | stackfit " + command + " -k -");
}

// Every manifest file under `folder`, sorted by path.
Expected<std::vector<std::string>> manifest_files(const std::string& folder, const std::string& command) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  std::string kustomization;  // the first one by path, for the error above
  std::error_code ec;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    if (is_kustomization_file(it->path()) && (kustomization.empty() || it->path().string() < kustomization)) {
      kustomization = it->path().string();
    }
    if (!is_manifest_file(it->path())) continue;
    if (files.size() == k_max_folder_files) {
      return make_error(ErrorCode::bad_input, folder + ": more than 10000 manifest files");
    }
    files.push_back(it->path().string());
  }
  if (ec) return make_error(ErrorCode::io, folder + ": " + ec.message());
  if (files.empty()) return no_manifests(folder, kustomization, command);
  std::sort(files.begin(), files.end());
  return files;
}

Expected<void> load_one(const std::string& name, Stack& stack) {
  Expected<std::string> text = name == "-" ? read_stdin() : read_file(name);
  TRY(text);
  auto file = std::make_shared<const std::string>(name == "-" ? "<stdin>" : name);
  stack.source_files.push_back(*file);
  return load_kubernetes_text(*text, file, stack);
}

}  // namespace

Expected<void> load_kubernetes_text(std::string_view text, const std::shared_ptr<const std::string>& file,
                                    Stack& stack) {
  stack.kind = StackKind::kubernetes;
  return yaml::for_each_document(text, file, [&](yaml::Node&& document) -> Expected<void> {
    if (document.is_null()) return {};  // empty document between `---` separators
    if (!document.is_mapping()) {
      return kube::field_error(document, "",
                               std::string("expected a Kubernetes object (a mapping), got ") + document.kind_name());
    }
    return add_object(document, stack, 0);
  });
}

Expected<Stack> load_kubernetes(const KubeOptions& options) {
  Stack stack;
  stack.kind = StackKind::kubernetes;
  if (options.paths.empty()) return make_error(ErrorCode::usage, "no Kubernetes manifest given");
  for (const std::string& path : options.paths) {
    std::vector<std::string> files{path};
    if (path != "-" && is_directory(path)) {
      auto found = manifest_files(path, options.command);
      TRY(found);
      files = std::move(*found);
    }
    for (const std::string& file : files) {
      TRY(load_one(file, stack));
    }
  }
  return stack;
}

}  // namespace stackfit
