#include "stackfit/emit/apply_report.hpp"

#include "stackfit/emit/yaml_out.hpp"
#include "stackfit/util/text_table.hpp"

namespace stackfit {
namespace {

const Service* find_service(const Stack& stack, const ResourceTarget& t) {
  for (const Service& s : stack.services) {
    if (s.name != t.service) continue;
    if (stack.kind == StackKind::kubernetes && !t.namespace_.empty() && s.namespace_ != t.namespace_) continue;
    return &s;
  }
  return nullptr;
}

// Declared resources of the target's container (Kubernetes) or service.
Resources declared(const Service& s, const ResourceTarget& t) {
  if (t.container.empty())
    return s.kind == "service" ? s.resources : s.containers.empty() ? s.resources : s.containers.front().resources;
  for (const Container& c : s.containers) {
    if (c.name == t.container) return c.resources;
  }
  return s.resources;
}

template <class T, class F>
std::string change(const std::optional<T>& from, const std::optional<T>& to, F format) {
  std::string before = from ? format(*from) : "-";
  if (!to) return before;
  std::string after = format(*to);
  return before == after ? after + " (=)" : before + " -> " + after;
}

}  // namespace

Expected<void> check_targets_in_stack(const Stack& stack, const std::vector<ResourceTarget>& targets,
                                      const std::string& source) {
  for (const ResourceTarget& t : targets) {
    if (find_service(stack, t) != nullptr) continue;
    std::string what = stack.kind == StackKind::compose ? "service" : "workload";
    std::string name = (t.namespace_.empty() ? "" : t.namespace_ + "/") + t.service;
    return make_error(ErrorCode::not_found, source + ": " + what + " \"" + name +
                                                "\" is not in the stack (renamed or removed since it "
                                                "was recorded?); nothing written");
  }
  return {};
}

std::string render_apply_dry_run(const Stack& stack, const std::vector<ResourceTarget>& targets) {
  TextTable table({"SERVICE", "MEMORY REQUEST", "MEMORY LIMIT", "CPU REQUEST", "CPU LIMIT", "REPLICAS", "RUNTIME"},
                  {Align::left, Align::left, Align::left, Align::left, Align::left, Align::left, Align::left});
  auto mem = [](Bytes b) { return format_human_bytes(b); };
  auto cpu = [](Millicores m) { return format_human_cpu(m); };
  auto count = [](std::int64_t n) { return std::to_string(n); };
  for (const ResourceTarget& t : targets) {
    const Service* s = find_service(stack, t);
    if (s == nullptr) continue;
    Resources d = declared(*s, t);
    std::string knobs;
    for (const RuntimeKnobValue& k : t.knobs) {
      knobs += (knobs.empty() ? "" : ", ") + std::string(to_string(k.knob)) + "=" + format_human_bytes(k.value) +
               (k.policy.empty() ? "" : " " + k.policy);
    }
    std::string name = t.service + (t.container.empty() ? "" : "/" + t.container);
    table.add_row({name, change(d.memory_request, t.resources.memory_request, mem),
                   change(d.memory_limit, t.resources.memory_limit, mem),
                   change(d.cpu_request, t.resources.cpu_request, cpu), change(d.cpu_limit, t.resources.cpu_limit, cpu),
                   change(std::optional<std::int64_t>(s->replicas), t.replicas, count), knobs.empty() ? "-" : knobs});
  }
  return table.to_text() + "dry run: nothing written\n";
}

std::string render_compose_as_kubernetes(const Stack& stack, const std::vector<ResourceTarget>& targets) {
  YamlOut root = YamlOut::mapping();
  for (const Service& s : stack.services) {
    Resources r = s.resources;
    for (const ResourceTarget& t : targets) {
      if (t.service != s.name) continue;
      if (t.resources.memory_request) r.memory_request = t.resources.memory_request;
      if (t.resources.memory_limit) r.memory_limit = t.resources.memory_limit;
      if (t.resources.cpu_request) r.cpu_request = t.resources.cpu_request;
      if (t.resources.cpu_limit) r.cpu_limit = t.resources.cpu_limit;
    }
    if (!r.memory_request) r.memory_request = r.memory_limit;
    if (!r.cpu_request) r.cpu_request = r.cpu_limit;
    YamlOut& res = root.at(s.name).at("resources");
    if (r.memory_request) res.at("requests").set("memory", YamlOut::string(format_k8s_memory(*r.memory_request)));
    if (r.cpu_request) res.at("requests").set("cpu", YamlOut::string(format_k8s_cpu(*r.cpu_request)));
    if (r.memory_limit) res.at("limits").set("memory", YamlOut::string(format_k8s_memory(*r.memory_limit)));
    if (r.cpu_limit) res.at("limits").set("cpu", YamlOut::string(format_k8s_cpu(*r.cpu_limit)));
  }
  return "# Kubernetes resources per Compose service (stackfit apply --to "
         "kubernetes)\n" +
         root.render();
}

}  // namespace stackfit
