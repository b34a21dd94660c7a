#include "stackfit/store/series_loader.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <optional>
#include <string_view>

#include "stackfit/store/lifecycle_counts.hpp"
#include "stackfit/store/sqlite_statement.hpp"

namespace stackfit {

namespace {

constexpr const char* k_containers_sql = "SELECT key, project, service FROM containers ORDER BY project, service, key";
constexpr const char* k_samples_sql = R"sql(
SELECT time_ns, working_set_bytes, usage_bytes, rss_bytes, cache_bytes, inactive_file_bytes, peak_bytes,
  oom_kills, cpu_usage_ns, cpu_throttled_periods, cpu_throttled_ns, psi_some_avg10
FROM samples WHERE container_key = ?1 AND time_ns BETWEEN ?2 AND ?3 ORDER BY time_ns)sql";
constexpr const char* k_baseline_sql = R"sql(
SELECT oom_kills FROM samples WHERE container_key = ?1 AND time_ns < ?2 ORDER BY time_ns DESC LIMIT 1)sql";
constexpr const char* k_events_sql = R"sql(
SELECT kind FROM events WHERE container_key = ?1 AND time_ns BETWEEN ?2 AND ?3 ORDER BY time_ns, rowid)sql";

struct ContainerRow {
  std::int64_t key = 0;
  std::string project;
  std::string service;
};

// What one container contributes to its service's series.
struct ContainerWindow {
  std::vector<Sample> samples;
  std::int64_t oom_kills = 0;
  std::int64_t restarts = 0;
  bool has_events = false;
};

struct Queries {
  SqliteStatement samples;
  SqliteStatement baseline;
  SqliteStatement events;
};

Sample sample_from(const SqliteStatement& s) {
  Sample out;
  out.time_ns = s.column_int64(0);
  out.working_set = Bytes{s.column_int64(1)};
  out.usage = Bytes{s.column_int64(2)};
  out.rss = Bytes{s.column_int64(3)};
  out.page_cache = Bytes{s.column_int64(4)};
  out.inactive_file = Bytes{s.column_int64(5)};
  if (auto peak = s.column_optional_int64(6)) out.peak = Bytes{*peak};
  out.oom_kills = s.column_int64(7);
  out.cpu_usage_ns = s.column_int64(8);
  out.cpu_throttled_periods = s.column_int64(9);
  out.cpu_throttled_ns = s.column_int64(10);
  out.memory_pressure_some_avg10 = s.column_optional_double(11);
  return out;
}

EventKind event_kind_from(std::string_view text) {
  // The events.kind CHECK constraint admits only these names.
  for (EventKind kind : {EventKind::start, EventKind::die, EventKind::oom, EventKind::destroy, EventKind::restart}) {
    if (text == to_string(kind)) return kind;
  }
  return EventKind::destroy;
}

// Steps a bound query to the end, calling on_row for each row.
template <class OnRow>
Expected<void> for_each_row(sqlite3* db, const std::string& path, SqliteStatement& stmt, OnRow on_row) {
  int rc = 0;
  while ((rc = stmt.step()) == SQLITE_ROW) on_row(stmt);
  stmt.reset();
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db, rc, path, "cannot read"));
  return {};
}

Expected<ContainerWindow> read_window(sqlite3* db, const std::string& path, Queries& q, std::int64_t key,
                                      std::int64_t from_ns, std::int64_t to_ns) {
  ContainerWindow w;
  std::vector<std::int64_t> oom_readings;
  std::optional<std::int64_t> baseline;
  std::vector<EventKind> kinds;
  for (SqliteStatement* stmt : {&q.samples, &q.events}) {
    stmt->bind(1, key);
    stmt->bind(2, from_ns);
    stmt->bind(3, to_ns);
  }
  q.baseline.bind(1, key);
  q.baseline.bind(2, from_ns);
  auto read = for_each_row(db, path, q.samples, [&](const SqliteStatement& s) {
    w.samples.push_back(sample_from(s));
    oom_readings.push_back(w.samples.back().oom_kills);
  });
  if (read) read = for_each_row(db, path, q.baseline, [&](const SqliteStatement& s) { baseline = s.column_int64(0); });
  if (read) {
    read = for_each_row(db, path, q.events,
                        [&](const SqliteStatement& s) { kinds.push_back(event_kind_from(s.column_text(0))); });
  }
  if (!read) return tl::unexpected(read.error());
  LifecycleCounts counts = count_lifecycle(kinds);
  w.oom_kills = container_oom_kills(counts, counter_increase(baseline, oom_readings));
  w.restarts = container_restarts(counts);
  w.has_events = !kinds.empty();
  return w;
}

Expected<std::vector<ContainerRow>> load_containers(sqlite3* db, const std::string& path) {
  auto stmt = SqliteStatement::prepare(db, k_containers_sql, path);
  if (!stmt) return tl::unexpected(stmt.error());
  std::vector<ContainerRow> rows;
  auto read = for_each_row(db, path, *stmt, [&](const SqliteStatement& s) {
    rows.push_back(ContainerRow{s.column_int64(0), s.column_text(1), s.column_text(2)});
  });
  if (!read) return tl::unexpected(read.error());
  return rows;
}

Expected<Queries> prepare_queries(sqlite3* db, const std::string& path) {
  auto samples = SqliteStatement::prepare(db, k_samples_sql, path);
  if (!samples) return tl::unexpected(samples.error());
  auto baseline = SqliteStatement::prepare(db, k_baseline_sql, path);
  if (!baseline) return tl::unexpected(baseline.error());
  auto events = SqliteStatement::prepare(db, k_events_sql, path);
  if (!events) return tl::unexpected(events.error());
  return Queries{std::move(*samples), std::move(*baseline), std::move(*events)};
}

void merge_into(SampleStore::ServiceSeries& series, ContainerWindow&& w) {
  auto middle = static_cast<std::ptrdiff_t>(series.samples.size());
  series.samples.insert(series.samples.end(), w.samples.begin(), w.samples.end());
  std::inplace_merge(series.samples.begin(), series.samples.begin() + middle, series.samples.end(),
                     [](const Sample& a, const Sample& b) { return a.time_ns < b.time_ns; });
  series.oom_kills += w.oom_kills;
  series.restarts += w.restarts;
}

}  // namespace

Expected<std::vector<std::int64_t>> load_container_keys(sqlite3* db, const std::string& path) {
  auto stmt = SqliteStatement::prepare(db, "SELECT key FROM containers ORDER BY key", path);
  if (!stmt) return tl::unexpected(stmt.error());
  std::vector<std::int64_t> keys;
  auto read = for_each_row(db, path, *stmt, [&](const SqliteStatement& s) { keys.push_back(s.column_int64(0)); });
  if (!read) return tl::unexpected(read.error());
  return keys;
}

Expected<std::vector<SampleStore::ServiceSeries>> load_service_series(sqlite3* db, const std::string& path,
                                                                     std::int64_t from_ns, std::int64_t to_ns) {
  auto containers = load_containers(db, path);
  if (!containers) return tl::unexpected(containers.error());
  auto queries = prepare_queries(db, path);
  if (!queries) return tl::unexpected(queries.error());
  std::vector<SampleStore::ServiceSeries> out;
  for (const ContainerRow& c : *containers) {
    auto window = read_window(db, path, *queries, c.key, from_ns, to_ns);
    if (!window) return tl::unexpected(window.error());
    if (window->samples.empty() && !window->has_events) continue;
    // Rows come sorted by (project, service): a new service starts a new entry.
    if (out.empty() || out.back().project != c.project || out.back().service != c.service) {
      out.push_back(SampleStore::ServiceSeries{c.project, c.service, {}, 0, 0});
    }
    merge_into(out.back(), std::move(*window));
  }
  return out;
}

}  // namespace stackfit
