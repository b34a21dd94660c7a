// SampleStore::load_starts: the `start` events that start-up measurements
// (analyze/startup_profile) count from.
#include <sqlite3.h>

#include "stackfit/store/sample_store.hpp"
#include "stackfit/store/sqlite_statement.hpp"

namespace stackfit {

Expected<std::vector<SampleStore::StartRow>> SampleStore::load_starts(std::int64_t from_ns, std::int64_t to_ns) {
  auto stmt = SqliteStatement::prepare(m_db, R"sql(
SELECT container_key, time_ns FROM events
WHERE kind = 'start' AND time_ns BETWEEN ?1 AND ?2 ORDER BY time_ns, rowid)sql",
                                       m_path);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind(1, from_ns);
  stmt->bind(2, to_ns);
  std::vector<StartRow> out;
  int rc = 0;
  while ((rc = stmt->step()) == SQLITE_ROW) out.push_back(StartRow{stmt->column_int64(0), stmt->column_int64(1)});
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(m_db, rc, m_path, "cannot read"));
  return out;
}

}  // namespace stackfit
