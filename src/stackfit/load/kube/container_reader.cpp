#include "stackfit/load/kube/container_reader.hpp"

#include "stackfit/load/kube/manifest_fields.hpp"
#include "stackfit/model/quantity.hpp"

namespace stackfit::kube {
namespace {

// One memory or CPU quantity: a scalar, parsed the way resource.Quantity does.
template <class T, class Parse>
Expected<std::optional<T>> read_quantity(const yaml::Node& list, std::string_view name, std::string_view path,
                                         Parse parse) {
  const yaml::MapEntry* entry = list.find_entry(name);
  if (!entry) return std::nullopt;
  const yaml::Node* value = &entry->value;
  std::string where = field_path(path, name);
  if (value->is_null()) {
    // An empty value has no position of its own: point at its key.
    yaml::Node at;
    at.location = entry->key_location;
    return type_error(at, where, "a quantity");
  }
  if (!value->is_scalar()) return type_error(*value, where, "a quantity");
  auto parsed = parse(value->text);
  if (!parsed) return field_error(*value, where, parsed.error().message);
  return *parsed;
}

// Reads `requests` or `limits` into the two optionals.
Expected<void> read_resource_list(const yaml::Node& resources, std::string_view key, std::string_view path,
                                  std::optional<Bytes>& memory, std::optional<Millicores>& cpu) {
  auto list = optional_mapping(resources, key, path);
  TRY(list);
  if (*list == nullptr) return {};
  return read_memory_and_cpu(**list, field_path(path, key), memory, cpu);
}

// A list of scalars (command, args) appended to `out`.
Expected<void> append_strings(const yaml::Node& container, std::string_view key, std::string_view path,
                              std::vector<std::string>& out) {
  auto list = optional_list(container, key, path);
  TRY(list);
  if (*list == nullptr) return {};
  std::string list_path = field_path(path, key);
  for (std::size_t i = 0; i < (*list)->items.size(); ++i) {
    const yaml::Node& item = (*list)->items[i];
    if (!item.is_scalar()) return type_error(item, item_path(list_path, i), "a string");
    out.push_back(item.text);
  }
  return {};
}

// Literal `env` values; entries with valueFrom (secrets, field refs) are left out.
Expected<void> read_environment(const yaml::Node& container, std::string_view path, KeyValues& out) {
  auto list = optional_list(container, "env", path);
  TRY(list);
  if (*list == nullptr) return {};
  std::string list_path = field_path(path, "env");
  for (std::size_t i = 0; i < (*list)->items.size(); ++i) {
    const yaml::Node& item = (*list)->items[i];
    std::string where = item_path(list_path, i);
    if (!item.is_mapping()) return type_error(item, where, "a mapping");
    auto name = optional_string(item, "name", where);
    TRY(name);
    if (!*name) return field_error(item, field_path(where, "name"), "required field is missing");
    if (item.find("valueFrom")) continue;
    auto value = optional_string(item, "value", where);
    TRY(value);
    out.emplace_back(**name, value->value_or(""));
  }
  return {};
}

Expected<ContainerRole> read_role(const yaml::Node& node, std::string_view path, ContainerList list) {
  auto policy = optional_string(node, "restartPolicy", path);
  TRY(policy);
  if (list == ContainerList::containers) return ContainerRole::app;
  // A restartable init container (KEP-753) keeps running beside the app.
  return *policy == "Always" ? ContainerRole::sidecar : ContainerRole::init;
}

// volumeMounts[].mountPath, leniently (they only feed runtime hints; the API
// server validates them).
std::vector<std::string> read_mount_paths(const yaml::Node& container) {
  std::vector<std::string> out;
  const yaml::Node* mounts = container.find("volumeMounts");
  if (mounts == nullptr || !mounts->is_sequence()) return out;
  for (const yaml::Node& m : mounts->items) {
    const yaml::Node* path = m.is_mapping() ? m.find("mountPath") : nullptr;
    if (path != nullptr && path->is_scalar()) out.push_back(path->text);
  }
  return out;
}

}  // namespace

Expected<void> read_memory_and_cpu(const yaml::Node& list, std::string_view path, std::optional<Bytes>& memory,
                                   std::optional<Millicores>& cpu) {
  auto mem = read_quantity<Bytes>(list, "memory", path, parse_k8s_memory);
  TRY(mem);
  auto milli = read_quantity<Millicores>(list, "cpu", path, parse_k8s_cpu);
  TRY(milli);
  memory = *mem;
  cpu = *milli;
  return {};
}

Expected<Resources> read_resources(const yaml::Node* node, std::string_view path,
                                   RequestDefaulting defaulting) {
  Resources out;
  if (node == nullptr || node->is_null()) return out;
  if (!node->is_mapping()) return type_error(*node, path, "a mapping");
  TRY(read_resource_list(*node, "requests", path, out.memory_request, out.cpu_request));
  TRY(read_resource_list(*node, "limits", path, out.memory_limit, out.cpu_limit));
  if (defaulting == RequestDefaulting::none) return out;
  // API-server defaulting: a missing request takes the limit's value.
  if (!out.memory_request) out.memory_request = out.memory_limit;
  if (!out.cpu_request) out.cpu_request = out.cpu_limit;
  return out;
}

Expected<Container> read_container(const yaml::Node& node, std::string_view path, ContainerList list) {
  if (!node.is_mapping()) return type_error(node, path, "a mapping");
  Container out;
  out.declared_at = node.location;
  auto name = optional_string(node, "name", path);
  TRY(name);
  if (!*name) return field_error(node, field_path(path, "name"), "required field is missing");
  out.name = **name;
  auto image = optional_string(node, "image", path);
  TRY(image);
  out.image = image->value_or("");
  auto role = read_role(node, path, list);
  TRY(role);
  out.role = *role;
  TRY(append_strings(node, "command", path, out.command));
  out.entrypoint_words = out.command.size();
  TRY(append_strings(node, "args", path, out.command));
  TRY(read_environment(node, path, out.environment));
  out.mount_paths = read_mount_paths(node);
  auto resources = read_resources(node.find("resources"), field_path(path, "resources"),
                                  RequestDefaulting::from_limit);
  TRY(resources);
  out.resources = *resources;
  return out;
}

}  // namespace stackfit::kube
