#include "stackfit/observe/engine_client.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

#include "stackfit/observe/engine_facts_json.hpp"
#include "stackfit/observe/engine_http.hpp"
#include "stackfit/observe/engine_json.hpp"
#include "stackfit/util/clock.hpp"

namespace stackfit {
namespace {

constexpr std::string_view k_default_engine_host = "unix:///var/run/docker.sock";
constexpr std::string_view k_unix_scheme = "unix://";
// sockaddr_un.sun_path holds 108 bytes including the terminating NUL.
constexpr std::size_t k_max_socket_path_bytes = 107;
// Bound on every non-streamed request (version, list, inspect).
constexpr std::int64_t k_request_timeout_ms = 10000;
// GET /system/df walks every volume's files: allow it longer.
constexpr std::int64_t k_disk_usage_timeout_ms = 60000;

// Now as the engine's "seconds.nanoseconds" timestamp: whole seconds would cut
// off the events of the current second from a replay.
std::string unix_now_text() {
  std::int64_t ns = wall_now_ns();
  std::string fraction = std::to_string(ns % 1000000000);
  return std::to_string(ns / 1000000000) + "." + std::string(9 - fraction.size(), '0') + fraction;
}

// The request as errors name it: without the query, which only adds noise.
std::string shown(const std::string& target) { return target.substr(0, target.find('?')); }

// "<socket>: connect: Connection refused", "<socket>: GET /x: no answer within 10000 ms", ...
Error transport_error(const std::string& socket, const std::string& target, const HttpFailure& failure) {
  if (failure.kind == HttpFailureKind::connect) {
    return Error{ErrorCode::unavailable, socket + ": connect: " + failure.detail};
  }
  return Error{ErrorCode::unavailable, socket + ": GET " + shown(target) + ": " + failure.detail};
}

// A non-2xx answer: "<socket>: GET <target>: HTTP 404: No such container: x".
Error status_error(const std::string& socket, const std::string& target, const HttpAnswer& answer) {
  ErrorCode code = answer.status == 404 ? ErrorCode::not_found : ErrorCode::unavailable;
  std::string message = socket + ": GET " + shown(target) + ": HTTP " + std::to_string(answer.status);
  std::string detail = error_message_of(answer.body);
  if (!detail.empty()) message += ": " + detail;
  return Error{code, std::move(message)};
}

// An answer that parsed badly: the peer is not (or no longer) a Docker Engine.
Error answer_error(const std::string& socket, const std::string& target, const Error& parse) {
  return Error{ErrorCode::unavailable, socket + ": GET " + shown(target) + ": " + parse.message};
}

}  // namespace

Expected<std::string> resolve_engine_socket(const std::string& host_flag, const std::string& docker_host_env) {
  std::string source = "--host " + host_flag;
  std::string address = host_flag;
  if (address.empty()) {
    source = "DOCKER_HOST=" + docker_host_env;
    address = docker_host_env;
  }
  if (address.empty()) {
    source = std::string(k_default_engine_host);
    address = std::string(k_default_engine_host);
  }
  std::string path = address;
  if (address.starts_with(k_unix_scheme)) {
    path = address.substr(k_unix_scheme.size());
  } else if (address.find("://") != std::string::npos) {
    return make_error(ErrorCode::usage,
                      source + ": only unix:// sockets are supported (stackfit talks to local engines)");
  }
  if (path.empty()) return make_error(ErrorCode::usage, source + ": no socket path");
  if (path.size() > k_max_socket_path_bytes) {
    return make_error(ErrorCode::usage,
                      source + ": socket path longer than " + std::to_string(k_max_socket_path_bytes) + " bytes");
  }
  return path;
}

EngineClient::EngineClient(std::string socket_path)
    : m_socket(std::move(socket_path)), m_http(std::make_unique<EngineHttp>(m_socket)) {}

EngineClient::~EngineClient() = default;

Expected<std::string> EngineClient::version() {
  const std::string target = "/version";
  auto answer = m_http->get(target, k_request_timeout_ms);
  if (!answer) {
    if (answer.error().kind == HttpFailureKind::protocol) {
      return make_error(ErrorCode::unavailable, m_socket + ": not a Docker Engine API (" + answer.error().detail + ")");
    }
    return tl::unexpected(transport_error(m_socket, target, answer.error()));
  }
  if (answer->status != 200) {
    return make_error(ErrorCode::unavailable, m_socket + ": not a Docker Engine API (HTTP " +
                                                  std::to_string(answer->status) + " on GET /version)");
  }
  auto engine = parse_version_answer(answer->body);
  if (!engine)
    return make_error(ErrorCode::unavailable, m_socket + ": not a Docker Engine API (" + engine.error().message + ")");
  if (engine->api < k_min_api_version) {
    return make_error(ErrorCode::unavailable, m_socket + ": API version " + to_string(engine->api) + " too old (need " +
                                                  to_string(k_min_api_version) + ")");
  }
  m_podman = engine->podman;
  ApiVersion spoken = std::min(engine->api, k_client_api_version);
  m_api_prefix = "/v" + to_string(spoken);
  return to_string(spoken);
}

Expected<std::string> EngineClient::api_prefix() {
  if (m_api_prefix.empty()) {
    TRY(version());
  }
  return m_api_prefix;
}

Expected<std::vector<std::string>> EngineClient::list_container_ids(const ContainerFilter& filter) {
  auto prefix = api_prefix();
  TRY(prefix);
  std::string target = *prefix + "/containers/json";
  if (!filter.project.empty()) target += "?filters=" + project_filter_query(filter.project);
  auto answer = m_http->get(target, k_request_timeout_ms);
  if (!answer) return tl::unexpected(transport_error(m_socket, target, answer.error()));
  if (answer->status != 200) return tl::unexpected(status_error(m_socket, target, *answer));
  auto ids = parse_container_list(answer->body);
  if (!ids) return tl::unexpected(answer_error(m_socket, target, ids.error()));
  return ids;
}

Expected<ContainerInfo> EngineClient::inspect(const std::string& id) {
  auto prefix = api_prefix();
  TRY(prefix);
  std::string target = *prefix + "/containers/" + url_encode(id) + "/json";
  auto answer = m_http->get(target, k_request_timeout_ms);
  if (!answer) return tl::unexpected(transport_error(m_socket, target, answer.error()));
  if (answer->status != 200) return tl::unexpected(status_error(m_socket, target, *answer));
  auto info = parse_container_inspect(answer->body);
  if (!info) return tl::unexpected(answer_error(m_socket, target, info.error()));
  return info;
}

Expected<std::string> EngineClient::get_body(const std::string& path, std::int64_t timeout_ms) {
  auto prefix = api_prefix();
  if (!prefix) return tl::unexpected(prefix.error());
  std::string target = *prefix + path;
  auto answer = m_http->get(target, timeout_ms);
  if (!answer) return tl::unexpected(transport_error(m_socket, target, answer.error()));
  if (answer->status != 200) return tl::unexpected(status_error(m_socket, target, *answer));
  return std::move(answer->body);
}

Expected<EngineFacts> EngineClient::info() {
  auto body = get_body("/info", k_request_timeout_ms);
  if (!body) return tl::unexpected(body.error());
  auto facts = parse_info_answer(*body);
  if (!facts) return tl::unexpected(answer_error(m_socket, m_api_prefix + "/info", facts.error()));
  facts->podman = m_podman;
  return facts;
}

Expected<EngineDiskUsage> EngineClient::disk_usage() {
  auto body = get_body("/system/df", k_disk_usage_timeout_ms);
  if (!body) return tl::unexpected(body.error());
  auto usage = parse_system_df(*body);
  if (!usage) return tl::unexpected(answer_error(m_socket, m_api_prefix + "/system/df", usage.error()));
  return usage;
}

void EngineClient::cancel() { m_http->cancel(); }

Expected<void> EngineClient::stream_events(std::int64_t since_unix_s, std::int64_t timeout_ms,
                                           const std::function<bool(const ContainerEvent&)>& on_event,
                                           const ContainerFilter& filter) {
  auto prefix = api_prefix();
  TRY(prefix);
  // Only the actions we map, filtered by the engine so an idle stream costs nothing.
  std::string target =
      *prefix + "/events?since=" + std::to_string(since_unix_s) + "&filters=" + events_filter_query(filter.project);
  std::int64_t transfer_timeout_ms = timeout_ms;
  if (timeout_ms <= 0) {
    // "Only what is buffered": dockerd replays events up to `until` and ends
    // the answer. Podman (4.3) treats `until` as a deadline for the stream,
    // so a past `until` ends it before any event; it ends a replay on
    // stream=false instead (which dockerd ignores, streaming on).
    target += m_podman ? "&stream=false" : "&until=" + unix_now_text();
    transfer_timeout_ms = k_request_timeout_ms;
  }
  std::optional<Error> bad_line;
  auto on_line = [&](std::string_view line) {
    auto event = parse_event_line(line);
    if (!event) {
      bad_line = answer_error(m_socket, target, event.error());
      return false;
    }
    return !*event || on_event(**event);
  };
  auto answer = m_http->stream_lines(target, transfer_timeout_ms, on_line);
  if (bad_line) return tl::unexpected(*bad_line);
  if (!answer) return tl::unexpected(transport_error(m_socket, target, answer.error()));
  if (answer->status != 200) return tl::unexpected(status_error(m_socket, target, *answer));
  return {};
}

}  // namespace stackfit
