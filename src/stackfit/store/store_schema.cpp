#include "stackfit/store/store_schema.hpp"

#include <sqlite3.h>

#include <array>
#include <cstdio>

#include "stackfit/store/sample_store.hpp"
#include "stackfit/store/sqlite_statement.hpp"

namespace stackfit {

namespace {

// Schema version 1. Every byte, millicore and nanosecond column says its unit
// in its name; NULL means "not known / not declared", never zero.
// samples is clustered by time first: a batch (one reading of every
// container at about the same time) lands in one or two B-tree leaves, so a
// commit writes a few pages to the WAL instead of one page per container,
// and retention deletes a prefix of the tree. There is deliberately no index
// on container_key (it would scatter every batch again).
constexpr const char* k_schema_v1 = R"sql(
CREATE TABLE containers (
  key INTEGER PRIMARY KEY AUTOINCREMENT,
  engine_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  project TEXT NOT NULL,
  service TEXT NOT NULL,
  container_number INTEGER NOT NULL,
  image TEXT NOT NULL,
  mem_request_bytes INTEGER,
  mem_limit_bytes INTEGER,
  cpu_request_millicores INTEGER,
  cpu_limit_millicores INTEGER,
  first_seen_ns INTEGER NOT NULL,
  last_seen_ns INTEGER NOT NULL,
  cgroup_path TEXT NOT NULL
) STRICT;
CREATE INDEX containers_by_service ON containers(project, service);
CREATE TABLE samples (
  container_key INTEGER NOT NULL REFERENCES containers(key),
  time_ns INTEGER NOT NULL,
  working_set_bytes INTEGER NOT NULL,
  usage_bytes INTEGER NOT NULL,
  rss_bytes INTEGER NOT NULL,
  cache_bytes INTEGER NOT NULL,
  inactive_file_bytes INTEGER NOT NULL,
  peak_bytes INTEGER,
  oom_kills INTEGER NOT NULL,
  cpu_usage_ns INTEGER NOT NULL,
  cpu_throttled_periods INTEGER NOT NULL,
  cpu_throttled_ns INTEGER NOT NULL,
  psi_some_avg10 REAL,
  PRIMARY KEY (time_ns, container_key)
) WITHOUT ROWID, STRICT;
CREATE TABLE events (
  container_key INTEGER NOT NULL REFERENCES containers(key),
  time_ns INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('start', 'die', 'oom', 'destroy', 'restart')),
  exit_code INTEGER
) STRICT;
CREATE INDEX events_by_container_time ON events(container_key, time_ns);
)sql";

// Version 1 -> 2: health. The events.kind CHECK admits 'healthy' and
// 'unhealthy' (the engine's health_status events): SQLite cannot change a
// CHECK in place, so the table is rebuilt with its rows and their rowids
// (readers order ties by rowid). containers gains the effective health check
// (Config.Healthcheck, which includes one that only the image defines); NULL
// columns for a container without one and for every row written by version 1.
constexpr const char* k_migrate_v1_to_v2 = R"sql(
CREATE TABLE events_v2 (
  container_key INTEGER NOT NULL REFERENCES containers(key),
  time_ns INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('start', 'die', 'oom', 'destroy', 'restart', 'healthy', 'unhealthy')),
  exit_code INTEGER
) STRICT;
INSERT INTO events_v2 (rowid, container_key, time_ns, kind, exit_code)
  SELECT rowid, container_key, time_ns, kind, exit_code FROM events;
DROP TABLE events;
ALTER TABLE events_v2 RENAME TO events;
CREATE INDEX events_by_container_time ON events(container_key, time_ns);
ALTER TABLE containers ADD COLUMN healthcheck_test TEXT;
ALTER TABLE containers ADD COLUMN healthcheck_interval_ns INTEGER;
ALTER TABLE containers ADD COLUMN healthcheck_timeout_ns INTEGER;
ALTER TABLE containers ADD COLUMN healthcheck_start_period_ns INTEGER;
ALTER TABLE containers ADD COLUMN healthcheck_retries INTEGER;
)sql";

// Version 2 -> 3: CPU throttling. samples gains cpu_periods (cpu.stat
// nr_periods), so a throttled share of periods can be computed; NULL for
// every row written before (unknown, not zero: the throttled count alone
// has no denominator).
constexpr const char* k_migrate_v2_to_v3 = R"sql(
ALTER TABLE samples ADD COLUMN cpu_periods INTEGER;
)sql";

// k_migrations[v] turns a version-v file into version v + 1 (v = 0: empty).
constexpr std::array<const char*, 3> k_migrations = {k_schema_v1, k_migrate_v1_to_v2, k_migrate_v2_to_v3};
static_assert(k_migrations.size() == k_store_schema_version, "one migration per schema version");

struct Identity {
  std::int64_t application_id = 0;
  std::int64_t user_version = 0;
  std::int64_t schema_objects = 0;  // rows in sqlite_schema
};

Expected<std::int64_t> read_integer(sqlite3* db, const char* sql, const std::string& path) {
  auto stmt = SqliteStatement::prepare(db, sql, path);
  // A file that is not SQLite fails here, on the first read of its header.
  TRY(stmt);
  int rc = stmt->step();
  if (rc == SQLITE_ROW) return stmt->column_int64(0);
  if (rc == SQLITE_DONE) return 0;
  return tl::unexpected(sqlite_error(db, rc, path, "cannot read"));
}

Expected<Identity> read_identity(sqlite3* db, const std::string& path) {
  Identity id;
  auto app = read_integer(db, "PRAGMA application_id", path);
  TRY(app);
  auto version = read_integer(db, "PRAGMA user_version", path);
  TRY(version);
  auto objects = read_integer(db, "SELECT count(*) FROM sqlite_schema", path);
  TRY(objects);
  id.application_id = *app;
  id.user_version = *version;
  id.schema_objects = *objects;
  return id;
}

bool is_blank(const Identity& id) { return id.application_id == 0 && id.user_version == 0 && id.schema_objects == 0; }

// Refuses files stackfit must not touch; says nothing about blank files.
Expected<void> check_identity(const Identity& id, const std::string& path) {
  if (is_blank(id)) return {};
  auto app = static_cast<std::uint32_t>(id.application_id);
  if (app != k_store_application_id) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08x", app);
    return make_error(ErrorCode::bad_input, path + ": not a stackfit store (application_id " + hex + ")");
  }
  if (id.user_version > k_store_schema_version) {
    return make_error(ErrorCode::bad_input, path + ": schema version " + std::to_string(id.user_version) +
                                                " is newer than this stackfit (" +
                                                std::to_string(k_store_schema_version) + ")");
  }
  return {};
}

Expected<void> read_sqlite_failure(sqlite3* db, const Expected<Identity>& id, const std::string& path) {
  if (id) return {};
  // SQLite says "file is not a database" for any file without its header.
  if (sqlite3_errcode(db) == SQLITE_NOTADB) {
    return make_error(ErrorCode::bad_input, path + ": not a stackfit store (file is not a database)");
  }
  return tl::unexpected(id.error());
}

// Needs a file system with shared memory (mmap) and POSIX locks; on one
// without (some network mounts) SQLite keeps the old mode and we refuse.
Expected<void> enter_wal_mode(sqlite3* db, const std::string& path) {
  auto stmt = SqliteStatement::prepare(db, "PRAGMA journal_mode = WAL", path);
  TRY(stmt);
  int rc = stmt->step();
  if (rc != SQLITE_ROW) return tl::unexpected(sqlite_error(db, rc, path, "cannot open"));
  std::string mode = stmt->column_text(0);
  if (mode != "wal") {
    return make_error(ErrorCode::io, path + ": cannot open: cannot switch to WAL mode (journal_mode " + mode + ")");
  }
  return {};
}

Expected<void> migrate(sqlite3* db, const std::string& path) {
  if (auto begin = sqlite_exec(db, "BEGIN IMMEDIATE", path, "cannot write"); !begin) return begin;
  // Read again under the write lock: another process may have created the
  // schema between our first look and this transaction.
  auto id = read_identity(db, path);
  Expected<void> result = id ? check_identity(*id, path) : tl::unexpected(id.error());
  for (auto v = id ? id->user_version : k_store_schema_version; result && v < k_store_schema_version; ++v) {
    result = sqlite_exec(db, k_migrations[static_cast<std::size_t>(v)], path, "cannot create schema");
  }
  if (result) {
    std::string stamp = "PRAGMA application_id = " + std::to_string(k_store_application_id) +
                        "; PRAGMA user_version = " + std::to_string(k_store_schema_version);
    result = sqlite_exec(db, stamp.c_str(), path, "cannot write");
  }
  if (result) result = sqlite_exec(db, "COMMIT", path, "cannot write");
  if (!result) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  return result;
}

}  // namespace

Expected<void> prepare_store_schema(sqlite3* db, const std::string& path) {
  sqlite3_busy_timeout(db, k_store_busy_timeout_ms);
  auto id = read_identity(db, path);
  if (auto failed = read_sqlite_failure(db, id, path); !failed) return failed;
  if (auto refused = check_identity(*id, path); !refused) return refused;
  // NORMAL in WAL mode syncs the WAL at each checkpoint, not at each commit:
  // a commit is in the WAL file (the OS page cache) when COMMIT returns, so a
  // killed process loses nothing committed; only a power loss or kernel crash
  // can drop the last commits, and even then the file stays consistent.
  if (auto r = sqlite_exec(db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL", path, "cannot open");
      !r) {
    return r;
  }
  if (auto wal = enter_wal_mode(db, path); !wal) return wal;
  if (id->user_version == k_store_schema_version) return {};
  return migrate(db, path);
}

}  // namespace stackfit
