// Compose fleets in Prometheus: which service (and host) a container series
// without Kubernetes labels belongs to. Each host runs `stackfit record
// --listen` (cAdvisor metric names, labels name, service, project, id;
// emit/prometheus_metrics) and Prometheus adds the target's `instance` and
// whatever the scrape config sets (a `host` label per target, docs/fleet.md).
//
// A series is a Kubernetes container when its `container` label is set
// (kubelet's cAdvisor); otherwise, with no `pod` label and a `name`, it is a
// Compose container (the selector below). Grouping of Compose containers:
// workload {project, "service", service, ""} — the key `recommend --db` uses,
// with the project in the namespace field — or, per host, the name
// "service@host". Instance: "<instance>/<id>" (the scrape target and the
// container id or cgroup path), so equal ids on two hosts stay apart.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "stackfit/model/usage_sink.hpp"
#include "stackfit/observe/prometheus_json.hpp"

namespace stackfit {

// Label matchers that select Compose containers' series (and never a
// Kubernetes container's, which has `container` set, or a pod's, `pod` set).
inline constexpr const char* k_compose_series_matchers = R"(container="",pod="",name!="")";

struct FleetSeries {
  WorkloadKey key;
  std::string instance;  // "<instance>/<id>"
  std::string id;        // unique per container across the fleet (map key)
};

class FleetGrouping {
 public:
  // `host_label`: "" = one workload per (project, service) across hosts;
  // otherwise the label that names the host (e.g. "host", "instance").
  explicit FleetGrouping(std::string host_label = "") : m_host_label(std::move(host_label)) {}

  // The container of a Compose series, or nullopt when it lacks `service`
  // (or the host label when one was asked): such series are counted, once
  // per label set whatever the metric, and left out.
  [[nodiscard]] std::optional<FleetSeries> identify(const PromSeries& s);

  [[nodiscard]] std::int64_t containers() const { return static_cast<std::int64_t>(m_containers.size()); }
  [[nodiscard]] std::int64_t without_service() const { return static_cast<std::int64_t>(m_no_service.size()); }
  [[nodiscard]] std::int64_t without_host() const { return static_cast<std::int64_t>(m_no_host.size()); }
  [[nodiscard]] const std::string& host_label() const { return m_host_label; }

 private:
  std::string m_host_label;
  std::set<std::string> m_containers;
  std::set<std::string> m_no_service;  // label sets
  std::set<std::string> m_no_host;
};

// True when `s` is a Kubernetes container's series (its `container` label set).
[[nodiscard]] bool is_kubernetes_series(const PromSeries& s);

}  // namespace stackfit
