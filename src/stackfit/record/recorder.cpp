#include "stackfit/record/recorder.hpp"

#include <algorithm>
#include <utility>

#include "stackfit/model/cpu_throttling.hpp"
#include "stackfit/util/file_io.hpp"

namespace stackfit {

struct Recorder::Tracked {
  ContainerInfo info;
  std::int64_t key = 0;
  std::unique_ptr<CgroupReader> reader;
  ParentCpuGates::Slot* parent_gate = nullptr;  // released by close()
  std::optional<Bytes> limit;
  std::int64_t last_oom_kills = -1;
  std::int64_t prev_time_ns = 0;
  std::int64_t prev_cpu_ns = -1;
  std::optional<Sample> first;  // the first reading: top's throttling is counted from it
  Bytes peak;
  // The last health event stored: Podman repeats the status after every
  // check, so only changes are stored.
  std::optional<EventKind> last_health;
};

Recorder::Recorder(RecordOptions options, SampleStore* store, Clock& clock)
    : m_options(std::move(options)), m_store(store), m_clock(clock), m_parent_gates(m_options.mounts) {}

Recorder::~Recorder() = default;

namespace {

std::string base_name(const std::string& path) {
  std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

Expected<void> Recorder::track(ContainerInfo info) {
  auto reader = open_cgroup(m_options.mounts, info.cgroup_path);
  TRY(reader);
  auto tracked = std::make_unique<Tracked>();
  if (auto limit = (*reader)->memory_limit()) tracked->limit = *limit;
  if (!info.declared.memory_limit && tracked->limit) info.declared.memory_limit = tracked->limit;
  if (m_store) {
    auto key = m_store->upsert_container(info, m_clock.now_ns());
    TRY(key);
    tracked->key = *key;
  }
  tracked->reader = std::move(*reader);
  tracked->parent_gate = m_parent_gates.add(info.cgroup_path);
  tracked->info = std::move(info);
  std::string id = tracked->info.id;
  if (auto old = m_tracked.find(id); old != m_tracked.end()) m_parent_gates.remove(old->second->parent_gate);
  m_tracked[id] = std::move(tracked);
  return {};
}

Expected<void> Recorder::discover_cgroups() {
  for (const std::string& path : m_options.cgroups) {
    auto children = list_child_cgroups(m_options.mounts, path);
    TRY(children);
    std::vector<std::string> targets = children->empty() ? std::vector<std::string>{path} : *children;
    for (const std::string& target : targets) {
      if (m_tracked.count(target)) continue;
      ContainerInfo info;
      info.id = target;
      info.name = base_name(target);
      info.service = info.name;
      info.cgroup_path = target;
      if (auto ok = track(std::move(info)); !ok) return ok;
    }
  }
  return {};
}

Expected<void> Recorder::discover_kube(std::int64_t now_ns) {
  if (!m_kube || now_ns < m_next_kube_scan_ns) return {};
  m_next_kube_scan_ns = now_ns + std::max(k_kube_rescan_ms, m_options.interval_ms) * 1'000'000;
  auto found = m_kube->scan(m_notice);
  TRY(found);
  for (ContainerInfo& info : *found) {
    if (m_tracked.count(info.id)) continue;
    if (auto ok = track(std::move(info)); !ok) {
      // Its pod was deleted between the scan and the open.
      if (ok.error().code == ErrorCode::unavailable || ok.error().code == ErrorCode::not_found) continue;
      return ok;
    }
  }
  return {};
}

Expected<void> Recorder::discover_engine() {
  auto ids = m_engine->list_container_ids(m_options.filter);
  TRY(ids);
  for (const std::string& id : *ids) {
    if (m_tracked.count(id)) continue;
    auto info = m_engine->inspect(id);
    if (!info) {
      if (info.error().code == ErrorCode::not_found) continue;  // removed meanwhile
      return tl::unexpected(info.error());
    }
    if (info->pid <= 0) continue;
    auto proc = read_file(m_options.proc_root + "/" + std::to_string(info->pid) + "/cgroup");
    if (!proc) continue;  // exited between inspect and now
    auto path = parse_proc_cgroup(*proc, m_options.mounts.version);
    TRY(path);
    info->cgroup_path = *path;
    std::string tracked_id = info->id;
    if (auto ok = track(std::move(*info)); !ok) {
      // The container exited between inspect and open: its cgroup is gone.
      if (ok.error().code == ErrorCode::unavailable || ok.error().code == ErrorCode::not_found) continue;
      return ok;
    }
    // Docker's `oom` events (take_events) tell when to read the counter;
    // Podman sends none, so its containers' counters are read as plain cgroups' are.
    if (m_engine->announces_oom_kills()) m_tracked[tracked_id]->reader->rely_on_oom_events();
  }
  return {};
}

void Recorder::close(const std::string& id) {
  auto it = m_tracked.find(id);
  if (it == m_tracked.end()) return;
  // Its die/oom/destroy may come after its cgroup is gone: Podman removes the
  // cgroup ~0.1 s after the exit and streams the die later than that under
  // load. Bounded: a long recording of churn forgets the oldest ones.
  if (m_store) {
    if (m_closed_keys.size() >= k_max_closed_keys) m_closed_keys.clear();
    m_closed_keys[id] = it->second->key;
  }
  m_parent_gates.remove(it->second->parent_gate);
  m_tracked.erase(it);
}

Expected<void> Recorder::take_events() {
  bool rediscover = false;
  std::optional<Error> ended;
  // The start (and health events) of a container not tracked yet are stored
  // once discovery has given it a key: start-up peaks and times to healthy
  // (plan --startup) are measured from them.
  std::vector<ContainerEvent> new_starts;
  for (const ContainerEvent& e : m_feed->take(ended)) {
    if (e.time_ns <= m_events_since_ns) continue;  // replayed from before the start
    m_events_since_ns = std::max(m_events_since_ns, e.time_ns);
    auto it = m_tracked.find(e.container_id);
    if (e.kind == EventKind::oom && it != m_tracked.end()) it->second->reader->oom_event();
    auto closed = m_closed_keys.find(e.container_id);
    if (m_store && it != m_tracked.end()) {
      if (e.kind == EventKind::healthy || e.kind == EventKind::unhealthy) {
        if (it->second->last_health == e.kind) continue;  // a repeat, not a change
        it->second->last_health = e.kind;
      }
      if (e.kind == EventKind::start) it->second->last_health.reset();  // a new life
      if (auto written = m_store->append_event(it->second->key, e); !written) return written;
    } else if (m_store &&
               (e.kind == EventKind::start || e.kind == EventKind::healthy || e.kind == EventKind::unhealthy)) {
      new_starts.push_back(e);
    } else if (m_store && closed != m_closed_keys.end()) {
      if (auto written = m_store->append_event(closed->second, e); !written) return written;
    }
    if (e.kind == EventKind::destroy) m_closed_keys.erase(e.container_id);
    if (e.kind == EventKind::start || e.kind == EventKind::restart) rediscover = true;
    if (e.kind == EventKind::destroy || e.kind == EventKind::die) close(e.container_id);
  }
  if (ended) return tl::unexpected(*ended);
  if (!rediscover) return {};
  if (auto found = discover_engine(); !found) return found;
  for (const ContainerEvent& e : new_starts) {
    auto it = m_tracked.find(e.container_id);
    if (it == m_tracked.end()) continue;  // exited already, or outside the filter
    if (e.kind == EventKind::healthy || e.kind == EventKind::unhealthy) {
      if (it->second->last_health == e.kind) continue;
      it->second->last_health = e.kind;
    }
    if (auto written = m_store->append_event(it->second->key, e); !written) return written;
  }
  return {};
}

Expected<void> Recorder::tick(std::int64_t now_ns, std::vector<LiveReading>& live) {
  std::vector<SampleRow>& batch = m_batch;
  batch.clear();
  std::vector<std::string> vanished;
  m_parent_gates.check_all();
  for (auto& [id, t] : m_tracked) {
    auto sample = t->reader->read(ParentCpuGates::tasks_ran(t->parent_gate));
    if (!sample) {
      vanished.push_back(id);
      continue;
    }
    sample->time_ns = now_ns;
    if (t->last_oom_kills >= 0 && sample->oom_kills > t->last_oom_kills) {
      m_progress.oom_kills += sample->oom_kills - t->last_oom_kills;
    }
    t->last_oom_kills = sample->oom_kills;
    t->peak = std::max(t->peak, sample->working_set);
    if (m_options.live_readings == LiveReadings::collect) {
      LiveReading reading{t->info, *sample, t->limit, sample->oom_kills, t->peak, std::nullopt, std::nullopt};
      if (t->prev_cpu_ns >= 0) {
        reading.cpu = cpu_rate_between(t->prev_time_ns, t->prev_cpu_ns, now_ns, sample->cpu_usage_ns);
      }
      if (!t->first) t->first = *sample;
      reading.throttling = throttling_increase(*t->first, *sample);
      live.push_back(std::move(reading));
    }
    t->prev_cpu_ns = sample->cpu_usage_ns;
    t->prev_time_ns = now_ns;
    batch.push_back(SampleRow{t->key, *sample});
  }
  for (const std::string& id : vanished) close(id);
  m_progress.samples += static_cast<std::int64_t>(batch.size());
  m_progress.containers = m_tracked.size();
  if (m_store && !batch.empty()) return m_store->append_samples(batch);
  return {};
}

std::int64_t retention_period_ms(const RecordOptions& options) {
  constexpr std::int64_t k_max_period_ms = 10 * 60 * 1000;
  return std::clamp(options.keep_ms / 10, options.interval_ms, std::max(options.interval_ms, k_max_period_ms));
}

Expected<void> Recorder::apply_retention(std::int64_t now_ns) {
  if (!m_store || m_options.keep_ms <= 0 || now_ns < m_next_prune_ns) return {};
  m_next_prune_ns = now_ns + retention_period_ms(m_options) * 1'000'000;
  if (m_options.keep_ms >= now_ns / 1'000'000) return {};  // kept span reaches before 1970: nothing to prune
  TRY(m_store->prune_before(now_ns - m_options.keep_ms * 1'000'000));
  return {};
}

Expected<void> Recorder::follow_engine(std::int64_t now_ns) {
  const std::string& socket = *m_options.engine_socket;
  if (!m_engine_up) {
    if (!m_engine->version()) return {};  // still down; cgroup readings go on
    m_engine_up = true;
    if (m_notice) m_notice("engine at " + socket + " is back; looking for containers again");
    m_events_since_ns = now_ns;
    m_feed = std::make_unique<EventFeed>(socket, m_options.filter, now_ns / 1'000'000'000);
    return discover_engine();
  }
  auto ok = take_events();
  if (ok || ok.error().code != ErrorCode::unavailable) return ok;
  m_feed.reset();
  m_engine_up = false;
  if (m_notice) {
    m_notice(ok.error().message + "; engine lost, readings continue and reconnection is tried every interval");
  }
  return {};
}

Expected<std::int64_t> Recorder::run(const std::atomic<bool>& stop, const TickFn& on_tick) {
  std::int64_t start_ns = m_clock.now_ns();
  m_events_since_ns = start_ns;
  m_next_prune_ns = start_ns + retention_period_ms(m_options) * 1'000'000;  // record pruned at start
  if (m_options.engine_socket) {
    m_engine = std::make_unique<EngineClient>(*m_options.engine_socket);
    TRY(m_engine->version());
    m_engine_up = true;
    m_feed = std::make_unique<EventFeed>(*m_options.engine_socket, m_options.filter, start_ns / 1'000'000'000);
    TRY(discover_engine());
  }
  TRY(discover_cgroups());
  if (m_options.kube_node) {
    m_kube = std::make_unique<KubeNodeDiscovery>(m_options.mounts, *m_options.kube_node);
    TRY(discover_kube(start_ns));
  }

  std::int64_t interval_ns = m_options.interval_ms * 1'000'000;
  std::int64_t end_ns = m_options.duration_ms > 0 ? start_ns + m_options.duration_ms * 1'000'000 : INT64_MAX;
  std::vector<LiveReading> live;  // top's rows; reused like m_batch
  for (std::int64_t next = start_ns; !stop.load() && next <= end_ns; next += interval_ns) {
    if (!m_clock.sleep_until(next, stop)) break;
    std::int64_t now = m_clock.now_ns();
    if (m_engine) {
      TRY(follow_engine(now));
    }
    TRY(discover_kube(now));
    live.clear();
    TRY(tick(now, live));
    TRY(apply_retention(now));
    m_progress.elapsed_ms = (now - start_ns) / 1'000'000;
    if (on_tick) on_tick(m_progress, live);
  }
  return start_ns;
}

}  // namespace stackfit
