#include "stackfit/cli/recorder.hpp"

#include <mutex>
#include <thread>
#include <utility>

#include "stackfit/util/file_io.hpp"

namespace stackfit::cli {

// The engine's /events stream, followed by a thread with its own connection
// from `since` on; the recording loop takes what it queued once per tick.
class Recorder::EventFeed {
 public:
  EventFeed(const std::string& socket, ContainerFilter filter, std::int64_t since_unix_s)
      : m_client(socket), m_where(socket + ": GET /events: ") {
    m_thread = std::thread([this, filter = std::move(filter), since_unix_s] {
      // Bounded only by cancel(): the stream lasts as long as the recording.
      constexpr std::int64_t k_forever_ms = std::int64_t{10} * 365 * 24 * 3600 * 1000;
      auto ended = m_client.stream_events(
          since_unix_s, k_forever_ms,
          [this](const ContainerEvent& e) {
            std::lock_guard lock(m_mutex);
            m_queue.push_back(e);
            return true;
          },
          filter);
      std::lock_guard lock(m_mutex);
      m_end = ended ? Error{ErrorCode::unavailable, m_where + "the engine ended the event stream"} : ended.error();
    });
  }
  ~EventFeed() {
    m_client.cancel();
    m_thread.join();
  }
  EventFeed(const EventFeed&) = delete;
  EventFeed& operator=(const EventFeed&) = delete;

  // The events queued since the last call; `ended` is set once the stream is over.
  std::vector<ContainerEvent> take(std::optional<Error>& ended) {
    std::lock_guard lock(m_mutex);
    ended = m_end;
    return std::exchange(m_queue, {});
  }

 private:
  EngineClient m_client;
  std::string m_where;  // "<socket>: GET /events: " for the end of the stream
  std::mutex m_mutex;
  std::vector<ContainerEvent> m_queue;
  std::optional<Error> m_end;
  std::thread m_thread;  // last: starts after the members it uses
};

struct Recorder::Tracked {
  ContainerInfo info;
  std::int64_t key = 0;
  std::unique_ptr<CgroupReader> reader;
  std::optional<Bytes> limit;
  std::int64_t last_oom_kills = -1;
  std::int64_t prev_time_ns = 0;
  std::int64_t prev_cpu_ns = -1;
  Bytes peak;
};

Recorder::Recorder(RecordOptions options, SampleStore* store, Clock& clock)
    : m_options(std::move(options)), m_store(store), m_clock(clock) {}

Recorder::~Recorder() = default;

namespace {

std::string base_name(const std::string& path) {
  std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

Expected<void> Recorder::track(ContainerInfo info) {
  auto reader = open_cgroup(m_options.mounts, info.cgroup_path);
  if (!reader) return tl::unexpected(reader.error());
  auto tracked = std::make_unique<Tracked>();
  if (auto limit = (*reader)->memory_limit()) tracked->limit = *limit;
  if (!info.declared.memory_limit && tracked->limit) info.declared.memory_limit = tracked->limit;
  if (m_store) {
    auto key = m_store->upsert_container(info, m_clock.now_ns());
    if (!key) return tl::unexpected(key.error());
    tracked->key = *key;
  }
  tracked->reader = std::move(*reader);
  tracked->info = std::move(info);
  std::string id = tracked->info.id;
  m_tracked[id] = std::move(tracked);
  return {};
}

Expected<void> Recorder::discover_cgroups() {
  for (const std::string& path : m_options.cgroups) {
    auto children = list_child_cgroups(m_options.mounts, path);
    if (!children) return tl::unexpected(children.error());
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

Expected<void> Recorder::discover_engine() {
  auto ids = m_engine->list_container_ids(m_options.filter);
  if (!ids) return tl::unexpected(ids.error());
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
    if (!path) return tl::unexpected(path.error());
    info->cgroup_path = *path;
    if (auto ok = track(std::move(*info)); !ok) {
      // The container exited between inspect and open: its cgroup is gone.
      if (ok.error().code == ErrorCode::unavailable || ok.error().code == ErrorCode::not_found) continue;
      return ok;
    }
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
  m_tracked.erase(it);
}

Expected<void> Recorder::take_events() {
  bool rediscover = false;
  std::optional<Error> ended;
  // The start of a container not tracked yet is stored once discovery has
  // given it a key: start-up peaks (plan --startup) are measured from it.
  std::vector<ContainerEvent> new_starts;
  for (const ContainerEvent& e : m_feed->take(ended)) {
    if (e.time_ns <= m_events_since_ns) continue;  // replayed from before the start
    m_events_since_ns = std::max(m_events_since_ns, e.time_ns);
    auto it = m_tracked.find(e.container_id);
    auto closed = m_closed_keys.find(e.container_id);
    if (m_store && it != m_tracked.end()) {
      if (auto written = m_store->append_event(it->second->key, e); !written) return written;
    } else if (m_store && e.kind == EventKind::start) {
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
    if (auto written = m_store->append_event(it->second->key, e); !written) return written;
  }
  return {};
}

Expected<void> Recorder::tick(std::int64_t now_ns, std::vector<LiveReading>& live) {
  std::vector<SampleRow> batch;
  std::vector<std::string> vanished;
  for (auto& [id, t] : m_tracked) {
    auto sample = t->reader->read();
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
      LiveReading reading{t->info, *sample, t->limit, sample->oom_kills, t->peak, std::nullopt};
      if (t->prev_cpu_ns >= 0 && now_ns > t->prev_time_ns && sample->cpu_usage_ns >= t->prev_cpu_ns) {
        reading.cpu = Millicores{(sample->cpu_usage_ns - t->prev_cpu_ns) * 1000 / (now_ns - t->prev_time_ns)};
      }
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
  if (m_options.engine_socket) {
    m_engine = std::make_unique<EngineClient>(*m_options.engine_socket);
    auto version = m_engine->version();
    if (!version) return tl::unexpected(version.error());
    m_engine_up = true;
    m_feed = std::make_unique<EventFeed>(*m_options.engine_socket, m_options.filter, start_ns / 1'000'000'000);
    if (auto ok = discover_engine(); !ok) return tl::unexpected(ok.error());
  }
  if (auto ok = discover_cgroups(); !ok) return tl::unexpected(ok.error());

  std::int64_t interval_ns = m_options.interval_ms * 1'000'000;
  std::int64_t end_ns = m_options.duration_ms > 0 ? start_ns + m_options.duration_ms * 1'000'000 : INT64_MAX;
  for (std::int64_t next = start_ns; !stop.load() && next <= end_ns; next += interval_ns) {
    if (!m_clock.sleep_until(next, stop)) break;
    std::int64_t now = m_clock.now_ns();
    if (m_engine) {
      if (auto ok = follow_engine(now); !ok) return tl::unexpected(ok.error());
    }
    std::vector<LiveReading> live;
    if (auto ok = tick(now, live); !ok) return tl::unexpected(ok.error());
    m_progress.elapsed_ms = (now - start_ns) / 1'000'000;
    if (on_tick) on_tick(m_progress, live);
  }
  return start_ns;
}

}  // namespace stackfit::cli
