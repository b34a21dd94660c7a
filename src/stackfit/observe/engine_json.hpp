// The Docker Engine API's JSON answers (API 1.40/1.41, also what Podman's
// compatible API sends) turned into the data model. Pure functions over text:
// no socket, no clock. Errors carry a reason without the socket; the client
// prefixes it with the address and the request.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stackfit/model/sample.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

// An Engine API version "<major>.<minor>", e.g. 1.41.
struct ApiVersion {
  int major = 0;
  int minor = 0;
  friend constexpr auto operator<=>(ApiVersion, ApiVersion) = default;
};

// The oldest API the client accepts and the one it is written against: it
// speaks min(engine's ApiVersion, k_client_api_version) on every request.
inline constexpr ApiVersion k_min_api_version{1, 40};
inline constexpr ApiVersion k_client_api_version{1, 41};

// "1.41" -> {1, 41}; nullopt for anything else.
[[nodiscard]] std::optional<ApiVersion> parse_api_version(std::string_view text);
[[nodiscard]] std::string to_string(ApiVersion version);

// What GET /version says about the engine: its API version, and whether it is
// Podman's compatible service (a `Components[].Name` of "Podman Engine"),
// whose /events differs: `until` is a deadline there, not a filter.
struct EngineVersion {
  ApiVersion api;
  bool podman = false;
};

// GET /version: the engine's "ApiVersion". Error (bad_input) when the body is
// not a JSON object with a string ApiVersion "x.y".
[[nodiscard]] Expected<EngineVersion> parse_version_answer(std::string_view body);

// GET /containers/json: the "Id" of each entry, in answer order.
[[nodiscard]] Expected<std::vector<std::string>> parse_container_list(std::string_view body);

// GET /containers/{id}/json -> ContainerInfo (cgroup_path left empty).
// HostConfig values of 0 mean "not set" and become empty optionals. CPU limit:
// NanoCpus / 10^6 millicores, else CpuQuota * 1000 / CpuPeriod (period 0 means
// the kernel default 100000 us), both rounded up to 1m. Config.Healthcheck
// (the effective one: the image's HEALTHCHECK unless the container overrides
// it) becomes `healthcheck`, absent when none or disabled (Test ["NONE"]).
[[nodiscard]] Expected<ContainerInfo> parse_container_inspect(std::string_view body);

// One line of GET /events: a ContainerEvent for container start, die (with
// Actor.Attributes.exitCode), oom, destroy, restart, and "health_status:
// healthy" / "health_status: unhealthy" (healthy / unhealthy); nullopt for
// every other type or action (create, kill, attach, exec_*, "health_status:
// starting", ...). Podman sends the bare action "health_status" with the
// status in "HealthStatus" (or Actor.Attributes.health_status), read the same.
// Podman's names are mapped too: "remove" is destroy, "died" is die.
// Error only when the line is not a JSON object.
[[nodiscard]] Expected<std::optional<ContainerEvent>> parse_event_line(std::string_view line);

// The "message" of an error answer ({"message":"No such container: x"}), or
// the body itself (trimmed, first line, at most 200 bytes) when it has none.
[[nodiscard]] std::string error_message_of(std::string_view body);

// Percent-encodes everything but RFC 3986 unreserved characters.
[[nodiscard]] std::string url_encode(std::string_view text);

// The `filters` query value for /containers/json: {"label":["com.docker.compose.project=<p>"]},
// URL-encoded; "" when project is empty (no filter: all running containers).
[[nodiscard]] std::string project_filter_query(const std::string& project);
// The url-encoded filters of GET /events: the container events we map
// (start, die, oom, destroy, restart, health_status, plus Podman's names
// "died" and "remove", which its filter matches instead of die and destroy;
// Docker ignores names it does not emit), of one Compose project unless "".
[[nodiscard]] std::string events_filter_query(const std::string& project);

}  // namespace stackfit
