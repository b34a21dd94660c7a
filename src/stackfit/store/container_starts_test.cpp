#include <gtest/gtest.h>
#include <sqlite3.h>

#include "stackfit/store/sample_store.hpp"
#include "stackfit/util/file_io.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

ContainerInfo info(const std::string& id, const std::string& service) {
  ContainerInfo c;
  c.id = id;
  c.name = "p-" + service + "-1";
  c.project = "p";
  c.service = service;
  return c;
}

TEST(ContainerStarts, OnlyStartEventsInTheWindowInTimeOrder) {
  testing::TempDir dir;
  auto store = SampleStore::open(dir.path() + "/s.db");
  ASSERT_TRUE(store) << store.error().message;
  auto a = store->upsert_container(info("a", "web"), 1);
  auto b = store->upsert_container(info("b", "db"), 1);
  ASSERT_TRUE(a && b);
  auto add = [&](std::int64_t key, std::int64_t t, EventKind kind) {
    ASSERT_TRUE(store->append_event(key, ContainerEvent{t, "", kind, std::nullopt}));
  };
  add(*a, 300, EventKind::start);
  add(*b, 100, EventKind::start);
  add(*a, 200, EventKind::die);
  add(*a, 250, EventKind::restart);
  add(*b, 900, EventKind::start);
  auto starts = store->load_starts(0, 500);
  ASSERT_TRUE(starts) << starts.error().message;
  ASSERT_EQ(starts->size(), 2u);
  EXPECT_EQ((*starts)[0].container, *b);
  EXPECT_EQ((*starts)[0].time_ns, 100);
  EXPECT_EQ((*starts)[1].container, *a);
  EXPECT_EQ((*starts)[1].time_ns, 300);
  auto none = store->load_starts(1000, 2000);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST(ContainerStarts, HealthEventsAndRecordedHealthchecksRoundTrip) {
  testing::TempDir dir;
  auto store = SampleStore::open(dir.path() + "/s.db");
  ASSERT_TRUE(store) << store.error().message;
  ContainerInfo checked = info("a", "web");
  checked.healthcheck =
      RecordedHealthcheck{R"(["CMD-SHELL","test -f /ready"])", 1'000'000'000, 2'000'000'000, 500'000'000, 3};
  auto a = store->upsert_container(checked, 1);
  auto b = store->upsert_container(info("b", "db"), 1);
  ASSERT_TRUE(a && b);
  auto add = [&](std::int64_t key, std::int64_t t, EventKind kind) {
    ASSERT_TRUE(store->append_event(key, ContainerEvent{t, "", kind, std::nullopt}));
  };
  add(*a, 100, EventKind::start);
  add(*a, 400, EventKind::healthy);
  add(*a, 300, EventKind::unhealthy);
  add(*b, 350, EventKind::start);
  auto health = store->load_health(0, 1000);
  ASSERT_TRUE(health) << health.error().message;
  ASSERT_EQ(health->size(), 2u);
  EXPECT_EQ((*health)[0].time_ns, 300);
  EXPECT_FALSE((*health)[0].healthy);
  EXPECT_EQ((*health)[1].time_ns, 400);
  EXPECT_TRUE((*health)[1].healthy);
  EXPECT_EQ((*health)[1].container, *a);
  // Health events are neither starts nor restarts.
  auto starts = store->load_starts(0, 1000);
  ASSERT_TRUE(starts);
  EXPECT_EQ(starts->size(), 2u);
  auto series = store->load_series(0, 1000);
  ASSERT_TRUE(series);
  for (const auto& s : *series) EXPECT_EQ(s.restarts, 0) << s.service;

  auto containers = store->load_containers();
  ASSERT_TRUE(containers) << containers.error().message;
  ASSERT_EQ(containers->size(), 2u);
  EXPECT_EQ((*containers)[0].service, "web");
  ASSERT_TRUE((*containers)[0].healthcheck.has_value());
  EXPECT_EQ(*(*containers)[0].healthcheck, *checked.healthcheck);
  EXPECT_FALSE((*containers)[1].healthcheck.has_value());
  // An upsert without one clears it (the container was recreated without a check).
  ASSERT_TRUE(store->upsert_container(info("a", "web"), 1));
  containers = store->load_containers();
  ASSERT_TRUE(containers);
  EXPECT_FALSE((*containers)[0].healthcheck.has_value());
}

// A file written by schema version 1 (its DDL as it shipped) is migrated in
// place: rows kept, the new event kinds and health-check columns usable.
TEST(ContainerStarts, VersionOneStoreIsMigrated) {
  testing::TempDir dir;
  std::string path = dir.path() + "/v1.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const char* v1 = R"sql(
PRAGMA journal_mode = WAL;
CREATE TABLE containers (key INTEGER PRIMARY KEY AUTOINCREMENT, engine_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
  project TEXT NOT NULL, service TEXT NOT NULL, container_number INTEGER NOT NULL, image TEXT NOT NULL,
  mem_request_bytes INTEGER, mem_limit_bytes INTEGER, cpu_request_millicores INTEGER, cpu_limit_millicores INTEGER,
  first_seen_ns INTEGER NOT NULL, last_seen_ns INTEGER NOT NULL, cgroup_path TEXT NOT NULL) STRICT;
CREATE INDEX containers_by_service ON containers(project, service);
CREATE TABLE samples (container_key INTEGER NOT NULL REFERENCES containers(key), time_ns INTEGER NOT NULL,
  working_set_bytes INTEGER NOT NULL, usage_bytes INTEGER NOT NULL, rss_bytes INTEGER NOT NULL,
  cache_bytes INTEGER NOT NULL, inactive_file_bytes INTEGER NOT NULL, peak_bytes INTEGER,
  oom_kills INTEGER NOT NULL, cpu_usage_ns INTEGER NOT NULL, cpu_throttled_periods INTEGER NOT NULL,
  cpu_throttled_ns INTEGER NOT NULL, psi_some_avg10 REAL, PRIMARY KEY (time_ns, container_key)) WITHOUT ROWID, STRICT;
CREATE TABLE events (container_key INTEGER NOT NULL REFERENCES containers(key), time_ns INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('start', 'die', 'oom', 'destroy', 'restart')), exit_code INTEGER) STRICT;
CREATE INDEX events_by_container_time ON events(container_key, time_ns);
INSERT INTO containers VALUES (1, 'a', 'p-web-1', 'p', 'web', 1, 'img', NULL, NULL, NULL, NULL, 5, 5, '/c');
INSERT INTO events VALUES (1, 10, 'start', NULL), (1, 20, 'die', 137), (1, 20, 'start', NULL);
INSERT INTO samples VALUES (1, 15, 7, 7, 7, 0, 0, NULL, 0, 0, 0, 0, NULL);
PRAGMA application_id = 1398033222;
PRAGMA user_version = 1;
)sql";
  ASSERT_EQ(sqlite3_exec(db, v1, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  ASSERT_NE(sqlite3_exec(db, "INSERT INTO events VALUES (1, 30, 'healthy', NULL)", nullptr, nullptr, nullptr),
            SQLITE_OK);  // what version 1 refuses
  sqlite3_close(db);

  auto store = SampleStore::open(path);
  ASSERT_TRUE(store) << store.error().message;
  auto starts = store->load_starts(0, 100);
  ASSERT_TRUE(starts) << starts.error().message;
  ASSERT_EQ(starts->size(), 2u);  // kept, with their order
  EXPECT_EQ((*starts)[1].time_ns, 20);
  ASSERT_TRUE(store->append_event(1, ContainerEvent{30, "", EventKind::healthy, std::nullopt}));
  auto health = store->load_health(0, 100);
  ASSERT_TRUE(health);
  ASSERT_EQ(health->size(), 1u);
  auto containers = store->load_containers();
  ASSERT_TRUE(containers) << containers.error().message;
  ASSERT_EQ(containers->size(), 1u);
  EXPECT_FALSE((*containers)[0].healthcheck.has_value());
  auto series = store->load_series(0, 100);
  ASSERT_TRUE(series);
  ASSERT_EQ(series->size(), 1u);
  EXPECT_EQ((*series)[0].samples.size(), 1u);
  EXPECT_EQ((*series)[0].samples[0].cpu_periods, 0);
  EXPECT_EQ((*series)[0].restarts, 1);  // die then start, as before

  sqlite3* check = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &check), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(check, "PRAGMA user_version", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(stmt, 0), k_store_schema_version);
  sqlite3_finalize(stmt);
  ASSERT_EQ(sqlite3_prepare_v2(check, "PRAGMA integrity_check", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "ok");
  sqlite3_finalize(stmt);
  // Version 3's cpu_periods: unknown (NULL) for the row written before it.
  ASSERT_EQ(sqlite3_prepare_v2(check, "SELECT count(*) FROM samples WHERE cpu_periods IS NULL", -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(stmt, 0), 1);
  sqlite3_finalize(stmt);
  sqlite3_close(check);
}

}  // namespace
}  // namespace stackfit
