#include "stackfit/store/series_loader.hpp"

#include <sqlite3.h>

#include <limits>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "stackfit/store/lifecycle_counts.hpp"
#include "stackfit/store/sqlite_statement.hpp"

namespace stackfit {

namespace {

constexpr const char* k_containers_sql = "SELECT key, project, service, mem_limit_bytes FROM containers ORDER BY project, service, key";
constexpr const char* k_samples_sql = R"sql(
SELECT container_key, time_ns, working_set_bytes, usage_bytes, rss_bytes, cache_bytes, inactive_file_bytes,
  peak_bytes, oom_kills, cpu_usage_ns, cpu_throttled_periods, cpu_throttled_ns, psi_some_avg10,
  coalesce(cpu_periods, 0)
FROM samples WHERE time_ns BETWEEN ?1 AND ?2 ORDER BY time_ns, container_key)sql";
constexpr const char* k_events_sql = R"sql(
SELECT container_key, kind FROM events WHERE time_ns BETWEEN ?1 AND ?2 ORDER BY time_ns, rowid)sql";

// What load_series tracks per container while it streams the rows.
struct ContainerState {
  std::size_t service = 0;  // index into Loading::services
  CounterIncrease oom_counter;
  std::vector<EventKind> events;
};

struct Loading {
  std::vector<SampleStore::ServiceSeries> services;
  std::vector<bool> seen;  // per service: has samples or events in the window
  std::unordered_map<std::int64_t, ContainerState> containers;
  const SampleStore::SampleVisitor* visit = nullptr;  // samples go there instead of into services
};

Sample sample_from(const SqliteStatement& s) {
  Sample out;
  out.time_ns = s.column_int64(1);
  out.working_set = Bytes{s.column_int64(2)};
  out.usage = Bytes{s.column_int64(3)};
  out.rss = Bytes{s.column_int64(4)};
  out.page_cache = Bytes{s.column_int64(5)};
  out.inactive_file = Bytes{s.column_int64(6)};
  if (auto peak = s.column_optional_int64(7)) out.peak = Bytes{*peak};
  out.oom_kills = s.column_int64(8);
  out.cpu_usage_ns = s.column_int64(9);
  out.cpu_throttled_periods = s.column_int64(10);
  out.cpu_throttled_ns = s.column_int64(11);
  out.memory_pressure_some_avg10 = s.column_optional_double(12);
  out.cpu_periods = s.column_int64(13);  // 0 for rows of schema version 2 and older
  return out;
}

EventKind event_kind_from(std::string_view text) {
  // The events.kind CHECK constraint admits only these names.
  for (EventKind kind : {EventKind::start, EventKind::die, EventKind::oom, EventKind::destroy, EventKind::restart,
                         EventKind::healthy, EventKind::unhealthy}) {
    if (text == to_string(kind)) return kind;
  }
  return EventKind::destroy;
}

void add_container(Loading& l, const SqliteStatement& s) {
  std::string project = s.column_text(1);
  std::string service = s.column_text(2);
  // Rows come sorted by (project, service): a new pair starts a new service.
  if (l.services.empty() || l.services.back().project != project || l.services.back().service != service) {
    SampleStore::ServiceSeries series;
    series.project = std::move(project);
    series.service = std::move(service);
    l.services.push_back(std::move(series));
    l.seen.push_back(false);
  }
  if (auto limit = s.column_optional_int64(3)) {
    auto& current = l.services.back().memory_limit;
    if (!current || current->count < *limit) current = Bytes{*limit};
  }
  l.containers[s.column_int64(0)].service = l.services.size() - 1;
}

void add_sample(Loading& l, const SqliteStatement& s, std::int64_t from_ns) {
  auto it = l.containers.find(s.column_int64(0));
  if (it == l.containers.end()) return;  // foreign keys make this impossible
  Sample sample = sample_from(s);
  if (sample.time_ns < from_ns) {
    it->second.oom_counter.set_baseline(sample.oom_kills);
    return;
  }
  it->second.oom_counter.add(sample.oom_kills);
  SampleStore::ServiceSeries& series = l.services[it->second.service];
  if (l.visit) {
    (*l.visit)(series, it->first, sample);
  } else {
    series.samples.push_back(sample);
    series.container_keys.push_back(it->first);
  }
  l.seen[it->second.service] = true;
}

std::vector<SampleStore::ServiceSeries> finish(Loading& l) {
  for (auto& [key, c] : l.containers) {
    LifecycleCounts counts = count_lifecycle(c.events);
    SampleStore::ServiceSeries& series = l.services[c.service];
    series.oom_kills += container_oom_kills(counts, c.oom_counter.total());
    series.restarts += container_restarts(counts);
    if (!c.events.empty()) l.seen[c.service] = true;
  }
  std::vector<SampleStore::ServiceSeries> out;
  for (std::size_t i = 0; i < l.services.size(); ++i) {
    if (l.seen[i]) out.push_back(std::move(l.services[i]));
  }
  return out;
}

}  // namespace

Expected<std::vector<SampleStore::ServiceSeries>> load_service_series(sqlite3* db, const std::string& path,
                                                                     std::int64_t from_ns, std::int64_t to_ns,
                                                                     const SampleStore::SampleVisitor* visit) {
  Loading l;
  l.visit = visit;
  std::int64_t lookback_from = from_ns < std::numeric_limits<std::int64_t>::min() + k_counter_lookback_ns
                                   ? std::numeric_limits<std::int64_t>::min()
                                   : from_ns - k_counter_lookback_ns;
  auto read = for_each_row(db, path, k_containers_sql, std::nullopt, [&](const SqliteStatement& s) { add_container(l, s); });
  if (read) {
    read = for_each_row(db, path, k_events_sql, RowWindow{from_ns, to_ns}, [&](const SqliteStatement& s) {
      auto it = l.containers.find(s.column_int64(0));
      if (it != l.containers.end()) it->second.events.push_back(event_kind_from(s.column_text(1)));
    });
  }
  if (read) {
    read = for_each_row(db, path, k_samples_sql, RowWindow{lookback_from, to_ns},
                        [&](const SqliteStatement& s) { add_sample(l, s, from_ns); });
  }
  TRY(read);
  return finish(l);
}

}  // namespace stackfit
