#include "stackfit/observe/engine_json.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <nlohmann/json.hpp>

namespace stackfit {
namespace {

using Json = nlohmann::json;

constexpr std::int64_t k_default_cpu_period_us = 100000;  // the kernel's cfs_period_us default
constexpr std::size_t k_max_error_message_bytes = 200;

// Parses without exceptions: a discarded value means "not JSON".
Json parse_json(std::string_view text) { return Json::parse(text, nullptr, /*allow_exceptions=*/false); }

// Typed member access that never throws: nullptr / nullopt when absent or of another type.
const Json* member(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::optional<std::int64_t> int_member(const Json& object, const char* key) {
  const Json* value = member(object, key);
  if (value == nullptr || !value->is_number_integer()) return std::nullopt;
  return value->get<std::int64_t>();
}

std::string string_member(const Json& object, const char* key) {
  const Json* value = member(object, key);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

bool bool_member(const Json& object, const char* key) {
  const Json* value = member(object, key);
  return value != nullptr && value->is_boolean() && value->get<bool>();
}

// An object member, or a null JSON value (on which every accessor above yields "absent").
const Json& object_member(const Json& object, const char* key) {
  static const Json k_null;
  const Json* value = member(object, key);
  return value != nullptr && value->is_object() ? *value : k_null;
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return a / b + (a % b != 0 ? 1 : 0); }

Resources declared_resources(const Json& host_config) {
  Resources resources;
  if (auto memory = int_member(host_config, "Memory"); memory && *memory > 0) {
    resources.memory_limit = Bytes{*memory};
  }
  if (auto reservation = int_member(host_config, "MemoryReservation"); reservation && *reservation > 0) {
    resources.memory_request = Bytes{*reservation};
  }
  auto nano_cpus = int_member(host_config, "NanoCpus");
  auto quota_us = int_member(host_config, "CpuQuota");
  if (nano_cpus && *nano_cpus > 0) {
    resources.cpu_limit = Millicores{ceil_div(*nano_cpus, 1000000)};
  } else if (quota_us && *quota_us > 0) {
    std::int64_t period_us = int_member(host_config, "CpuPeriod").value_or(0);
    if (period_us <= 0) period_us = k_default_cpu_period_us;
    resources.cpu_limit = Millicores{ceil_div(*quota_us * 1000, period_us)};
  }
  return resources;
}

void read_compose_labels(const Json& labels, ContainerInfo& info) {
  info.project = string_member(labels, "com.docker.compose.project");
  info.service = string_member(labels, "com.docker.compose.service");
  info.container_number = parse_int(string_member(labels, "com.docker.compose.container-number")).value_or(0);
}

std::optional<EventKind> event_kind_of(const std::string& action) {
  if (action == "start") return EventKind::start;
  if (action == "die" || action == "died") return EventKind::die;  // "died": Podman's own name
  if (action == "oom") return EventKind::oom;
  if (action == "destroy" || action == "remove") return EventKind::destroy;  // "remove": Podman's
  if (action == "restart") return EventKind::restart;
  // "health_status: healthy": the engine appends the new status after a colon
  // and a space (older engines and Podman: the same form).
  constexpr std::string_view k_health = "health_status:";
  if (std::string_view(action).starts_with(k_health)) {
    std::string_view status = std::string_view(action).substr(k_health.size());
    while (!status.empty() && status.front() == ' ') status.remove_prefix(1);
    if (status == "healthy") return EventKind::healthy;
    if (status == "unhealthy") return EventKind::unhealthy;
  }
  return std::nullopt;
}

// Config.Healthcheck: absent when there is none, no Test, or Test ["NONE"] (disabled).
std::optional<RecordedHealthcheck> healthcheck_of(const Json& config) {
  const Json& hc = object_member(config, "Healthcheck");
  const Json* test = member(hc, "Test");
  if (test == nullptr || !test->is_array() || test->empty()) return std::nullopt;
  for (const Json& part : *test) {
    if (!part.is_string()) return std::nullopt;
  }
  if ((*test)[0].get<std::string>() == "NONE") return std::nullopt;
  RecordedHealthcheck out;
  out.test = test->dump(-1, ' ', false, Json::error_handler_t::replace);
  auto non_negative = [&](const char* key) { return std::max<std::int64_t>(0, int_member(hc, key).value_or(0)); };
  out.interval_ns = non_negative("Interval");
  out.timeout_ns = non_negative("Timeout");
  out.start_period_ns = non_negative("StartPeriod");
  out.retries = non_negative("Retries");
  return out;
}

}  // namespace

std::optional<ApiVersion> parse_api_version(std::string_view text) {
  auto dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto major = parse_int(text.substr(0, dot));
  auto minor = parse_int(text.substr(dot + 1));
  if (!major || !minor || *major < 0 || *minor < 0 || *major > 1000 || *minor > 1000) return std::nullopt;
  return ApiVersion{static_cast<int>(*major), static_cast<int>(*minor)};
}

std::string to_string(ApiVersion version) {
  return std::to_string(version.major) + "." + std::to_string(version.minor);
}

Expected<EngineVersion> parse_version_answer(std::string_view body) {
  Json answer = parse_json(body);
  if (!answer.is_object()) return make_error(ErrorCode::bad_input, "the answer to GET /version is not a JSON object");
  std::string text = string_member(answer, "ApiVersion");
  auto version = parse_api_version(text);
  if (!version) return make_error(ErrorCode::bad_input, "the answer to GET /version has no ApiVersion");
  EngineVersion engine{*version, false};
  const Json* components = member(answer, "Components");
  if (components != nullptr && components->is_array()) {
    for (const Json& component : *components) {
      if (string_member(component, "Name") == "Podman Engine") engine.podman = true;
    }
  }
  return engine;
}

Expected<std::vector<std::string>> parse_container_list(std::string_view body) {
  // Only each entry's Id is kept: the whole list of 200 containers as a
  // document would take ~0.5 MB (labels, ports, mounts) at the recorder's
  // start, its peak of memory.
  constexpr int k_entry_member_depth = 2;  // [ { "Id": ... } ]: the entries' keys
  auto keep_ids = [](int depth, Json::parse_event_t event, Json& parsed) {
    return event != Json::parse_event_t::key || depth != k_entry_member_depth || parsed == "Id";
  };
  Json answer = Json::parse(body, keep_ids, /*allow_exceptions=*/false);
  if (!answer.is_array()) return make_error(ErrorCode::bad_input, "the container list is not a JSON array");
  std::vector<std::string> ids;
  for (const Json& entry : answer) {
    std::string id = string_member(entry, "Id");
    if (id.empty()) return make_error(ErrorCode::bad_input, "a container list entry has no Id");
    ids.push_back(std::move(id));
  }
  return ids;
}

Expected<ContainerInfo> parse_container_inspect(std::string_view body) {
  Json answer = parse_json(body);
  if (!answer.is_object()) return make_error(ErrorCode::bad_input, "the container inspection is not a JSON object");
  ContainerInfo info;
  info.id = string_member(answer, "Id");
  info.name = string_member(answer, "Name");
  if (info.id.empty() || info.name.empty()) {
    return make_error(ErrorCode::bad_input, "the container inspection has no Id or Name");
  }
  if (info.name.front() == '/') info.name.erase(0, 1);
  const Json& config = object_member(answer, "Config");
  read_compose_labels(object_member(config, "Labels"), info);
  if (info.service.empty()) info.service = info.name;
  info.image = string_member(config, "Image");
  info.healthcheck = healthcheck_of(config);
  info.declared = declared_resources(object_member(answer, "HostConfig"));
  const Json& state = object_member(answer, "State");
  info.pid = int_member(state, "Pid").value_or(0);
  info.oom_killed = bool_member(state, "OOMKilled");
  info.restart_count = int_member(answer, "RestartCount").value_or(0);
  return info;
}

Expected<std::optional<ContainerEvent>> parse_event_line(std::string_view line) {
  Json event = parse_json(line);
  if (!event.is_object()) return make_error(ErrorCode::bad_input, "an event is not a JSON object");
  if (string_member(event, "Type") != "container") return std::optional<ContainerEvent>();
  std::string action = string_member(event, "Action");
  const Json& actor = object_member(event, "Actor");
  if (action == "health_status") {
    // Podman's compatible API: the bare action, the status in "HealthStatus"
    // (or the actor's "health_status" attribute).
    std::string status = string_member(event, "HealthStatus");
    if (status.empty()) status = string_member(object_member(actor, "Attributes"), "health_status");
    action += ": " + status;
  }
  auto kind = event_kind_of(action);
  if (!kind) return std::optional<ContainerEvent>();
  ContainerEvent result;
  result.kind = *kind;
  result.container_id = string_member(actor, "ID");
  if (result.container_id.empty()) result.container_id = string_member(event, "id");
  auto time_ns = int_member(event, "timeNano");
  result.time_ns = time_ns ? *time_ns : int_member(event, "time").value_or(0) * 1000000000;
  if (*kind == EventKind::die) {
    result.exit_code = parse_int(string_member(object_member(actor, "Attributes"), "exitCode"));
  }
  return std::optional<ContainerEvent>(std::move(result));
}

std::string error_message_of(std::string_view body) {
  Json answer = parse_json(body);
  std::string message = string_member(answer, "message");
  if (message.empty()) message = std::string(body.substr(0, body.find_first_of("\r\n")));
  auto first = message.find_first_not_of(" \t");
  auto last = message.find_last_not_of(" \t");
  message = first == std::string::npos ? std::string() : message.substr(first, last - first + 1);
  if (message.size() > k_max_error_message_bytes) message.resize(k_max_error_message_bytes);
  return message;
}

std::string url_encode(std::string_view text) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 0xF];
    }
  }
  return out;
}

std::string project_filter_query(const std::string& project) {
  if (project.empty()) return {};
  Json filters = {{"label", Json::array({"com.docker.compose.project=" + project})}};
  // error_handler::replace: a project name with invalid UTF-8 is sent with U+FFFD, never throws.
  return url_encode(filters.dump(-1, ' ', false, Json::error_handler_t::replace));
}

std::string events_filter_query(const std::string& project) {
  Json filters = {{"type", Json::array({"container"})},
                  // "health_status" makes the engine match every "health_status: <status>" by prefix;
                  // "died" and "remove" are Podman's names, which its filter matches instead of die
                  // and destroy (Docker ignores names it does not emit).
                  {"event", Json::array({"start", "die", "died", "oom", "destroy", "remove", "restart", "health_status"})}};
  if (!project.empty()) filters["label"] = Json::array({"com.docker.compose.project=" + project});
  return url_encode(filters.dump(-1, ' ', false, Json::error_handler_t::replace));
}

}  // namespace stackfit
