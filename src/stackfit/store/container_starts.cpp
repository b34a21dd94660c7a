// SampleStore::load_starts, load_health and load_containers: the `start`
// events that start-up measurements (analyze/startup_profile) count from, the
// health events that end a start-up, and the containers with their recorded
// health checks.
#include <sqlite3.h>

#include "stackfit/store/sample_store.hpp"
#include "stackfit/store/sqlite_statement.hpp"

namespace stackfit {

Expected<std::vector<ContainerStart>> SampleStore::load_starts(std::int64_t from_ns, std::int64_t to_ns) {
  auto stmt = SqliteStatement::prepare(m_db, R"sql(
SELECT container_key, time_ns FROM events
WHERE kind = 'start' AND time_ns BETWEEN ?1 AND ?2 ORDER BY time_ns, rowid)sql",
                                       m_path);
  TRY(stmt);
  stmt->bind(1, from_ns);
  stmt->bind(2, to_ns);
  std::vector<ContainerStart> out;
  int rc = 0;
  while ((rc = stmt->step()) == SQLITE_ROW) out.push_back(ContainerStart{stmt->column_int64(0), stmt->column_int64(1)});
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(m_db, rc, m_path, "cannot read"));
  return out;
}

Expected<std::vector<HealthEvent>> SampleStore::load_health(std::int64_t from_ns, std::int64_t to_ns) {
  auto stmt = SqliteStatement::prepare(m_db, R"sql(
SELECT container_key, time_ns, kind = 'healthy' FROM events
WHERE kind IN ('healthy', 'unhealthy') AND time_ns BETWEEN ?1 AND ?2 ORDER BY time_ns, rowid)sql",
                                       m_path);
  TRY(stmt);
  stmt->bind(1, from_ns);
  stmt->bind(2, to_ns);
  std::vector<HealthEvent> out;
  int rc = 0;
  while ((rc = stmt->step()) == SQLITE_ROW) {
    out.push_back(HealthEvent{stmt->column_int64(0), stmt->column_int64(1), stmt->column_int64(2) != 0});
  }
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(m_db, rc, m_path, "cannot read"));
  return out;
}

Expected<std::vector<SampleStore::ContainerRow>> SampleStore::load_containers() {
  auto stmt = SqliteStatement::prepare(m_db, R"sql(
SELECT key, project, service, last_seen_ns, coalesce(healthcheck_test, ''), healthcheck_interval_ns, healthcheck_timeout_ns,
  healthcheck_start_period_ns, healthcheck_retries, healthcheck_test IS NOT NULL, mem_request_bytes, mem_limit_bytes,
  cpu_request_millicores, cpu_limit_millicores
FROM containers ORDER BY key)sql",
                                       m_path);
  TRY(stmt);
  std::vector<ContainerRow> out;
  int rc = 0;
  while ((rc = stmt->step()) == SQLITE_ROW) {
    ContainerRow row;
    row.key = stmt->column_int64(0);
    row.project = stmt->column_text(1);
    row.service = stmt->column_text(2);
    row.last_seen_ns = stmt->column_int64(3);
    if (auto v = stmt->column_optional_int64(10)) row.declared.memory_request = Bytes{*v};
    if (auto v = stmt->column_optional_int64(11)) row.declared.memory_limit = Bytes{*v};
    if (auto v = stmt->column_optional_int64(12)) row.declared.cpu_request = Millicores{*v};
    if (auto v = stmt->column_optional_int64(13)) row.declared.cpu_limit = Millicores{*v};
    if (stmt->column_int64(9) != 0) {
      RecordedHealthcheck hc;
      hc.test = stmt->column_text(4);
      hc.interval_ns = stmt->column_optional_int64(5).value_or(0);
      hc.timeout_ns = stmt->column_optional_int64(6).value_or(0);
      hc.start_period_ns = stmt->column_optional_int64(7).value_or(0);
      hc.retries = stmt->column_optional_int64(8).value_or(0);
      row.healthcheck = std::move(hc);
    }
    out.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(m_db, rc, m_path, "cannot read"));
  return out;
}

}  // namespace stackfit
