#include "stackfit/emit/compose_override_writer.hpp"

#include "stackfit/emit/runtime_knob_rewriter.hpp"
#include "stackfit/emit/yaml_out.hpp"

namespace stackfit {
namespace {

// Where one sizing value goes: the service-level key, deploy.resources, or
// both.
struct Placement {
  bool legacy = false;
  bool deploy = false;
};

bool uses_deploy(const ComposeKeys& k) { return k.deploy_limits || k.deploy_reservations || k.deploy_replicas; }
bool uses_legacy(const ComposeKeys& k) { return k.mem_limit || k.mem_reservation || k.cpus || k.cpu_quota || k.scale; }

// The stack's habit, for services that declare nothing: deploy.resources only
// when more services use it than the service-level keys.
bool stack_prefers_deploy(const Stack& stack) {
  int deploy = 0;
  int legacy = 0;
  for (const Service& s : stack.services) {
    deploy += uses_deploy(s.compose_keys) ? 1 : 0;
    legacy += uses_legacy(s.compose_keys) ? 1 : 0;
  }
  return deploy > legacy;
}

class StylePolicy {
 public:
  StylePolicy(const Service& service, ComposeResourceStyle style, bool stack_deploy)
      : m_keys(service.compose_keys), m_style(style) {
    m_prefers_deploy = uses_deploy(m_keys) ? true : uses_legacy(m_keys) ? false : stack_deploy;
    if (style == ComposeResourceStyle::deploy_resources) m_prefers_deploy = true;
    if (style == ComposeResourceStyle::service_level) m_prefers_deploy = false;
  }

  // A key the user already has is always written too, so the override never
  // leaves their value beside a different one of ours (compose-go refuses
  // "distinct values" for mem_limit vs deploy.resources.limits.memory).
  [[nodiscard]] Placement place(bool legacy_present, bool deploy_present) const {
    Placement p{legacy_present, deploy_present};
    if (m_style == ComposeResourceStyle::match_stack && (legacy_present || deploy_present)) return p;
    (m_prefers_deploy ? p.deploy : p.legacy) = true;
    return p;
  }

  [[nodiscard]] const ComposeKeys& keys() const { return m_keys; }

 private:
  ComposeKeys m_keys;
  ComposeResourceStyle m_style;
  bool m_prefers_deploy = false;
};

std::string escape_dollars(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '$' ? std::string("$$") : std::string(1, c);
  return out;
}

std::vector<std::string> escape_dollars(const std::vector<std::string>& words) {
  std::vector<std::string> out;
  for (const std::string& w : words) out.push_back(escape_dollars(w));
  return out;
}

YamlOut& deploy_resources(YamlOut& svc, const char* section) { return svc.at("deploy").at("resources").at(section); }

void write_memory(YamlOut& svc, const StylePolicy& policy, const Resources& r) {
  const ComposeKeys& k = policy.keys();
  if (r.memory_limit) {
    Placement p = policy.place(k.mem_limit, k.deploy_limits);
    auto value = YamlOut::string(format_compose_bytes(*r.memory_limit));
    if (p.legacy) svc.set("mem_limit", value);
    if (p.deploy) deploy_resources(svc, "limits").set("memory", value);
  }
  if (r.memory_request) {
    Placement p = policy.place(k.mem_reservation, k.deploy_reservations);
    auto value = YamlOut::string(format_compose_bytes(*r.memory_request));
    if (p.legacy) svc.set("mem_reservation", value);
    if (p.deploy) deploy_resources(svc, "reservations").set("memory", value);
  }
}

void write_cpu(YamlOut& svc, const StylePolicy& policy, const Resources& r) {
  const ComposeKeys& k = policy.keys();
  if (r.cpu_limit) {
    Placement p = policy.place(k.cpus || k.cpu_quota, k.deploy_limits);
    auto value = YamlOut::string(format_compose_cpus(*r.cpu_limit));
    // cpu_quota with cpus would be two CPU limits the engine refuses together:
    // a stack that uses cpu_quota keeps using it, over the default period.
    if (p.legacy && k.cpu_quota && !k.cpus) {
      svc.set("cpu_period", YamlOut::literal("100000"));
      svc.set("cpu_quota", YamlOut::literal(std::to_string(r.cpu_limit->count * 100)));
    } else if (p.legacy) {
      svc.set("cpus", value);
    }
    if (p.deploy) deploy_resources(svc, "limits").set("cpus", value);
  }
  // Compose has no service-level CPU request: reservations only.
  if (r.cpu_request)
    deploy_resources(svc, "reservations").set("cpus", YamlOut::string(format_compose_cpus(*r.cpu_request)));
}

void write_replicas(YamlOut& svc, const StylePolicy& policy, std::int64_t replicas) {
  const ComposeKeys& k = policy.keys();
  Placement p = policy.place(k.scale, k.deploy_replicas);
  auto value = YamlOut::literal(std::to_string(replicas));
  if (p.legacy) svc.set("scale", value);
  if (p.deploy) svc.at("deploy").set("replicas", value);
}

void write_knobs(YamlOut& svc, const Service& service, const std::vector<RuntimeKnobValue>& knobs) {
  if (knobs.empty() || service.containers.empty()) return;
  const Container& c = service.containers.front();
  KnobEdits edits = rewrite_runtime_knobs(split_command(c), c.environment, c.image, knobs);
  if (edits.entrypoint) svc.set("entrypoint", YamlOut::strings(escape_dollars(*edits.entrypoint)));
  if (edits.command) svc.set("command", YamlOut::strings(escape_dollars(*edits.command)));
  if (!edits.environment.empty()) {
    YamlOut& env = svc.at("environment");
    for (const auto& [k, v] : edits.environment) env.set(k, YamlOut::string(escape_dollars(v)));
  }
}

void write_depends_on(YamlOut& svc, const std::vector<Dependency>& deps) {
  if (deps.empty()) return;
  YamlOut& out = svc.at("depends_on");
  for (const Dependency& d : deps) {
    YamlOut& entry = out.at(d.service);
    entry.set("condition", YamlOut::string(d.condition.empty() ? "service_started" : d.condition));
    if (!d.required) entry.set("required", YamlOut::literal("false"));
  }
}

void write_healthcheck(YamlOut& svc, const Healthcheck& h) {
  YamlOut& out = svc.at("healthcheck");
  if (h.disabled) out.set("disable", YamlOut::literal("true"));
  if (h.interval_ms) out.set("interval", YamlOut::string(format_compose_duration(*h.interval_ms)));
  if (h.timeout_ms) out.set("timeout", YamlOut::string(format_compose_duration(*h.timeout_ms)));
  if (h.start_period_ms) out.set("start_period", YamlOut::string(format_compose_duration(*h.start_period_ms)));
  if (h.retries) out.set("retries", YamlOut::literal(std::to_string(*h.retries)));
}

const Service* find_service(const Stack& stack, const std::string& name) {
  for (const Service& s : stack.services) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

}  // namespace

std::string format_compose_duration(std::int64_t ms) {
  if (ms <= 0) return "0s";
  std::string out;
  const std::int64_t hours = ms / 3'600'000;
  const std::int64_t minutes = ms / 60'000 % 60;
  const std::int64_t seconds = ms / 1000 % 60;
  const std::int64_t millis = ms % 1000;
  if (hours) out += std::to_string(hours) + "h";
  if (minutes) out += std::to_string(minutes) + "m";
  if (seconds) out += std::to_string(seconds) + "s";
  if (millis) out += std::to_string(millis) + "ms";
  return out;
}

Expected<std::string> render_compose_override(const Stack& stack, const std::vector<ServiceOverride>& overrides,
                                              const ComposeOverrideOptions& options) {
  const bool stack_deploy = stack_prefers_deploy(stack);
  YamlOut root = YamlOut::mapping();
  YamlOut& services = root.at("services");
  for (const ServiceOverride& o : overrides) {
    const Service* service = find_service(stack, o.target.service);
    if (service == nullptr) {
      return make_error(ErrorCode::not_found,
                        "service \"" + o.target.service + "\" is not in the stack" +
                            (stack.source_files.empty() ? "" : " (" + stack.source_files.front() + ")"));
    }
    StylePolicy policy(*service, options.style, stack_deploy);
    YamlOut svc = YamlOut::mapping();
    write_memory(svc, policy, o.target.resources);
    write_cpu(svc, policy, o.target.resources);
    if (o.target.replicas) write_replicas(svc, policy, *o.target.replicas);
    write_knobs(svc, *service, o.target.knobs);
    write_depends_on(svc, o.depends_on);
    if (o.healthcheck) write_healthcheck(svc, *o.healthcheck);
    if (!svc.empty()) services.set(service->name, std::move(svc));
  }
  std::string out;
  std::string_view comment = options.header_comment;
  while (!comment.empty()) {
    std::size_t nl = comment.find('\n');
    std::string_view line = comment.substr(0, nl);
    out += line.empty() ? "#\n" : "# " + std::string(line) + "\n";
    comment = nl == std::string_view::npos ? std::string_view{} : comment.substr(nl + 1);
  }
  return out + root.render();
}

}  // namespace stackfit
