#include "stackfit/emit/kustomize_patch_writer.hpp"

#include <memory>

#include "stackfit/emit/runtime_knob_rewriter.hpp"
#include "stackfit/emit/yaml_out.hpp"
#include "stackfit/load/yaml_node.hpp"

namespace stackfit {
namespace {

const char* api_version(const std::string& kind) {
  if (kind == "Job" || kind == "CronJob") return "batch/v1";
  if (kind == "Pod" || kind == "ReplicationController") return "v1";
  return "apps/v1";
}

const Container* find_container(const Service& s, const std::string& name) {
  for (const Container& c : s.containers) {
    if (name.empty() ? c.role == ContainerRole::app : c.name == name) return &c;
  }
  return nullptr;
}

std::string workload_label(const ResourceTarget& t) {
  return (t.namespace_.empty() ? "" : t.namespace_ + "/") + t.service;
}

struct Resolved {
  const Service* service = nullptr;
  const Container* container = nullptr;
};

Expected<Resolved> resolve(const Stack& stack, const ResourceTarget& t) {
  const Service* s = find_workload(stack, t);
  if (s == nullptr) {
    return make_error(ErrorCode::not_found, "workload \"" + workload_label(t) + "\" is not in the manifests");
  }
  const Container* c = find_container(*s, t.container);
  if (c == nullptr) {
    return make_error(ErrorCode::not_found,
                      "workload \"" + workload_label(t) + "\" has no container \"" + t.container + "\"");
  }
  return Resolved{s, c};
}

void write_resources(YamlOut& container, const Resources& r) {
  if (r.memory_request)
    container.at("resources").at("requests").set("memory", YamlOut::string(format_k8s_memory(*r.memory_request)));
  if (r.cpu_request)
    container.at("resources").at("requests").set("cpu", YamlOut::string(format_k8s_cpu(*r.cpu_request)));
  if (r.memory_limit)
    container.at("resources").at("limits").set("memory", YamlOut::string(format_k8s_memory(*r.memory_limit)));
  if (r.cpu_limit) container.at("resources").at("limits").set("cpu", YamlOut::string(format_k8s_cpu(*r.cpu_limit)));
}

void write_knobs(YamlOut& container, const Container& c, const std::vector<RuntimeKnobValue>& knobs) {
  if (knobs.empty()) return;
  KnobEdits edits = rewrite_runtime_knobs(split_command(c), c.environment, c.image, knobs);
  if (edits.entrypoint) container.set("command", YamlOut::strings(*edits.entrypoint));
  if (edits.command) container.set("args", YamlOut::strings(*edits.command));
  if (edits.environment.empty()) return;
  // env is merged by name by the strategic merge: only the changed variables.
  YamlOut env = YamlOut::sequence();
  for (const auto& [k, v] : edits.environment) {
    YamlOut var = YamlOut::mapping();
    var.set("name", YamlOut::string(k));
    var.set("value", YamlOut::string(v));
    env.push(std::move(var));
  }
  container.set("env", std::move(env));
}

// The pod spec inside a workload document.
YamlOut& pod_spec(YamlOut& doc, const std::string& kind) {
  if (kind == "Pod") return doc.at("spec");
  if (kind == "CronJob") return doc.at("spec").at("jobTemplate").at("spec").at("template").at("spec");
  return doc.at("spec").at("template").at("spec");
}

struct Document {
  const Service* service;
  YamlOut doc;
  YamlOut containers = YamlOut::sequence();
  YamlOut init_containers = YamlOut::sequence();
};

// A target's replica count in the workload's own terms (see the header).
Expected<void> write_replicas(YamlOut& doc, const Service& s, std::int64_t replicas) {
  const std::string& kind = s.kind;
  if (kind == "Pod" || kind == "DaemonSet") {
    return make_error(ErrorCode::usage, "workload \"" + (s.namespace_.empty() ? "" : s.namespace_ + "/") + s.name +
                                            "\" is a " + kind + ": it has no replica count to set in a patch");
  }
  if (kind == "Job" || kind == "CronJob") {
    if (replicas == 0) {
      doc.at("spec").set("suspend", YamlOut::literal("true"));
    } else {
      YamlOut& job_spec = kind == "Job" ? doc.at("spec") : doc.at("spec").at("jobTemplate").at("spec");
      job_spec.set("parallelism", YamlOut::literal(std::to_string(replicas)));
    }
    return {};
  }
  doc.at("spec").set("replicas", YamlOut::literal(std::to_string(replicas)));
  return {};
}

std::string comment_lines(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    out += line.empty() ? "#\n" : "# " + line + "\n";
    start = end + 1;
  }
  return out;
}

}  // namespace

Expected<std::string> render_kustomize_patch(const Stack& stack, const std::vector<ResourceTarget>& targets,
                                             const std::string& header_comment) {
  std::vector<Document> docs;
  for (const ResourceTarget& t : targets) {
    auto r = resolve(stack, t);
    TRY(r);
    Document* d = nullptr;
    for (Document& existing : docs) {
      if (existing.service == r->service) d = &existing;
    }
    if (d == nullptr) {
      docs.push_back(Document{r->service, YamlOut::mapping()});
      d = &docs.back();
      d->doc.set("apiVersion", YamlOut::string(api_version(r->service->kind)));
      d->doc.set("kind", YamlOut::string(r->service->kind));
      d->doc.at("metadata").set("name", YamlOut::string(r->service->name));
      if (!r->service->namespace_.empty())
        d->doc.at("metadata").set("namespace", YamlOut::string(r->service->namespace_));
    }
    if (t.replicas) {
      TRY(write_replicas(d->doc, *r->service, *t.replicas));
    }
    YamlOut c = YamlOut::mapping();
    c.set("name", YamlOut::string(r->container->name));
    write_resources(c, t.resources);
    write_knobs(c, *r->container, t.knobs);
    (r->container->role == ContainerRole::app ? d->containers : d->init_containers).push(std::move(c));
  }
  std::string out = comment_lines(header_comment);
  bool first = true;
  for (Document& d : docs) {
    if (!d.containers.empty()) pod_spec(d.doc, d.service->kind).set("containers", std::move(d.containers));
    if (!d.init_containers.empty())
      pod_spec(d.doc, d.service->kind).set("initContainers", std::move(d.init_containers));
    out += (first ? "" : "---\n") + d.doc.render();
    first = false;
  }
  return out;
}

Expected<std::string> render_kubectl_set_resources(const Stack& stack, const std::vector<ResourceTarget>& targets) {
  // Shell words: names are DNS labels in valid manifests, but quote anything
  // else so a hostile name cannot run a command.
  auto word = [](const std::string& s) {
    if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX"
                                          "YZ0123456789-._/=,") == std::string::npos) {
      return s;
    }
    std::string q = "'";
    for (char ch : s) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return q + "'";
  };
  std::string out;
  for (const ResourceTarget& t : targets) {
    auto r = resolve(stack, t);
    TRY(r);
    const Resources& res = t.resources;
    std::string limits;
    std::string requests;
    if (res.cpu_limit) limits += "cpu=" + format_k8s_cpu(*res.cpu_limit);
    if (res.memory_limit)
      limits += (limits.empty() ? "" : ",") + std::string("memory=") + format_k8s_memory(*res.memory_limit);
    if (res.cpu_request) requests += "cpu=" + format_k8s_cpu(*res.cpu_request);
    if (res.memory_request)
      requests += (requests.empty() ? "" : ",") + std::string("memory=") + format_k8s_memory(*res.memory_request);
    if (limits.empty() && requests.empty()) continue;
    std::string kind = r->service->kind;
    for (char& ch : kind) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    out += "kubectl set resources " + word(kind + "/" + r->service->name) + " -c " + word(r->container->name);
    if (!r->service->namespace_.empty()) out += " -n " + word(r->service->namespace_);
    if (!limits.empty()) out += " --limits=" + limits;
    if (!requests.empty()) out += " --requests=" + requests;
    out += "\n";
  }
  return out;
}

Expected<std::string> add_kustomization_patch(const std::string& text, const std::string& file,
                                              const std::string& patch_file) {
  auto doc = yaml::parse_single_document(text, std::make_shared<const std::string>(file));
  TRY(doc);
  if (!doc->is_mapping()) {
    return make_error(ErrorCode::bad_input, doc->location.to_string() + ": kustomization: expected a mapping");
  }
  const std::string entry = "- path: " + yaml_scalar(patch_file) + "\n";
  const yaml::MapEntry* patches = doc->find_entry("patches");
  std::string out = text;
  if (!out.empty() && out.back() != '\n') out += '\n';
  if (patches == nullptr || patches->value.is_null()) {
    if (patches != nullptr) {
      return make_error(ErrorCode::bad_input,
                        patches->key_location.to_string() + ": patches: empty; add the entry by hand: " + entry);
    }
    return out + "patches:\n" + entry;
  }
  const yaml::Node& list = patches->value;
  if (!list.is_sequence()) {
    return make_error(ErrorCode::bad_input, list.location.to_string() + ": patches: expected a list");
  }
  for (const yaml::Node& item : list.items) {
    const yaml::Node* path = item.find("path");
    if ((path && path->text == patch_file) || (item.is_scalar() && item.text == patch_file)) return text;
  }
  if (list.items.empty() || list.items.front().location.line == patches->key_location.line) {
    return make_error(ErrorCode::bad_input,
                      list.location.to_string() + ": patches: a flow list ([...]); add the entry by hand: " + entry);
  }
  // Insert before the first item's line, with the first item's indentation
  // (the "- " sits two columns left of the item's content).
  const yaml::Node& first = list.items.front();
  std::size_t line_start = 0;
  for (std::uint32_t line = 1; line < first.location.line; ++line) line_start = out.find('\n', line_start) + 1;
  std::size_t dash = out.find('-', line_start);
  std::string indent(dash == std::string::npos ? 0 : dash - line_start, ' ');
  return out.insert(line_start, indent + entry);
}

std::string render_new_kustomization(const std::vector<std::string>& resources, const std::string& patch_file) {
  YamlOut root = YamlOut::mapping();
  root.set("apiVersion", YamlOut::string("kustomize.config.k8s.io/v1beta1"));
  root.set("kind", YamlOut::string("Kustomization"));
  root.set("resources", YamlOut::strings(resources));
  YamlOut entry = YamlOut::mapping();
  entry.set("path", YamlOut::string(patch_file));
  root.at("patches") = YamlOut::sequence();
  root.at("patches").push(std::move(entry));
  return root.render();
}

}  // namespace stackfit
