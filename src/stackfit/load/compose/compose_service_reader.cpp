#include "stackfit/load/compose/compose_service_reader.hpp"

#include <algorithm>

#include "stackfit/load/compose/compose_env_file.hpp"
#include "stackfit/load/compose/compose_field_readers.hpp"
#include "stackfit/load/compose/compose_merge.hpp"
#include "stackfit/load/compose/compose_resources_reader.hpp"
#include "stackfit/util/file_io.hpp"
#include "stackfit/util/quoted_excerpt.hpp"

namespace stackfit::compose {
namespace {


Expected<std::vector<Dependency>> read_depends_on(const yaml::Node& node, const std::string& path) {
  std::vector<Dependency> out;
  if (node.is_sequence()) {
    auto names = read_string_list(node, path);
    TRY(names);
    for (auto& n : *names) out.push_back(Dependency{n, "service_started", true});
    return out;
  }
  TRY(expect_mapping(node, path));
  for (const auto& e : node.entries) {
    Dependency dep{e.key, "service_started", true};
    std::string p = path + "." + e.key;
    if (!e.value.is_null()) {
      TRY(expect_mapping(e.value, p));
    }
    if (const yaml::Node* c = e.value.find("condition")) {
      auto text = read_string(*c, p + ".condition");
      TRY(text);
      if (*text != "service_started" && *text != "service_healthy" &&
          *text != "service_completed_successfully") {
        return located_error(*c, p + ".condition",
                             "expected service_started, service_healthy or "
                             "service_completed_successfully, got " + quoted_excerpt(*text));
      }
      dep.condition = *text;
    }
    if (const yaml::Node* r = e.value.find("required")) {
      auto b = read_bool(*r, p + ".required");
      TRY(b);
      dep.required = *b;
    }
    out.push_back(std::move(dep));
  }
  return out;
}

Expected<void> read_duration_field(const yaml::Node& hc, std::string_view key, const std::string& path,
                                   std::optional<std::int64_t>& out) {
  const yaml::Node* node = hc.find(key);
  if (node == nullptr) return {};
  auto ms = read_duration_ms(*node, path + "." + std::string(key));
  TRY(ms);
  out = *ms;
  return {};
}

Expected<Healthcheck> read_healthcheck(const yaml::Node& node, const std::string& path) {
  TRY(expect_mapping(node, path));
  Healthcheck hc;
  if (const yaml::Node* d = node.find("disable")) {
    auto b = read_bool(*d, path + ".disable");
    TRY(b);
    hc.disabled = *b;
  }
  if (const yaml::Node* t = node.find("test")) {
    auto words = read_string_list(*t, path + ".test");
    TRY(words);
    if (!words->empty() && words->front() == "NONE") hc.disabled = true;
  }
  for (auto [key, field] : {std::pair{"interval", &hc.interval_ms}, std::pair{"timeout", &hc.timeout_ms},
                            std::pair{"start_period", &hc.start_period_ms}}) {
    TRY(read_duration_field(node, key, path, *field));
  }
  if (const yaml::Node* r = node.find("retries")) {
    auto n = read_integer(*r, path + ".retries");
    TRY(n);
    hc.retries = *n;
  }
  return hc;
}

// labels / environment in either form, as ordered pairs; null values kept as
// nullopt so environment can look them up.
using OptionalPairs = std::vector<std::pair<std::string, std::optional<std::string>>>;

Expected<OptionalPairs> read_key_values(const yaml::Node& node, const std::string& path) {
  yaml::Node mapping = key_values_as_mapping(node);
  if (mapping.is_sequence()) {
    for (std::size_t i = 0; i < mapping.items.size(); ++i) {
      if (!mapping.items[i].is_scalar()) {
        return located_error(mapping.items[i], path + "[" + std::to_string(i) + "]",
                             std::string("expected a KEY=VALUE string, got ") + mapping.items[i].kind_name());
      }
    }
  }
  TRY(expect_mapping(mapping, path));
  OptionalPairs out;
  for (const auto& e : mapping.entries) {
    if (e.value.is_null()) {
      out.emplace_back(e.key, std::nullopt);
    } else if (e.value.is_scalar()) {
      out.emplace_back(e.key, e.value.text);
    } else {
      return located_error(e.value, path + "." + e.key,
                           std::string("expected a string, number or boolean, got ") + e.value.kind_name());
    }
  }
  return out;
}

// Reads every env_file entry (string, or {path, required}) in order.
Expected<void> read_env_files(const yaml::Node& node, const std::string& path,
                              const VariableLookup& environment, KeyValueBuilder& out) {
  std::vector<const yaml::Node*> entries;
  if (node.is_sequence()) {
    for (const auto& item : node.items) entries.push_back(&item);
  } else {
    entries.push_back(&node);
  }
  for (const yaml::Node* entry : entries) {
    const yaml::Node* path_node = entry;
    bool required = true;
    if (entry->is_mapping()) {
      path_node = entry->find("path");
      if (path_node == nullptr) return located_error(*entry, path, "env_file entry has no path");
      if (const yaml::Node* r = entry->find("required")) {
        auto b = read_bool(*r, path + ".required");
        TRY(b);
        required = *b;
      }
    }
    auto file = read_string(*path_node, path);
    TRY(file);
    if (!file_exists(*file)) {
      if (!required) continue;
      return make_error(ErrorCode::not_found,
                        path_node->location.to_string() + ": " + path + ": env file " + *file + " not found");
    }
    auto values = read_env_file(*file, environment);
    TRY(values);
    for (auto& [k, v] : *values) out.set(k, std::move(v));
  }
  return {};
}

Expected<KeyValues> read_environment(const yaml::Node& def, const std::string& path,
                                     const VariableLookup& environment) {
  KeyValueBuilder out;
  if (const yaml::Node* files = def.find("env_file")) {
    TRY(read_env_files(*files, path + ".env_file", environment, out));
  }
  if (const yaml::Node* env = def.find("environment")) {
    auto pairs = read_key_values(*env, path + ".environment");
    TRY(pairs);
    for (auto& [k, v] : *pairs) {
      // A bare KEY takes its value from the environment, or is left out.
      std::optional<std::string> value = v ? v : environment(k);
      if (value) out.set(k, std::move(*value));
    }
  }
  return out.take();
}

Expected<Priority> parse_priority(const yaml::Node& node, const std::string& path) {
  auto text = read_string(node, path);
  TRY(text);
  if (*text == "critical") return Priority::critical;
  if (*text == "normal") return Priority::normal;
  if (*text == "optional") return Priority::optional;
  return located_error(node, path, "expected critical, normal or optional, got " + quoted_excerpt(*text));
}

// x-stackfit.priority wins over the stackfit.priority label; nullopt when
// neither is given.
Expected<std::optional<Priority>> read_priority(const yaml::Node& def, const std::string& path) {
  if (const yaml::Node* ext = def.find("x-stackfit")) {
    TRY(expect_mapping(*ext, path + ".x-stackfit"));
    if (const yaml::Node* p = ext->find("priority")) return parse_priority(*p, path + ".x-stackfit.priority");
  }
  if (const yaml::Node* labels = def.find("labels")) {
    yaml::Node mapping = key_values_as_mapping(*labels);
    if (const yaml::Node* p = mapping.find(k_priority_label)) {
      return parse_priority(*p, path + ".labels." + std::string(k_priority_label));
    }
  }
  return std::nullopt;
}

Expected<std::vector<std::string>> read_full_command(const yaml::Node& def, const std::string& path) {
  std::vector<std::string> out;
  for (const char* key : {"entrypoint", "command"}) {
    if (const yaml::Node* node = def.find(key)) {
      auto words = read_command(*node, path + "." + key);
      TRY(words);
      out.insert(out.end(), words->begin(), words->end());
    }
  }
  return out;
}

// Words of `entrypoint` (read_full_command already validated it).
std::size_t entrypoint_word_count(const yaml::Node& def) {
  const yaml::Node* node = def.find("entrypoint");
  if (node == nullptr) return 0;
  auto words = read_command(*node, "entrypoint");
  return words ? words->size() : 0;
}

Expected<void> read_relations(const yaml::Node& def, const std::string& path, Service& s) {
  if (const yaml::Node* deps = def.find("depends_on")) {
    auto d = read_depends_on(*deps, path + ".depends_on");
    TRY(d);
    s.depends_on = std::move(*d);
  }
  if (const yaml::Node* hc = def.find("healthcheck"); hc && !hc->is_null()) {
    auto h = read_healthcheck(*hc, path + ".healthcheck");
    TRY(h);
    s.healthcheck = *h;
  }
  if (const yaml::Node* profiles = def.find("profiles")) {
    auto p = read_string_list(*profiles, path + ".profiles");
    TRY(p);
    s.profiles = std::move(*p);
  }
  if (const yaml::Node* labels = def.find("labels")) {
    auto pairs = read_key_values(*labels, path + ".labels");
    TRY(pairs);
    for (auto& [k, v] : *pairs) s.labels.emplace_back(k, v.value_or(""));
  }
  auto priority = read_priority(def, path);
  TRY(priority);
  s.priority = priority->value_or(Priority::normal);
  s.priority_declared = priority->has_value();
  return {};
}

// Container paths of `volumes` (short "src:dst[:mode]" or "dst", long
// `target:`) and `tmpfs` ("dst[:options]"). Lenient: these only feed runtime
// hints, and `docker compose config` is the validator of their syntax.
std::vector<std::string> read_mount_paths(const yaml::Node& def) {
  std::vector<std::string> out;
  auto add_short = [&](const std::string& text, std::size_t field) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t colon = text.find(':'); ; colon = text.find(':', start)) {
      parts.push_back(text.substr(start, colon == std::string::npos ? std::string::npos : colon - start));
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
    const std::string& path = parts.size() > field ? parts[field] : parts[0];
    if (path.starts_with("/")) out.push_back(path);
  };
  for (const char* key : {"volumes", "tmpfs"}) {
    const yaml::Node* list = def.find(key);
    if (list == nullptr) continue;
    if (list->is_scalar()) add_short(list->text, 0);
    if (!list->is_sequence()) continue;
    for (const yaml::Node& item : list->items) {
      if (item.is_scalar()) add_short(item.text, std::string_view(key) == "volumes" ? 1 : 0);
      const yaml::Node* target = item.is_mapping() ? item.find("target") : nullptr;
      if (target != nullptr && target->is_scalar()) out.push_back(target->text);
    }
  }
  return out;
}

}  // namespace

bool is_service_active(const std::vector<std::string>& service_profiles,
                       const std::vector<std::string>& active) {
  if (service_profiles.empty()) return true;
  if (std::find(active.begin(), active.end(), "*") != active.end()) return true;
  return std::any_of(service_profiles.begin(), service_profiles.end(), [&](const std::string& p) {
    return std::find(active.begin(), active.end(), p) != active.end();
  });
}

Expected<Service> read_service(const std::string& name, const yaml::Node& definition,
                               const SourceLocation& key_location, const VariableLookup& environment) {
  std::string path = "services." + name;
  TRY(expect_mapping(definition, path));
  Service s;
  s.name = name;
  s.kind = "service";
  s.declared_at = key_location;
  if (const yaml::Node* image = definition.find("image")) {
    auto text = read_string(*image, path + ".image");
    TRY(text);
    s.image = *text;
  }
  if (s.image.empty() && definition.find("build") == nullptr) {
    return make_error(ErrorCode::bad_input, key_location.to_string() + ": service \"" + name +
                                                "\" has neither an image nor a build context specified");
  }
  auto sizing = read_service_sizing(definition, path, key_location);
  TRY(sizing);
  s.resources = sizing->resources;
  s.replicas = sizing->replicas;
  s.compose_keys = sizing->keys;
  TRY(read_relations(definition, path, s));

  Container c;
  c.name = name;
  c.image = s.image;
  c.resources = s.resources;
  c.declared_at = key_location;
  auto command = read_full_command(definition, path);
  TRY(command);
  c.command = std::move(*command);
  c.entrypoint_words = entrypoint_word_count(definition);
  auto env = read_environment(definition, path, environment);
  TRY(env);
  c.environment = std::move(*env);
  c.mount_paths = read_mount_paths(definition);
  s.containers.push_back(std::move(c));
  return s;
}

}  // namespace stackfit::compose
