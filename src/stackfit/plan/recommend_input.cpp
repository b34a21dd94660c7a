#include "stackfit/plan/recommend_input.hpp"

#include <charconv>
#include <cmath>
#include <memory>
#include <optional>

#include "stackfit/load/yaml_node.hpp"
#include "stackfit/util/file_io.hpp"

namespace stackfit {
namespace {

using yaml::Node;

tl::unexpected<Error> located(const Node& at, const std::string& path, const std::string& reason) {
  return make_error(ErrorCode::bad_input, at.location.to_string() + ": " + path + ": " + reason);
}

Expected<std::string> string_field(const Node& parent, const char* key, const std::string& path) {
  const Node* v = parent.find(key);
  std::string where = path + "." + key;
  if (!v) return located(parent, where, "missing");
  if (!v->is_scalar() || v->is_plain_scalar()) return located(*v, where, "expected a string");
  return v->text;
}

// A non-negative JSON integer, or nullopt for null / absent.
Expected<std::optional<std::int64_t>> count_field(const Node& parent, const char* key, const std::string& path) {
  const Node* v = parent.find(key);
  if (!v || v->is_null() || (v->is_plain_scalar() && v->text == "null")) return std::optional<std::int64_t>{};
  std::string where = path + "." + key;
  if (!v->is_plain_scalar()) return located(*v, where, "expected a non-negative integer or null");
  std::int64_t n = -1;
  const char* end = v->text.data() + v->text.size();
  auto [ptr, ec] = std::from_chars(v->text.data(), end, n);
  if (v->text.empty() || ec != std::errc() || ptr != end || n < 0) {
    return located(*v, where, "expected a non-negative integer or null, got " + v->text);
  }
  return std::optional<std::int64_t>{n};
}

Expected<double> confidence_field(const Node& service, const std::string& path) {
  const Node* v = service.find("confidence");
  if (!v || v->is_null() || (v->is_plain_scalar() && v->text == "null")) return 0.0;
  double c = -1;
  const char* end = v->text.data() + v->text.size();
  auto [ptr, ec] = v->is_plain_scalar() ? std::from_chars(v->text.data(), end, c)
                                        : std::from_chars_result{v->text.data(), std::errc::invalid_argument};
  if (ec != std::errc() || ptr != end || !std::isfinite(c) || c < 0 || c > 1) {
    return located(*v, path + ".confidence", "expected a number from 0 to 1");
  }
  return c;
}

Expected<void> read_resources(const Node& service, const std::string& path, Resources& r) {
  struct Field {
    const char* section;
    const char* key;
    bool memory;
    bool request;
  };
  for (const Field& f : {Field{"memory", "request_bytes", true, true}, Field{"memory", "limit_bytes", true, false},
                         Field{"cpu", "request_millicores", false, true},
                         Field{"cpu", "limit_millicores", false, false}}) {
    const Node* section = service.find(f.section);
    if (!section || section->is_null()) continue;
    if (!section->is_mapping()) return located(*section, path + "." + f.section, "expected an object");
    auto value = count_field(*section, f.key, path + "." + f.section);
    if (!value) return tl::unexpected(value.error());
    if (!*value) continue;
    if (f.memory) (f.request ? r.memory_request : r.memory_limit) = Bytes{**value};
    if (!f.memory) (f.request ? r.cpu_request : r.cpu_limit) = Millicores{**value};
  }
  return {};
}

Expected<RuntimeKnob> knob_named(const Node& v, const std::string& path) {
  for (RuntimeKnob k : {RuntimeKnob::jvm_max_heap, RuntimeKnob::elasticsearch_heap, RuntimeKnob::neo4j_heap,
                        RuntimeKnob::neo4j_pagecache, RuntimeKnob::postgres_shared_buffers,
                        RuntimeKnob::postgres_effective_cache_size, RuntimeKnob::redis_maxmemory,
                        RuntimeKnob::node_max_old_space}) {
    if (v.text == to_string(k)) return k;
  }
  return located(v, path, "unknown knob \"" + v.text + "\"");
}

Expected<void> read_knobs(const Node& service, const std::string& path, std::vector<RuntimeKnobValue>& out) {
  const Node* list = service.find("runtime");
  if (!list || list->is_null()) return {};
  if (!list->is_sequence()) return located(*list, path + ".runtime", "expected a list");
  for (std::size_t i = 0; i < list->items.size(); ++i) {
    const Node& item = list->items[i];
    std::string at = path + ".runtime[" + std::to_string(i) + "]";
    if (!item.is_mapping()) return located(item, at, "expected an object");
    auto name = string_field(item, "knob", at);
    if (!name) return tl::unexpected(name.error());
    auto knob = knob_named(*item.find("knob"), at + ".knob");
    if (!knob) return tl::unexpected(knob.error());
    auto bytes = count_field(item, "bytes", at);
    if (!bytes) return tl::unexpected(bytes.error());
    if (!*bytes) continue;
    RuntimeKnobValue kv;
    kv.knob = *knob;
    kv.value = Bytes{**bytes};
    if (const Node* p = item.find("policy"); p && p->is_scalar() && !p->is_plain_scalar()) kv.policy = p->text;
    if (const Node* r = item.find("reason"); r && r->is_scalar() && !r->is_plain_scalar()) kv.reason = r->text;
    out.push_back(std::move(kv));
  }
  return {};
}

Expected<std::optional<RecommendedTarget>> read_service(const Node& item, const std::string& path) {
  if (!item.is_mapping()) return located(item, path, std::string("expected an object, got ") + item.kind_name());
  RecommendedTarget rec;
  ResourceTarget& t = rec.target;
  for (auto [key, field] : {std::pair{"name", &t.service}, std::pair{"kind", &t.kind},
                            std::pair{"namespace", &t.namespace_}, std::pair{"container", &t.container},
                            std::pair{"status", &rec.status}}) {
    if (std::string_view(key) != "name" && std::string_view(key) != "status" && !item.find(key)) continue;
    auto text = string_field(item, key, path);
    if (!text) return tl::unexpected(text.error());
    *field = *text;
  }
  if (rec.status != "ok" && rec.status != "trend" && rec.status != "not_enough_data") {
    return located(*item.find("status"), path + ".status",
                   "expected ok, trend or not_enough_data, got \"" + rec.status + "\"");
  }
  auto confidence = confidence_field(item, path);
  if (!confidence) return tl::unexpected(confidence.error());
  rec.confidence = *confidence;
  if (auto ok = read_resources(item, path, t.resources); !ok) return tl::unexpected(ok.error());
  if (auto ok = read_knobs(item, path, t.knobs); !ok) return tl::unexpected(ok.error());
  if (rec.status == "not_enough_data") return std::optional<RecommendedTarget>{};
  return std::optional<RecommendedTarget>{std::move(rec)};
}

}  // namespace

Expected<std::vector<RecommendedTarget>> read_recommendations(std::string_view text, const std::string& file) {
  auto name = std::make_shared<const std::string>(file);
  auto root = yaml::parse_single_document(text, name);
  if (!root) return tl::unexpected(root.error());
  if (root->location.file == nullptr) root->location.file = name;
  if (!root->is_mapping()) {
    return make_error(ErrorCode::bad_input, root->location.to_string() +
                                                ": expected the JSON object of `stackfit recommend --format json`");
  }
  const Node* schema = root->find("schema");
  if (!schema || schema->text != "stackfit.recommend/1") {
    const Node& at = schema ? *schema : *root;
    return located(at, "schema", "expected \"stackfit.recommend/1\" (the output of `stackfit recommend --format json`)");
  }
  const Node* services = root->find("services");
  if (!services || !services->is_sequence()) return located(services ? *services : *root, "services", "expected a list");
  std::vector<RecommendedTarget> out;
  for (std::size_t i = 0; i < services->items.size(); ++i) {
    auto rec = read_service(services->items[i], "services[" + std::to_string(i) + "]");
    if (!rec) return tl::unexpected(rec.error());
    if (*rec) out.push_back(std::move(**rec));
  }
  return out;
}

Expected<std::vector<RecommendedTarget>> read_recommendations_file(const std::string& path) {
  auto text = read_file(path);
  if (!text) return tl::unexpected(text.error());
  return read_recommendations(*text, path);
}

}  // namespace stackfit
