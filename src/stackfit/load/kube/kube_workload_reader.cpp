#include "stackfit/load/kube/kube_workload_reader.hpp"

#include <algorithm>
#include <array>

#include "stackfit/load/kube/container_reader.hpp"
#include "stackfit/load/kube/manifest_fields.hpp"
#include "stackfit/load/kube/pod_resources.hpp"
#include "stackfit/util/quoted_excerpt.hpp"

namespace stackfit::kube {
namespace {

constexpr std::string_view k_priority_key = "stackfit.priority";

// Where the pod template sits in one workload.
struct PodTemplate {
  const yaml::Node* metadata = nullptr;  // the template's metadata, may be null
  const yaml::Node* spec = nullptr;      // the pod spec
  std::string spec_path;
  std::string template_path;  // "" for a Pod
};

Expected<PodTemplate> template_at(const yaml::Node& holder, const std::string& holder_path) {
  auto tmpl = required_mapping(holder, "template", holder_path);
  TRY(tmpl);
  std::string tmpl_path = field_path(holder_path, "template");
  auto metadata = optional_mapping(**tmpl, "metadata", tmpl_path);
  TRY(metadata);
  auto spec = required_mapping(**tmpl, "spec", tmpl_path);
  TRY(spec);
  return PodTemplate{*metadata, *spec, field_path(tmpl_path, "spec"), tmpl_path};
}

Expected<PodTemplate> find_pod_template(const yaml::Node& object, std::string_view kind) {
  auto spec = required_mapping(object, "spec", "");
  TRY(spec);
  if (kind == "Pod") return PodTemplate{nullptr, *spec, "spec", ""};
  if (kind != "CronJob") return template_at(**spec, "spec");
  auto job = required_mapping(**spec, "jobTemplate", "spec");
  TRY(job);
  auto job_spec = required_mapping(**job, "spec", "spec.jobTemplate");
  TRY(job_spec);
  return template_at(**job_spec, "spec.jobTemplate.spec");
}

// Pods a Job runs at once: parallelism (default 1), capped by completions.
Expected<std::int64_t> job_pods(const yaml::Node& job_spec, std::string_view path) {
  auto parallelism = optional_count(job_spec, "parallelism", path);
  TRY(parallelism);
  auto completions = optional_count(job_spec, "completions", path);
  TRY(completions);
  std::int64_t pods = parallelism->value_or(1);
  if (*completions) pods = std::min(pods, **completions);
  return pods;
}

Expected<void> read_replicas(const yaml::Node& object, std::string_view kind, Service& out) {
  out.replicas = 1;
  if (kind == "Pod") return {};
  if (kind == "DaemonSet") {
    out.replica_mode = ReplicaMode::per_node;
    return {};
  }
  const yaml::Node& spec = *object.find("spec");  // checked by find_pod_template
  Expected<std::int64_t> pods = 1;
  // A suspended Job runs no pods; a suspended CronJob starts no Jobs.
  if (kind == "Job" || kind == "CronJob") {
    auto suspend = optional_string(spec, "suspend", "spec");
    TRY(suspend);
    if (*suspend && (**suspend == "true" || **suspend == "True" || **suspend == "TRUE")) {
      out.replicas = 0;
      return {};
    }
  }
  if (kind == "Job") {
    pods = job_pods(spec, "spec");
  } else if (kind == "CronJob") {
    pods = job_pods(*spec.find("jobTemplate")->find("spec"), "spec.jobTemplate.spec");
  } else {
    auto replicas = optional_count(spec, "replicas", "spec");
    TRY(replicas);
    pods = replicas->value_or(1);
  }
  TRY(pods);
  out.replicas = *pods;
  return {};
}

Expected<void> read_container_list(const yaml::Node& pod_spec, const std::string& path, std::string_view key,
                                   ContainerList list, std::vector<Container>& out) {
  auto items = list == ContainerList::containers ? required_list(pod_spec, key, path)
                                                 : optional_list(pod_spec, key, path);
  TRY(items);
  if (*items == nullptr) return {};
  std::string list_path = field_path(path, key);
  for (std::size_t i = 0; i < (*items)->items.size(); ++i) {
    auto container = read_container((*items)->items[i], item_path(list_path, i), list);
    TRY(container);
    out.push_back(std::move(*container));
  }
  return {};
}

Expected<PodLevel> read_pod_level(const yaml::Node& pod_spec, const std::string& path) {
  PodLevel level;
  auto overhead = optional_mapping(pod_spec, "overhead", path);
  TRY(overhead);
  if (*overhead) {
    auto ok = read_memory_and_cpu(**overhead, field_path(path, "overhead"), level.overhead.memory,
                                  level.overhead.cpu);
    TRY(ok);
  }
  auto resources =
      read_resources(pod_spec.find("resources"), field_path(path, "resources"), RequestDefaulting::none);
  TRY(resources);
  level.resources = *resources;
  return level;
}

// `stackfit.priority` from metadata.labels, then metadata.annotations.
Expected<std::optional<Priority>> priority_in(const yaml::Node* metadata, std::string_view path) {
  if (metadata == nullptr) return std::nullopt;
  for (std::string_view map_key : {"labels", "annotations"}) {
    auto map = optional_mapping(*metadata, map_key, path);
    TRY(map);
    const yaml::Node* value = *map ? (*map)->find(k_priority_key) : nullptr;
    if (value == nullptr) continue;
    static constexpr std::array<Priority, 3> k_all{Priority::critical, Priority::normal, Priority::optional};
    for (Priority p : k_all) {
      if (value->is_scalar() && value->text == to_string(p)) return p;
    }
    std::string where = field_path(field_path(path, map_key), k_priority_key);
    std::string got = value->is_scalar() ? quoted_excerpt(value->text) : value->kind_name();
    return field_error(*value, where, "expected critical, normal or optional, got " + got);
  }
  return std::nullopt;
}

Expected<void> read_labels(const yaml::Node& metadata, KeyValues& out) {
  auto labels = optional_mapping(metadata, "labels", "metadata");
  TRY(labels);
  if (*labels == nullptr) return {};
  for (const auto& entry : (*labels)->entries) {
    if (!entry.value.is_scalar() && !entry.value.is_null()) {
      return type_error(entry.value, field_path("metadata.labels", entry.key), "a string");
    }
    out.emplace_back(entry.key, entry.value.text);
  }
  return {};
}

Expected<void> read_priority(const yaml::Node& metadata, const PodTemplate& pod, Service& out) {
  auto own = priority_in(&metadata, "metadata");
  TRY(own);
  auto from_template = *own ? own : priority_in(pod.metadata, field_path(pod.template_path, "metadata"));
  TRY(from_template);
  out.priority = from_template->value_or(Priority::normal);
  out.priority_declared = from_template->has_value();
  return {};
}

}  // namespace

Expected<ObjectHeader> read_object_header(const yaml::Node& object) {
  ObjectHeader header;
  const yaml::MapEntry* kind = object.find_entry("kind");
  if (kind == nullptr) return field_error(object, "kind", "required field is missing");
  if (!kind->value.is_scalar() || kind->value.text.empty()) {
    return field_error(kind->value, "kind", std::string("expected a kind name, got ") + kind->value.kind_name());
  }
  header.kind = kind->value.text;
  header.declared_at = kind->key_location;
  auto api_version = optional_string(object, "apiVersion", "");
  TRY(api_version);
  header.api_version = api_version->value_or("");
  if (is_list_object(object, header.kind)) return header;
  auto metadata = required_mapping(object, "metadata", "");
  TRY(metadata);
  auto name = optional_string(**metadata, "name", "metadata");
  TRY(name);
  auto generate_name = optional_string(**metadata, "generateName", "metadata");
  TRY(generate_name);
  header.name = name->value_or(generate_name->value_or(""));
  if (header.name.empty()) return field_error(**metadata, "metadata.name", "required field is missing");
  auto ns = optional_string(**metadata, "namespace", "metadata");
  TRY(ns);
  header.namespace_ = ns->value_or("");
  return header;
}

bool is_list_object(const yaml::Node& object, std::string_view kind) {
  if (kind == "List") return true;
  return kind.size() > 4 && kind.substr(kind.size() - 4) == "List" && object.find("items") != nullptr;
}

bool is_workload_kind(std::string_view kind) {
  static constexpr std::array<std::string_view, 8> k_kinds{
      "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob", "Pod"};
  return std::find(k_kinds.begin(), k_kinds.end(), kind) != k_kinds.end();
}

bool is_builtin_workload(const ObjectHeader& header) {
  if (!is_workload_kind(header.kind)) return false;
  if (header.api_version.empty()) return true;
  std::string_view version = header.api_version;
  std::size_t slash = version.find('/');
  std::string_view group = slash == std::string_view::npos ? std::string_view{} : version.substr(0, slash);
  const std::string& kind = header.kind;
  if (kind == "Pod" || kind == "ReplicationController") return group.empty();
  if (kind == "Job" || kind == "CronJob") return group == "batch";
  return group == "apps" || group == "extensions";
}

Expected<Service> read_workload(const yaml::Node& object, const ObjectHeader& header) {
  Service out;
  out.name = header.name;
  out.kind = header.kind;
  out.namespace_ = header.namespace_;
  out.declared_at = header.declared_at;
  auto pod = find_pod_template(object, header.kind);
  TRY(pod);
  TRY(read_replicas(object, header.kind, out));
  const yaml::Node& metadata = *object.find("metadata");  // checked by read_object_header
  TRY(read_labels(metadata, out.labels));
  TRY(read_priority(metadata, *pod, out));
  const yaml::Node& spec = *pod->spec;
  auto& containers = out.containers;
  if (auto ok = read_container_list(spec, pod->spec_path, "initContainers", ContainerList::init_containers,
                                    containers);
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = read_container_list(spec, pod->spec_path, "containers", ContainerList::containers, containers); !ok) {
    return tl::unexpected(ok.error());
  }
  auto level = read_pod_level(spec, pod->spec_path);
  TRY(level);
  out.resources = effective_pod_resources(containers, *level);
  auto first_app = std::find_if(containers.begin(), containers.end(),
                                [](const Container& c) { return c.role == ContainerRole::app; });
  if (first_app != containers.end()) out.image = first_app->image;
  return out;
}

}  // namespace stackfit::kube
