#include "stackfit/store/sample_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <unordered_map>
#include <utility>

#include "stackfit/store/series_loader.hpp"
#include "stackfit/store/sqlite_statement.hpp"
#include "stackfit/store/store_schema.hpp"

namespace stackfit {

namespace {

constexpr const char* k_upsert_container_sql = R"sql(
INSERT INTO containers (engine_id, name, project, service, container_number, image,
  mem_request_bytes, mem_limit_bytes, cpu_request_millicores, cpu_limit_millicores,
  first_seen_ns, last_seen_ns, cgroup_path, healthcheck_test, healthcheck_interval_ns,
  healthcheck_timeout_ns, healthcheck_start_period_ns, healthcheck_retries)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
ON CONFLICT (engine_id) DO UPDATE SET
  name = excluded.name, project = excluded.project, service = excluded.service,
  container_number = excluded.container_number, image = excluded.image,
  mem_request_bytes = excluded.mem_request_bytes, mem_limit_bytes = excluded.mem_limit_bytes,
  cpu_request_millicores = excluded.cpu_request_millicores,
  cpu_limit_millicores = excluded.cpu_limit_millicores,
  first_seen_ns = min(first_seen_ns, excluded.first_seen_ns),
  last_seen_ns = max(last_seen_ns, excluded.last_seen_ns), cgroup_path = excluded.cgroup_path,
  healthcheck_test = excluded.healthcheck_test, healthcheck_interval_ns = excluded.healthcheck_interval_ns,
  healthcheck_timeout_ns = excluded.healthcheck_timeout_ns,
  healthcheck_start_period_ns = excluded.healthcheck_start_period_ns,
  healthcheck_retries = excluded.healthcheck_retries
RETURNING key)sql";

constexpr const char* k_touch_container_sql =
    "UPDATE containers SET last_seen_ns = max(last_seen_ns, ?2) WHERE key = ?1";

constexpr const char* k_insert_sample_sql = R"sql(
INSERT OR REPLACE INTO samples (container_key, time_ns, working_set_bytes, usage_bytes, rss_bytes,
  cache_bytes, inactive_file_bytes, peak_bytes, oom_kills, cpu_usage_ns, cpu_throttled_periods,
  cpu_throttled_ns, psi_some_avg10, cpu_periods)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14))sql";

constexpr const char* k_insert_event_sql =
    "INSERT INTO events (container_key, time_ns, kind, exit_code) VALUES (?1, ?2, ?3, ?4)";

// last_seen_ns lags the newest sample by at most k_last_seen_step_ns, so a
// container last seen before cutoff - step has no sample left after the
// deletes above.
constexpr const char* k_prune_containers_sql = R"sql(
DELETE FROM containers WHERE last_seen_ns < ?1
  AND NOT EXISTS (SELECT 1 FROM events WHERE container_key = containers.key))sql";

std::int64_t saturating_sub(std::int64_t a, std::int64_t b) {
  return a < std::numeric_limits<std::int64_t>::min() + b ? std::numeric_limits<std::int64_t>::min() : a - b;
}

template <class Quantity>
std::optional<std::int64_t> count_of(const std::optional<Quantity>& q) {
  if (!q) return std::nullopt;
  return q->count;
}

// The OS's reason when SQLite could not open the file ("Not a directory"),
// else SQLite's own text. SQLite's last errno can mislead: after a create
// refused for permission it retries read-only and reports ENOENT, so a
// missing file in a folder we may not write is asked about first.
std::string open_failure_reason(sqlite3* db, int rc, const std::string& path) {
  if ((rc & 0xff) == SQLITE_CANTOPEN && ::access(path.c_str(), F_OK) != 0 && errno == ENOENT) {
    std::string parent = std::filesystem::path(path).parent_path().string();
    if (parent.empty()) parent = ".";
    if (::access(parent.c_str(), W_OK | X_OK) != 0) return std::strerror(errno);
  }
  int err = db != nullptr ? sqlite3_system_errno(db) : 0;
  if (err != 0) return std::strerror(err);
  return sqlite3_errstr(rc);
}

Expected<void> create_parent_folder(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return {};
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) return make_error(ErrorCode::io, path + ": cannot open: " + ec.message());
  return {};
}

// A new store is created here rather than by SQLite, so that it is 0600
// (it names every container of the host, with images and labels); SQLite
// gives its -wal and -shm files the same mode. An existing file keeps its
// mode. A symlink at `path` is refused: the store is written only at the path
// the user named (docs/promises.md).
Expected<void> create_store_file(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode)) {
      return make_error(ErrorCode::io, path + ": cannot open: is a symbolic link (name the store's own path)");
    }
    return {};
  }
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
  return {};  // a failure here (no permission, no folder) is reported by SQLite's open, as before
}

void bind_sample(SqliteStatement& stmt, const SampleRow& row) {
  const Sample& s = row.sample;
  stmt.bind(1, row.container_key);
  stmt.bind(2, s.time_ns);
  stmt.bind(3, s.working_set.count);
  stmt.bind(4, s.usage.count);
  stmt.bind(5, s.rss.count);
  stmt.bind(6, s.page_cache.count);
  stmt.bind(7, s.inactive_file.count);
  stmt.bind(8, count_of(s.peak));
  stmt.bind(9, s.oom_kills);
  stmt.bind(10, s.cpu_usage_ns);
  stmt.bind(11, s.cpu_throttled_periods);
  stmt.bind(12, s.cpu_throttled_ns);
  stmt.bind(13, s.memory_pressure_some_avg10);
  stmt.bind(14, s.cpu_periods);
}

void bind_container(SqliteStatement& stmt, const ContainerInfo& info, std::int64_t first_seen_ns) {
  stmt.bind(1, std::string_view(info.id));
  stmt.bind(2, std::string_view(info.name));
  stmt.bind(3, std::string_view(info.project));
  stmt.bind(4, std::string_view(info.service));
  stmt.bind(5, info.container_number);
  stmt.bind(6, std::string_view(info.image));
  stmt.bind(7, count_of(info.declared.memory_request));
  stmt.bind(8, count_of(info.declared.memory_limit));
  stmt.bind(9, count_of(info.declared.cpu_request));
  stmt.bind(10, count_of(info.declared.cpu_limit));
  stmt.bind(11, first_seen_ns);
  stmt.bind(12, std::string_view(info.cgroup_path));
  const std::optional<RecordedHealthcheck>& hc = info.healthcheck;
  if (hc) {
    stmt.bind(13, std::string_view(hc->test));
  } else {
    stmt.bind(13, std::optional<std::int64_t>());  // NULL
  }
  stmt.bind(14, hc ? std::optional<std::int64_t>(hc->interval_ns) : std::nullopt);
  stmt.bind(15, hc ? std::optional<std::int64_t>(hc->timeout_ns) : std::nullopt);
  stmt.bind(16, hc ? std::optional<std::int64_t>(hc->start_period_ns) : std::nullopt);
  stmt.bind(17, hc ? std::optional<std::int64_t>(hc->retries) : std::nullopt);
}

}  // namespace

struct SampleStore::Statements {
  SqliteStatement begin;
  SqliteStatement commit;
  SqliteStatement upsert_container;
  SqliteStatement touch_container;
  SqliteStatement insert_sample;
  SqliteStatement insert_event;
  // containers.last_seen_ns as committed by this connection, per key.
  std::unordered_map<std::int64_t, std::int64_t> last_seen_written;
};

std::string default_store_path(const std::string& xdg_state_home, const std::string& home) {
  if (!xdg_state_home.empty() && xdg_state_home.front() == '/') return xdg_state_home + "/stackfit/stackfit.db";
  if (!home.empty()) return home + "/.local/state/stackfit/stackfit.db";
  return "stackfit.db";
}

Expected<SampleStore> SampleStore::open(const std::string& path, ParentFolder parent) {
  if (path.empty()) return make_error(ErrorCode::usage, "store path is empty");
  if (parent == ParentFolder::create) {
    TRY(create_parent_folder(path));
  }
  TRY(create_store_file(path));
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string reason = open_failure_reason(db, rc, path);
    sqlite3_close_v2(db);
    return make_error(ErrorCode::io, path + ": cannot open: " + reason);
  }
  SampleStore store(db, path);
  TRY(prepare_store_schema(db, path));
  TRY(store.prepare_statements());
  return store;
}

SampleStore::SampleStore(sqlite3* db, std::string path)
    : m_db(db), m_path(std::move(path)), m_statements(std::make_unique<Statements>()) {}

SampleStore::SampleStore(SampleStore&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)),
      m_path(std::move(other.m_path)),
      m_statements(std::move(other.m_statements)),
      m_key_checks(other.m_key_checks) {}

SampleStore& SampleStore::operator=(SampleStore&& other) noexcept {
  if (this != &other) {
    close();
    m_db = std::exchange(other.m_db, nullptr);
    m_path = std::move(other.m_path);
    m_statements = std::move(other.m_statements);
    m_key_checks = other.m_key_checks;
  }
  return *this;
}

SampleStore::~SampleStore() { close(); }

void SampleStore::close() noexcept {
  m_statements.reset();  // statements must be finalized before the connection closes
  if (m_db != nullptr) sqlite3_close_v2(m_db);
  m_db = nullptr;
}

Expected<void> SampleStore::prepare_statements() {
  auto prepare = [&](SqliteStatement& slot, const char* sql) -> Expected<void> {
    auto stmt = SqliteStatement::prepare(m_db, sql, m_path);
    TRY(stmt);
    slot = std::move(*stmt);
    return {};
  };
  Statements& s = *m_statements;
  for (auto [slot, sql] : {std::pair{&s.begin, "BEGIN IMMEDIATE"}, std::pair{&s.commit, "COMMIT"},
                           std::pair{&s.upsert_container, k_upsert_container_sql},
                           std::pair{&s.touch_container, k_touch_container_sql},
                           std::pair{&s.insert_sample, k_insert_sample_sql},
                           std::pair{&s.insert_event, k_insert_event_sql}}) {
    if (auto ok = prepare(*slot, sql); !ok) return ok;
  }
  return {};
}

Expected<void> SampleStore::in_transaction(const std::function<Expected<void>()>& body) {
  Statements& s = *m_statements;
  int rc = s.begin.step();
  s.begin.reset();
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(m_db, rc, m_path, "cannot write"));
  Expected<void> result = body();
  if (result) {
    rc = s.commit.step();
    s.commit.reset();
    if (rc != SQLITE_DONE) result = tl::unexpected(sqlite_error(m_db, rc, m_path, "cannot write"));
  }
  // SQLite may already have rolled back on its own (e.g. SQLITE_FULL).
  if (!result && sqlite3_get_autocommit(m_db) == 0) sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
  return result;
}

Expected<std::int64_t> SampleStore::upsert_container(const ContainerInfo& info, std::int64_t first_seen_ns) {
  SqliteStatement& stmt = m_statements->upsert_container;
  bind_container(stmt, info, first_seen_ns);
  int rc = stmt.step();
  std::int64_t key = rc == SQLITE_ROW ? stmt.column_int64(0) : 0;
  while (rc == SQLITE_ROW) rc = stmt.step();  // RETURNING: run to completion
  stmt.reset();
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(m_db, rc, m_path, "cannot write"));
  return key;
}

Expected<void> SampleStore::append_samples(const std::vector<SampleRow>& rows) {
  if (rows.empty()) return {};
  Statements& st = *m_statements;
  std::unordered_map<std::int64_t, std::int64_t> touched;  // applied to the cache only once committed
  auto result = in_transaction([&]() -> Expected<void> {
    for (const SampleRow& row : rows) {
      bind_sample(st.insert_sample, row);
      int rc = st.insert_sample.step();
      st.insert_sample.reset();
      if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(m_db, rc, m_path, "cannot write"));
      auto written = st.last_seen_written.find(row.container_key);
      std::int64_t time_ns = row.sample.time_ns;
      if (written != st.last_seen_written.end() && time_ns <= written->second + k_last_seen_step_ns) continue;
      if (auto it = touched.find(row.container_key); it != touched.end() && time_ns <= it->second) continue;
      st.touch_container.bind(1, row.container_key);
      st.touch_container.bind(2, time_ns);
      rc = st.touch_container.step();
      st.touch_container.reset();
      if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(m_db, rc, m_path, "cannot write"));
      touched[row.container_key] = time_ns;
    }
    return {};
  });
  if (result) {
    for (auto [key, time_ns] : touched) st.last_seen_written[key] = time_ns;
  }
  return result;
}

Expected<void> SampleStore::limit_page_cache(std::int64_t kib) {
  std::string pragma = "PRAGMA cache_size = -" + std::to_string(std::max<std::int64_t>(kib, 1));
  return sqlite_exec(m_db, pragma.c_str(), m_path,
                     "cannot open");
}

Expected<void> SampleStore::skip_key_checks() {
  m_key_checks = false;
  return sqlite_exec(m_db, "PRAGMA foreign_keys = OFF", m_path, "cannot open");
}

Expected<void> SampleStore::append_event(std::int64_t container_key, const ContainerEvent& event) {
  SqliteStatement& stmt = m_statements->insert_event;
  stmt.bind(1, container_key);
  stmt.bind(2, event.time_ns);
  stmt.bind(3, std::string_view(to_string(event.kind)));
  stmt.bind(4, event.exit_code);
  int rc = stmt.step();
  stmt.reset();
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(m_db, rc, m_path, "cannot write"));
  return {};
}

Expected<std::int64_t> SampleStore::prune_before(std::int64_t cutoff_ns) {
  std::int64_t deleted = 0;
  // The containers DELETE would make SQLite check samples for child rows by
  // scanning the whole table (samples has no container_key index, on
  // purpose); the last_seen_ns rule already guarantees there are none, so
  // foreign keys are off for this one transaction.
  if (auto off = sqlite_exec(m_db, "PRAGMA foreign_keys = OFF", m_path, "cannot write"); !off) {
    return tl::unexpected(off.error());
  }
  auto result = in_transaction([&]() -> Expected<void> {
    for (const char* sql : {"DELETE FROM samples WHERE time_ns < ?1", "DELETE FROM events WHERE time_ns < ?1",
                            k_prune_containers_sql}) {
      auto stmt = SqliteStatement::prepare(m_db, sql, m_path);
      TRY(stmt);
      bool containers = sql == k_prune_containers_sql;
      stmt->bind(1, containers ? saturating_sub(cutoff_ns, k_last_seen_step_ns) : cutoff_ns);
      int rc = stmt->step();
      if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(m_db, rc, m_path, "cannot write"));
      if (!containers) deleted += sqlite3_changes64(m_db);
    }
    return {};
  });
  auto on = m_key_checks ? sqlite_exec(m_db, "PRAGMA foreign_keys = ON", m_path, "cannot write") : Expected<void>{};
  TRY(result);
  TRY(on);
  m_statements->last_seen_written.clear();
  return deleted;
}

Expected<std::vector<SampleStore::ServiceSeries>> SampleStore::load_series(std::int64_t from_ns,
                                                                          std::int64_t to_ns) {
  // One read transaction: a consistent snapshot while a recorder keeps writing.
  TRY(sqlite_exec(m_db, "BEGIN", m_path, "cannot read"));
  auto series = load_service_series(m_db, m_path, from_ns, to_ns);
  sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);  // read-only: nothing to lose
  return series;
}

Expected<std::vector<SampleStore::ServiceSeries>> SampleStore::scan_series(std::int64_t from_ns, std::int64_t to_ns,
                                                                          int passes, const PassVisitor& visit) {
  TRY(sqlite_exec(m_db, "BEGIN", m_path, "cannot read"));
  Expected<std::vector<ServiceSeries>> series = std::vector<ServiceSeries>{};
  for (int pass = 0; pass < passes && series; ++pass) {
    SampleVisitor visit_pass = [&](const ServiceSeries& s, std::int64_t key, const Sample& sample) {
      visit(pass, s, key, sample);
    };
    series = load_service_series(m_db, m_path, from_ns, to_ns, &visit_pass);
  }
  sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);  // read-only: nothing to lose
  return series;
}

Expected<UsageStreamStats> SampleStore::stream_usage(std::int64_t from_ns, std::int64_t to_ns,
                                                    const UsageStreamFilter& filter, UsageSink& sink) {
  TRY(sqlite_exec(m_db, "BEGIN", m_path, "cannot read"));
  auto stats = stackfit::stream_usage(m_db, m_path, from_ns, to_ns, filter, sink);
  sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);  // read-only: nothing to lose
  return stats;
}

}  // namespace stackfit
