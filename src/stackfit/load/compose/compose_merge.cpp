#include "stackfit/load/compose/compose_merge.hpp"

#include <string_view>

namespace stackfit::compose {
namespace {

enum class Rule { deep, replace, key_values, depends_on };

// The rule for `rel`, a path relative to the service ("healthcheck.test").
Rule rule_for(std::string_view rel) {
  if (rel == "command" || rel == "entrypoint" || rel == "healthcheck.test") return Rule::replace;
  if (rel == "environment" || rel == "labels" || rel == "annotations" || rel == "sysctls" ||
      rel == "extra_hosts" || rel == "build.args" || rel == "deploy.labels") {
    return Rule::key_values;
  }
  if (rel == "depends_on") return Rule::depends_on;
  return Rule::deep;
}

std::string join(const std::string& a, const std::string& b) { return a.empty() ? b : a + "." + b; }

// depends_on as a mapping: list items become `name: {}` (defaults apply later).
yaml::Node depends_on_as_mapping(const yaml::Node& node) {
  if (!node.is_sequence()) return node;
  yaml::Node out = yaml::Node::make_mapping(node.location);
  for (const auto& item : node.items) {
    if (item.is_scalar()) out.set(item.text, yaml::Node::make_mapping(item.location), item.location);
  }
  return out;
}

// Strings where Compose also takes a list (env_file, dns, tmpfs, build).
yaml::Node as_sequence(const yaml::Node& node) {
  if (!node.is_scalar()) return node;
  yaml::Node seq = yaml::Node::make_sequence(node.location);
  seq.items.push_back(node);
  return seq;
}

struct MergeContext {
  bool in_service = false;
  std::string rel;   // path relative to the service, for the rules
  std::string path;  // full path, for messages
};

Expected<void> merge_nodes(yaml::Node& base, yaml::Node&& over, const MergeContext& ctx);

Expected<void> merge_mappings(yaml::Node& base, yaml::Node&& over, const MergeContext& ctx) {
  for (auto& entry : over.entries) {
    if (entry.value.tag == "!reset") {
      base.erase(entry.key);
      continue;
    }
    yaml::Node* existing = base.find(entry.key);
    if (existing == nullptr) {
      base.entries.push_back(std::move(entry));
      continue;
    }
    MergeContext next{ctx.in_service, join(ctx.rel, entry.key), join(ctx.path, entry.key)};
    if (!ctx.in_service && ctx.path == "services") {
      next = MergeContext{true, "", next.path};
    }
    if (auto r = merge_nodes(*existing, std::move(entry.value), next); !r) return r;
  }
  return {};
}

Expected<void> merge_deep(yaml::Node& base, yaml::Node&& over, const MergeContext& ctx) {
  if (base.is_mapping() && over.is_mapping()) return merge_mappings(base, std::move(over), ctx);
  if (over.is_null() && !base.is_scalar()) return {};  // an empty override adds nothing
  if (base.is_null()) {  // `backend:` then `backend: {aliases: [...]}`
    base = std::move(over);
    return {};
  }
  if (base.is_sequence() || over.is_sequence()) {
    yaml::Node left = as_sequence(base);
    yaml::Node right = as_sequence(over);
    if (left.is_sequence() && right.is_sequence()) {
      for (auto& item : right.items) left.items.push_back(std::move(item));
      base = std::move(left);
      return {};
    }
  }
  if ((base.is_scalar() || base.is_null()) && (over.is_scalar() || over.is_null())) {
    base = std::move(over);
    return {};
  }
  if (ctx.in_service && ctx.rel == "build") {
    yaml::Node left = base.is_scalar() ? yaml::Node::make_mapping(base.location) : base;
    if (base.is_scalar()) left.set("context", base, base.location);
    yaml::Node right = over.is_scalar() ? yaml::Node::make_mapping(over.location) : over;
    if (over.is_scalar()) right.set("context", over, over.location);
    base = std::move(left);
    return merge_mappings(base, std::move(right), ctx);
  }
  return make_error(ErrorCode::bad_input, over.location.to_string() + ": " + ctx.path +
                                              ": cannot merge " + over.kind_name() + " into " +
                                              base.kind_name());
}

Expected<void> merge_nodes(yaml::Node& base, yaml::Node&& over, const MergeContext& ctx) {
  if (over.tag == "!override") {
    base = std::move(over);
    return {};
  }
  Rule rule = ctx.in_service ? rule_for(ctx.rel) : Rule::deep;
  switch (rule) {
    case Rule::replace:
      base = std::move(over);
      return {};
    case Rule::key_values: {
      yaml::Node merged = key_values_as_mapping(base);
      yaml::Node right = key_values_as_mapping(over);
      if (!merged.is_mapping() || !right.is_mapping()) return merge_deep(base, std::move(over), ctx);
      for (auto& e : right.entries) merged.set(e.key, std::move(e.value), e.key_location);
      base = std::move(merged);
      return {};
    }
    case Rule::depends_on: {
      yaml::Node merged = depends_on_as_mapping(base);
      yaml::Node right = depends_on_as_mapping(over);
      base = std::move(merged);
      return merge_deep(base, std::move(right), ctx);
    }
    case Rule::deep:
      return merge_deep(base, std::move(over), ctx);
  }
  return {};
}

}  // namespace

yaml::Node key_values_as_mapping(const yaml::Node& node) {
  if (!node.is_sequence()) return node;
  yaml::Node out = yaml::Node::make_mapping(node.location);
  for (const auto& item : node.items) {
    if (!item.is_scalar()) return node;  // left for the reader to report
    std::size_t eq = item.text.find('=');
    if (eq == std::string::npos) {
      yaml::Node null_value;
      null_value.location = item.location;
      out.set(item.text, std::move(null_value), item.location);
    } else {
      out.set(item.text.substr(0, eq),
              yaml::Node::make_scalar(item.text.substr(eq + 1), item.location,
                                      yaml::ScalarStyle::double_quoted),
              item.location);
    }
  }
  return out;
}

Expected<void> merge_documents(yaml::Node& base, yaml::Node&& over) {
  return merge_mappings(base, std::move(over), MergeContext{});
}

Expected<void> merge_service(yaml::Node& base, yaml::Node&& over, const std::string& path) {
  return merge_mappings(base, std::move(over), MergeContext{true, "", path});
}

}  // namespace stackfit::compose
