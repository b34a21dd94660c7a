#include "stackfit/observe/prometheus_fold.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "stackfit/model/cpu_throttling.hpp"

namespace stackfit {
namespace {

// Counters above this (seconds of CPU, or OOM events) cannot be real and
// would overflow the nanosecond arithmetic: their points are skipped.
constexpr double k_max_counter_value = 9e9;
// More OOM kills than this between two points of one series is hostile input.
constexpr std::int64_t k_max_oom_increase = 1000;

// Order of events at one instant, as store/usage_stream pushes them, so both
// sources give the recommender the same sequence: the limit (first point),
// the (re)start, the working set, the CPU rate, then the OOM kill the
// counter shows at that point.
enum class PointKind : int { memory_limit, cpu_limit, start, memory, cpu, throttling, oom_kill };

struct Event {
  std::int64_t t_ms;
  PointKind kind;
  std::int64_t value;
  std::int64_t value2 = 0;  // throttling: the throttled periods (value: the periods)
  friend bool operator<(const Event& a, const Event& b) {
    return std::tie(a.t_ms, a.kind) < std::tie(b.t_ms, b.kind);
  }
};

struct InstanceEvents {
  WorkloadKey key;
  std::string instance;  // "pod/container"
  std::vector<Event> events;
  std::vector<Event> ksm_ooms;  // used only when cAdvisor said nothing about OOMs for it
  bool cadvisor_oom_series = false;
};

std::string series_signature(ChunkQuery q, const PromSeries& s) {
  std::string sig(1, static_cast<char>('0' + static_cast<int>(q)));
  for (const auto& [k, v] : s.labels) {
    sig += k;
    sig += '=';
    sig += v;
    sig += '\0';
  }
  return sig;
}

std::int64_t to_ns(double seconds) { return std::llround(seconds * 1e9); }

const std::string k_none = "<none>";

std::string join_matchers(const std::string& base, const std::string& extra) {
  if (base.empty()) return extra;
  if (extra.empty()) return base;
  return base + "," + extra;
}

}  // namespace

std::string deployment_of_replicaset(std::string_view replicaset) {
  static constexpr std::string_view k_alphabet = "bcdfghjklmnpqrstvwxz2456789";
  auto dash = replicaset.rfind('-');
  if (dash == std::string_view::npos || dash == 0) return {};
  std::string_view hash = replicaset.substr(dash + 1);
  if (hash.size() < 5 || hash.size() > 10) return {};
  for (char c : hash) {
    if (k_alphabet.find(c) == std::string_view::npos) return {};
  }
  return std::string(replicaset.substr(0, dash));
}

std::array<std::string, k_chunk_queries> prometheus_chunk_queries(const std::string& matchers, std::int64_t step_ms) {
  const std::string range = "[" + std::to_string(step_ms - 1) + "ms])";
  const std::string containers = join_matchers(R"(container!="",container!="POD")", matchers);
  const std::string compose = join_matchers(k_compose_series_matchers, matchers);
  auto last = [&](const std::string& metric, const std::string& m) {
    return "last_over_time(" + metric + "{" + m + "}" + range;
  };
  // A cAdvisor metric of Kubernetes containers or of Compose containers.
  auto both = [&](const std::string& metric) { return last(metric, containers) + " or " + last(metric, compose); };
  return {
      both("container_memory_working_set_bytes"),
      both("container_cpu_usage_seconds_total"),
      last("kube_pod_container_resource_limits", join_matchers(R"(resource="memory")", matchers)) + " or " +
          last("kube_pod_container_resource_limits_memory_bytes", matchers) + " or " +
          last("container_spec_memory_limit_bytes", compose),
      both("container_oom_events_total"),
      last("kube_pod_container_status_restarts_total", matchers),
      last("kube_pod_container_status_last_terminated_reason", join_matchers(R"(reason="OOMKilled")", matchers)),
      both("container_cpu_cfs_periods_total"),
      both("container_cpu_cfs_throttled_periods_total"),
      last("kube_pod_container_resource_limits", join_matchers(R"(resource="cpu")", matchers)) + " or " +
          last("kube_pod_container_resource_limits_cpu_cores", matchers),
  };
}

std::array<std::string, 2> prometheus_owner_queries(const std::string& matchers, std::int64_t range_ms) {
  const std::string range = "[" + std::to_string(range_ms) + "ms]))";
  return {
      "max by (namespace,pod,owner_kind,owner_name) (last_over_time(kube_pod_owner{" + matchers + "}" + range,
      "max by (namespace,replicaset,owner_kind,owner_name) (last_over_time(kube_replicaset_owner{" + matchers + "}" +
          range,
  };
}

void PrometheusFold::set_owners(const PromMatrix& pod_owner, const PromMatrix& replicaset_owner) {
  for (const PromSeries& s : pod_owner.series) {
    m_pod_owner.emplace(PodKey{std::string(s.label("namespace")), std::string(s.label("pod"))},
                        std::pair{std::string(s.label("owner_kind")), std::string(s.label("owner_name"))});
  }
  for (const PromSeries& s : replicaset_owner.series) {
    m_rs_owner.emplace(PodKey{std::string(s.label("namespace")), std::string(s.label("replicaset"))},
                       std::pair{std::string(s.label("owner_kind")), std::string(s.label("owner_name"))});
  }
}

WorkloadKey PrometheusFold::workload_of(const std::string& namespace_, const std::string& pod,
                                        const std::string& container) {
  PodKey pk{namespace_, pod};
  auto cached = m_resolved.find(pk);
  if (cached == m_resolved.end()) {
    WorkloadKey key{namespace_, "Pod", pod, ""};
    auto owner = m_pod_owner.find(pk);
    if (owner == m_pod_owner.end() || owner->second.first.empty() || owner->second.first == k_none) {
      ++m_grouping.bare_pods;
    } else {
      ++m_grouping.pods_with_owner;
      const auto& [kind, name] = owner->second;
      key.kind = kind;
      key.name = name;
      if (kind == "ReplicaSet") {
        auto rs = m_rs_owner.find(PodKey{namespace_, name});
        if (rs != m_rs_owner.end()) {
          if (!rs->second.first.empty() && rs->second.first != k_none) {
            key.kind = rs->second.first;
            key.name = rs->second.second;
            ++m_grouping.replicasets_by_owner_metric;
          }
        } else if (std::string deployment = deployment_of_replicaset(name); !deployment.empty()) {
          key.kind = "Deployment";
          key.name = deployment;
          ++m_grouping.replicasets_by_name;
        }
      }
    }
    cached = m_resolved.emplace(pk, std::move(key)).first;
  }
  WorkloadKey out = cached->second;
  out.container = container;
  return out;
}

namespace {

// kube-state-metrics' CPU limit (cores) as a cpu_limit event at each change.
template <class InstanceOf, class IdOf>
void fold_cpu_limits(const PromMatrix& limits, InstanceOf& instance_of, IdOf& id_of,
                     std::map<std::string, std::int64_t>& last) {
  for (const PromSeries& s : limits.series) {
    InstanceEvents* ie = instance_of(s);
    if (ie == nullptr) continue;
    auto [it, fresh] = last.try_emplace(id_of(s), -1);
    for (const PromPoint& p : s.points) {
      if (!(p.value > 0) || p.value >= k_max_counter_value) continue;
      std::int64_t millicores = std::llround(p.value * 1000);
      if (millicores != it->second) ie->events.push_back({p.t_ms, PointKind::cpu_limit, millicores});
      it->second = millicores;
    }
  }
}

// The two CFS counters of each instance, paired by time: a throttling
// event for each increase of the periods (a drop of either is a reset,
// skipped; throttled periods are cut to the periods).
template <class InstanceOf, class IdOf, class Last>
void fold_throttling(const ChunkAnswers& answers, InstanceOf& instance_of, IdOf& id_of, std::map<std::string, Last>& last) {
  std::map<std::string, std::map<std::int64_t, std::pair<double, double>>> points;  // id -> t -> (periods, throttled)
  for (const PromSeries& s : answers[static_cast<int>(ChunkQuery::cfs_periods)].series) {
    for (const PromPoint& p : s.points) points[id_of(s)][p.t_ms].first = p.value;
  }
  for (const PromSeries& s : answers[static_cast<int>(ChunkQuery::cfs_throttled_periods)].series) {
    auto id = points.find(id_of(s));
    if (id == points.end()) continue;
    InstanceEvents* ie = instance_of(s);
    if (ie == nullptr) continue;
    auto [it, fresh] = last.try_emplace(id->first, Last{-1, 0, 0});
    for (const PromPoint& p : s.points) {
      auto at = id->second.find(p.t_ms);
      double periods = at == id->second.end() ? -1 : at->second.first;
      if (periods < 0 || periods > k_max_counter_value || p.value < 0 || p.value > k_max_counter_value) continue;
      if (p.t_ms <= it->second.t_ms) continue;
      Last now{p.t_ms, std::llround(periods), std::llround(p.value)};
      std::int64_t dp = now.periods - it->second.periods, dt = now.throttled - it->second.throttled;
      if (it->second.t_ms >= 0 && dp > 0 && dt >= 0) {
        ie->events.push_back({p.t_ms, PointKind::throttling, dp, std::min(dt, dp)});
      }
      it->second = now;
    }
  }
}

}  // namespace

GroupingStats PrometheusFold::grouping() const {
  GroupingStats out = m_grouping;
  out.compose_containers = m_fleet.containers();
  out.compose_without_service = m_fleet.without_service();
  out.compose_without_host = m_fleet.without_host();
  return out;
}

void PrometheusFold::fold_chunk(const ChunkAnswers& answers, std::int64_t step_ms, UsageSink& sink) {
  std::map<std::string, InstanceEvents> instances;  // "namespace\0pod\0container"
  // The OOMKilled-reason gauge per instance: times at which it read 1.
  std::map<std::string, std::set<std::int64_t>> oom_reason_at;

  auto instance_of = [&](const PromSeries& s) -> InstanceEvents* {
    if (!is_kubernetes_series(s)) {
      std::optional<FleetSeries> fleet = m_fleet.identify(s);
      if (!fleet) return nullptr;
      auto it = instances.find(fleet->id);
      if (it == instances.end()) {
        InstanceEvents ie{std::move(fleet->key), std::move(fleet->instance), {}, {}, false};
        it = instances.emplace(std::move(fleet->id), std::move(ie)).first;
      }
      return &it->second;
    }
    std::string ns(s.label("namespace")), pod(s.label("pod")), container(s.label("container"));
    if (ns.empty() || pod.empty()) return nullptr;
    std::string id = ns + '\0' + pod + '\0' + container;
    auto it = instances.find(id);
    if (it == instances.end()) {
      InstanceEvents ie{workload_of(ns, pod, container), pod + "/" + container, {}, {}, false};
      it = instances.emplace(std::move(id), std::move(ie)).first;
    }
    return &it->second;
  };
  // The instance map's key; a Compose series without a usable identity gets
  // one no instance has, so its points are dropped where they are looked up.
  auto id_of = [this](const PromSeries& s) {
    if (!is_kubernetes_series(s)) {
      std::optional<FleetSeries> fleet = m_fleet.identify(s);
      return fleet ? fleet->id : std::string("\x02");
    }
    return std::string(s.label("namespace")) + '\0' + std::string(s.label("pod")) + '\0' +
           std::string(s.label("container"));
  };

  for (const PromSeries& s : answers[static_cast<int>(ChunkQuery::oom_reason)].series) {
    auto& times = oom_reason_at[id_of(s)];
    for (const PromPoint& p : s.points) {
      if (p.value == 1) times.insert(p.t_ms);
    }
  }

  for (const PromSeries& s : answers[static_cast<int>(ChunkQuery::memory)].series) {
    InstanceEvents* ie = instance_of(s);
    if (ie == nullptr || s.points.empty()) continue;
    if (m_seen_instances.insert(id_of(s)).second) {
      ie->events.push_back({s.points.front().t_ms, PointKind::start, 0});
    }
    for (const PromPoint& p : s.points) {
      if (p.value >= 0 && p.value < 9.2e18) ie->events.push_back({p.t_ms, PointKind::memory, std::llround(p.value)});
    }
  }

  for (const PromSeries& s : answers[static_cast<int>(ChunkQuery::cpu)].series) {
    InstanceEvents* ie = instance_of(s);
    if (ie == nullptr) continue;
    auto& last = m_counter_last[series_signature(ChunkQuery::cpu, s)];
    for (const PromPoint& p : s.points) {
      if (p.value < 0 || p.value > k_max_counter_value || (last.seen && p.t_ms <= last.t_ms)) continue;
      if (last.seen) {
        // A counter reset (the container restarted) gives no rate: skipped.
        std::int64_t dt_ns = (p.t_ms - last.t_ms) * 1000000;
        if (auto rate = cpu_rate_between(0, to_ns(last.value), dt_ns, to_ns(p.value))) {
          ie->events.push_back({p.t_ms, PointKind::cpu, rate->count});
        }
      }
      last = {true, p.t_ms, p.value};
    }
  }

  for (const PromSeries& s : answers[static_cast<int>(ChunkQuery::memory_limit)].series) {
    InstanceEvents* ie = instance_of(s);
    if (ie == nullptr) continue;
    auto [it, fresh] = m_limit_last.try_emplace(id_of(s), -1);
    for (const PromPoint& p : s.points) {
      if (p.value <= 0 || p.value >= 9.2e18) continue;
      std::int64_t bytes = std::llround(p.value);
      if (bytes != it->second) ie->events.push_back({p.t_ms, PointKind::memory_limit, bytes});
      it->second = bytes;
    }
  }

  for (const PromSeries& s : answers[static_cast<int>(ChunkQuery::oom_events)].series) {
    InstanceEvents* ie = instance_of(s);
    if (ie == nullptr) continue;
    ie->cadvisor_oom_series = true;
    auto& last = m_counter_last[series_signature(ChunkQuery::oom_events, s)];
    for (const PromPoint& p : s.points) {
      if (p.value < 0 || p.value > k_max_counter_value || (last.seen && p.t_ms <= last.t_ms)) continue;
      if (last.seen) {
        // After a reset the counter restarted from 0: its whole value is new.
        std::int64_t increase = std::llround(p.value >= last.value ? p.value - last.value : p.value);
        if (increase > k_max_oom_increase) {
          ++m_capped_oom;
          increase = k_max_oom_increase;
        }
        for (std::int64_t i = 0; i < increase; ++i) ie->events.push_back({p.t_ms, PointKind::oom_kill, 0});
      }
      last = {true, p.t_ms, p.value};
    }
  }

  for (const PromSeries& s : answers[static_cast<int>(ChunkQuery::restarts)].series) {
    InstanceEvents* ie = instance_of(s);
    if (ie == nullptr) continue;
    const auto reasons = oom_reason_at.find(id_of(s));
    auto& last = m_counter_last[series_signature(ChunkQuery::restarts, s)];
    for (const PromPoint& p : s.points) {
      if (p.value < 0 || p.value > k_max_counter_value || (last.seen && p.t_ms <= last.t_ms)) continue;
      if (last.seen && p.value > last.value) {
        ie->events.push_back({p.t_ms, PointKind::start, 0});
        // kube-state-metrics updates the reason with the restart count, or one scrape later.
        bool oom = reasons != oom_reason_at.end() &&
                   (reasons->second.contains(p.t_ms) || reasons->second.contains(p.t_ms + step_ms));
        std::int64_t increase = std::min<std::int64_t>(std::llround(p.value - last.value), k_max_oom_increase);
        for (std::int64_t i = 0; oom && i < increase; ++i) ie->ksm_ooms.push_back({p.t_ms, PointKind::oom_kill, 0});
      }
      last = {true, p.t_ms, p.value};
    }
  }

  fold_cpu_limits(answers[static_cast<int>(ChunkQuery::cpu_limit)], instance_of, id_of, m_cpu_limit_last);
  fold_throttling(answers, instance_of, id_of, m_throttle_last);

  for (auto& [id, ie] : instances) {
    if (!ie.cadvisor_oom_series) ie.events.insert(ie.events.end(), ie.ksm_ooms.begin(), ie.ksm_ooms.end());
    std::stable_sort(ie.events.begin(), ie.events.end());
    for (const Event& e : ie.events) {
      std::int64_t t_ns = e.t_ms * 1000000;
      switch (e.kind) {
        case PointKind::start: sink.start(ie.key, ie.instance, t_ns); break;
        case PointKind::memory_limit: sink.memory_limit(ie.key, ie.instance, t_ns, Bytes{e.value}); break;
        case PointKind::cpu_limit: sink.cpu_limit(ie.key, ie.instance, t_ns, Millicores{e.value}); break;
        case PointKind::throttling:
          sink.cpu_throttling(ie.key, ie.instance, t_ns, CpuThrottling{e.value, e.value2, 0});
          break;
        case PointKind::oom_kill: sink.oom_kill(ie.key, ie.instance, t_ns); break;
        case PointKind::memory: sink.memory(ie.key, ie.instance, t_ns, Bytes{e.value}); break;
        case PointKind::cpu: sink.cpu(ie.key, ie.instance, t_ns, Millicores{e.value}); break;
      }
    }
  }
}

}  // namespace stackfit
