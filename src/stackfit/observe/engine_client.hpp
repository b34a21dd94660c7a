// A client for the Docker Engine API (and Podman's compatible API) over a
// unix socket (observe/engine_http). Only what the recorder needs: list, inspect,
// and the event stream.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "stackfit/model/host_facts.hpp"
#include "stackfit/model/sample.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

class EngineHttp;

// --host value, else DOCKER_HOST, else unix:///var/run/docker.sock. Only
// unix:// addresses (and bare paths) are accepted; tcp:// is refused with a
// clear usage error since stackfit talks to local engines only.
[[nodiscard]] Expected<std::string> resolve_engine_socket(const std::string& host_flag,
                                                          const std::string& docker_host_env);

struct ContainerFilter {
  std::string project;  // com.docker.compose.project=<project>; "" = all containers
};

class EngineClient {
 public:
  explicit EngineClient(std::string socket_path);
  ~EngineClient();
  EngineClient(const EngineClient&) = delete;
  EngineClient& operator=(const EngineClient&) = delete;

  // GET /version: checks the socket is an engine and the API is new enough
  // (>= 1.40). Errors: unavailable "<socket>: connect: <strerror>",
  // "<socket>: not a Docker Engine API (...)", "<socket>: API version 1.xx too old".
  // Returns the API version the client then speaks ("1.41"): the engine's,
  // capped at 1.41. The other calls negotiate this on first use.
  [[nodiscard]] Expected<std::string> version();
  // GET /containers/json?filters=... (running containers only).
  [[nodiscard]] Expected<std::vector<std::string>> list_container_ids(const ContainerFilter& filter);
  // GET /containers/{id}/json -> ContainerInfo (cgroup_path left empty).
  [[nodiscard]] Expected<ContainerInfo> inspect(const std::string& id);
  // GET /events?since=..&filters={"type":["container"]}, streamed: calls
  // on_event for each start/die/oom/destroy/restart event (of filter.project
  // only, if set) until it returns false, the engine ends the stream, or
  // `timeout_ms` elapses (bounded; 0 = only what is buffered).
  [[nodiscard]] Expected<void> stream_events(std::int64_t since_unix_s, std::int64_t timeout_ms,
                                             const std::function<bool(const ContainerEvent&)>& on_event,
                                             const ContainerFilter& filter = {});
  // GET /info: the engine's memory, CPUs, cgroup setup, data root (doctor).
  [[nodiscard]] Expected<EngineFacts> info();
  // GET /system/df: every container (stopped ones too), image, volume and
  // build-cache record with its size and users (doctor, cleanup). Slow on a
  // big engine (it sizes every volume): bounded by 60 s.
  [[nodiscard]] Expected<EngineDiskUsage> disk_usage();
  // The engine is Podman's compatible service (known after version()).
  [[nodiscard]] bool is_podman() const { return m_podman; }
  // The socket path this client talks to.
  [[nodiscard]] const std::string& socket() const { return m_socket; }
  // Whether the engine sends an `oom` event when the kernel OOM-kills a
  // process of a container (known after version()): Docker does, for every
  // kill in the container's cgroup; Podman 4.3 sends none (docs/engine.md).
  [[nodiscard]] bool announces_oom_kills() const { return !m_podman; }
  // Ends a stream_events running in another thread (normally), and makes every
  // later call fail at once. Safe to call from any thread.
  void cancel();

 private:
  // "/v1.41": the path prefix of every request, negotiating it on first use.
  [[nodiscard]] Expected<std::string> api_prefix();
  // GET <prefix><path>: the body of a 200 answer, else the error as the other calls word it.
  [[nodiscard]] Expected<std::string> get_body(const std::string& path, std::int64_t timeout_ms);

  std::string m_socket;
  std::unique_ptr<EngineHttp> m_http;  // one kept connection
  std::string m_api_prefix;            // "" until version() succeeded
  bool m_podman = false;               // the engine is Podman's compatible service (from /version)
};

}  // namespace stackfit
