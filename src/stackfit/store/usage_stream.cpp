#include "stackfit/store/usage_stream.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <unordered_map>

#include "stackfit/model/cpu_throttling.hpp"
#include "stackfit/store/series_loader.hpp"
#include "stackfit/store/sqlite_statement.hpp"

namespace stackfit {

namespace {

constexpr const char* k_containers_sql =
    "SELECT key, project, service, mem_limit_bytes, cpu_limit_millicores FROM containers ORDER BY key";
constexpr const char* k_events_sql = R"sql(
SELECT container_key, time_ns, kind FROM events WHERE time_ns BETWEEN ?1 AND ?2 AND kind IN ('start', 'oom')
ORDER BY time_ns, rowid)sql";
constexpr const char* k_samples_sql = R"sql(
SELECT container_key, time_ns, working_set_bytes, oom_kills, cpu_usage_ns, coalesce(cpu_periods, 0),
  cpu_throttled_periods, cpu_throttled_ns
FROM samples WHERE time_ns BETWEEN ?1 AND ?2 ORDER BY time_ns, container_key)sql";

struct Container {
  WorkloadKey key;       // stable address: the sink may cache by it
  std::string instance;  // the container's key as text
  std::string project;
  std::optional<Bytes> limit;
  std::optional<Millicores> cpu_limit;
  bool included = true;
  bool started = false;
  bool in_window = false;
  bool has_previous = false;
  std::int64_t previous_ns = 0;
  std::int64_t previous_cpu_ns = 0;
  Sample previous_throttle;  // its cpu_periods, cpu_throttled_periods, cpu_throttled_ns
  std::optional<std::int64_t> previous_ooms;
  std::int64_t counter_kills = 0;
  std::int64_t event_kills = 0;
  std::int64_t samples = 0;
};

struct Event {
  std::int64_t time_ns = 0;
  std::int64_t container = 0;
  bool oom = false;
};

class Streamer {
 public:
  Streamer(const UsageStreamFilter& filter, UsageSink& sink, std::int64_t from_ns)
      : m_filter(filter), m_sink(sink), m_from_ns(from_ns) {}

  void add_container(const SqliteStatement& s) {
    auto c = std::make_unique<Container>();
    std::int64_t key = s.column_int64(0);
    c->project = s.column_text(1);
    c->key = WorkloadKey{"", "service", s.column_text(2), ""};
    c->instance = std::to_string(key);
    if (auto limit = s.column_optional_int64(3)) c->limit = Bytes{*limit};
    if (auto cpu = s.column_optional_int64(4)) c->cpu_limit = Millicores{*cpu};
    c->included = !m_filter.project || *m_filter.project == c->project;
    m_containers.emplace(key, std::move(c));
  }

  void add_event(const SqliteStatement& s) {
    m_events.push_back(Event{s.column_int64(1), s.column_int64(0), s.column_text(2) == "oom"});
  }

  void add_sample(const SqliteStatement& s) {
    std::int64_t t = s.column_int64(1);
    Container* c = find(s.column_int64(0));
    if (c == nullptr) return;  // foreign keys make this impossible
    std::int64_t ooms = s.column_int64(3);
    std::int64_t cpu_ns = s.column_int64(4);
    Sample throttle;
    throttle.cpu_periods = s.column_int64(5);
    throttle.cpu_throttled_periods = s.column_int64(6);
    throttle.cpu_throttled_ns = s.column_int64(7);
    if (t < m_from_ns) {  // lookback: baselines only
      c->previous_ooms = ooms;
      remember(*c, t, cpu_ns, throttle);
      return;
    }
    m_projects_seen[c->project] = true;
    if (!c->included) return;
    emit_events_until(t);
    if (!c->in_window) {
      c->in_window = true;
      if (c->limit) m_sink.memory_limit(c->key, c->instance, t, *c->limit);
      if (c->cpu_limit) m_sink.cpu_limit(c->key, c->instance, t, *c->cpu_limit);
      if (!c->started) start(*c, t);
    }
    ++c->samples;
    ++m_rows;
    m_sink.memory(c->key, c->instance, t, Bytes{s.column_int64(2)});
    if (c->has_previous) {
      if (auto rate = cpu_rate_between(c->previous_ns, c->previous_cpu_ns, t, cpu_ns)) {
        m_sink.cpu(c->key, c->instance, t, *rate);
      }
      if (auto th = throttling_increase(c->previous_throttle, throttle)) m_sink.cpu_throttling(c->key, c->instance, t, *th);
    }
    remember(*c, t, cpu_ns, throttle);
    if (c->previous_ooms) {
      std::int64_t kills = ooms >= *c->previous_ooms ? ooms - *c->previous_ooms : ooms;
      if (kills > 0) m_sink.oom_kill(c->key, c->instance, t, kills);
      if (__builtin_add_overflow(c->counter_kills, kills, &c->counter_kills))
        c->counter_kills = std::numeric_limits<std::int64_t>::max();
    }
    c->previous_ooms = ooms;
  }

  UsageStreamStats finish() {
    emit_events_until(std::numeric_limits<std::int64_t>::max());
    std::map<std::pair<std::string, std::string>, StreamedService> services;
    for (auto& [key, c] : m_containers) {
      if (!c->included) continue;
      // oom events the counter did not show (cgroup recreated before a reading).
      if (c->counter_kills < c->event_kills) {
        m_sink.oom_kill(c->key, c->instance, c->previous_ns, c->event_kills - c->counter_kills);
      }
      if (c->samples == 0) continue;
      StreamedService& s = services[{c->project, c->key.name}];
      s.project = c->project;
      s.service = c->key.name;
      s.samples += c->samples;
      if (c->limit && (!s.memory_limit || *s.memory_limit < *c->limit)) s.memory_limit = c->limit;
    }
    UsageStreamStats out;
    out.rows = m_rows;
    for (auto& [k, s] : services) out.services.push_back(std::move(s));
    for (auto& [p, seen] : m_projects_seen) out.projects.push_back(p);
    return out;
  }

 private:
  Container* find(std::int64_t key) {
    if (key >= 0 && static_cast<std::size_t>(key) < m_dense.size()) return m_dense[static_cast<std::size_t>(key)];
    auto it = m_containers.find(key);
    return it == m_containers.end() ? nullptr : it->second.get();
  }

 public:
  // Keys are AUTOINCREMENT integers, dense in practice: index them directly
  // (up to k_dense_keys; beyond, the hash map answers).
  void index_containers() {
    static constexpr std::int64_t k_dense_keys = 1 << 20;
    std::int64_t max_key = 0;
    for (const auto& [key, c] : m_containers) max_key = std::max(max_key, key);
    if (max_key >= k_dense_keys) return;
    m_dense.assign(static_cast<std::size_t>(max_key) + 1, nullptr);
    for (const auto& [key, c] : m_containers) {
      if (key >= 0) m_dense[static_cast<std::size_t>(key)] = c.get();
    }
  }

 private:

  static void remember(Container& c, std::int64_t t, std::int64_t cpu_ns, const Sample& throttle) {
    c.has_previous = true;
    c.previous_ns = t;
    c.previous_cpu_ns = cpu_ns;
    c.previous_throttle = throttle;
  }

  void start(Container& c, std::int64_t t) {
    c.started = true;
    m_sink.start(c.key, c.instance, t);
  }

  void emit_events_until(std::int64_t t) {
    while (m_next_event < m_events.size() && m_events[m_next_event].time_ns <= t) {
      const Event& e = m_events[m_next_event++];
      Container* c = find(e.container);
      if (c == nullptr || !c->included) continue;
      if (e.oom) {
        ++c->event_kills;
      } else {
        start(*c, e.time_ns);
      }
    }
  }

  const UsageStreamFilter& m_filter;
  UsageSink& m_sink;
  std::int64_t m_from_ns;
  std::unordered_map<std::int64_t, std::unique_ptr<Container>> m_containers;
  std::vector<Event> m_events;
  std::size_t m_next_event = 0;
  std::map<std::string, bool> m_projects_seen;
  std::int64_t m_rows = 0;
  std::vector<Container*> m_dense;  // by key, when keys are small
};

}  // namespace

Expected<UsageStreamStats> stream_usage(sqlite3* db, const std::string& path, std::int64_t from_ns,
                                        std::int64_t to_ns, const UsageStreamFilter& filter, UsageSink& sink) {
  Streamer streamer(filter, sink, from_ns);
  std::int64_t lookback_from = from_ns < std::numeric_limits<std::int64_t>::min() + k_counter_lookback_ns
                                   ? std::numeric_limits<std::int64_t>::min()
                                   : from_ns - k_counter_lookback_ns;
  auto read = for_each_row(db, path, k_containers_sql, std::nullopt,
                           [&](const SqliteStatement& s) { streamer.add_container(s); });
  streamer.index_containers();
  if (read) {
    read = for_each_row(db, path, k_events_sql, RowWindow{from_ns, to_ns},
                        [&](const SqliteStatement& s) { streamer.add_event(s); });
  }
  if (read) {
    read = for_each_row(db, path, k_samples_sql, RowWindow{lookback_from, to_ns},
                        [&](const SqliteStatement& s) { streamer.add_sample(s); });
  }
  TRY(read);
  return streamer.finish();
}

}  // namespace stackfit
