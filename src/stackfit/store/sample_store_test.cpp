#include "stackfit/store/sample_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "stackfit/store/store_schema.hpp"
#include "stackfit/util/file_io.hpp"
#include "testing/recorded_container.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

// A second, raw connection: the tests look at the file the way a user's
// sqlite3 shell would, not through the code under test.
class RawDb {
 public:
  explicit RawDb(const std::string& path) { sqlite3_open(path.c_str(), &m_db); }
  ~RawDb() { sqlite3_close(m_db); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  void exec(const std::string& sql) { ASSERT_EQ(sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(m_db); }
  std::string text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string out = "<error>";
    if (sqlite3_prepare_v2(m_db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(stmt, 0);
      out = t ? reinterpret_cast<const char*>(t) : "NULL";
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* m_db = nullptr;
};

ContainerInfo container(const std::string& id, const std::string& project, const std::string& service) {
  return testing::recorded_container(id, project, service);
}

Sample sample_at(std::int64_t time_ns, std::int64_t working_set, std::int64_t oom_kills = 0) {
  Sample s;
  s.time_ns = time_ns;
  s.working_set = Bytes{working_set};
  s.usage = Bytes{working_set + 100};
  s.inactive_file = Bytes{100};
  s.oom_kills = oom_kills;
  return s;
}

TEST(SampleStore, NewFileIsStampedWalStoreWithSchemaVersion) {
  testing::TempDir dir;
  std::string path = dir.path() + "/s.db";
  ASSERT_TRUE(SampleStore::open(path));
  RawDb raw(path);
  EXPECT_EQ(raw.text("PRAGMA application_id"), std::to_string(k_store_application_id));
  EXPECT_EQ(raw.text("PRAGMA user_version"), "3");
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.text("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name)"),
            "containers,events,samples,sqlite_sequence");
}

TEST(SampleStore, SampleRoundTripKeepsEveryFieldAndNulls) {
  testing::TempDir dir;
  auto store = SampleStore::open(dir.path() + "/s.db");
  ASSERT_TRUE(store) << store.error().message;
  auto key = store->upsert_container(container("abc", "shop", "redis"), 1000);
  ASSERT_TRUE(key);
  Sample full{2000, Bytes{10}, Bytes{11}, Bytes{12}, Bytes{13}, Bytes{1}, Bytes{99}, 3, 4000, 5, 6000, 1.25, 700};
  Sample bare = sample_at(3000, 20);
  ASSERT_TRUE(store->append_samples({{*key, full}, {*key, bare}}));
  auto series = store->load_series(0, 10'000);
  ASSERT_TRUE(series);
  ASSERT_EQ(series->size(), 1u);
  const auto& got = (*series)[0].samples;
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].working_set, Bytes{10});
  EXPECT_EQ(got[0].usage, Bytes{11});
  EXPECT_EQ(got[0].rss, Bytes{12});
  EXPECT_EQ(got[0].page_cache, Bytes{13});
  EXPECT_EQ(got[0].inactive_file, Bytes{1});
  EXPECT_EQ(got[0].peak, Bytes{99});
  EXPECT_EQ(got[0].oom_kills, 3);
  EXPECT_EQ(got[0].cpu_usage_ns, 4000);
  EXPECT_EQ(got[0].cpu_throttled_periods, 5);
  EXPECT_EQ(got[0].cpu_throttled_ns, 6000);
  EXPECT_EQ(got[0].cpu_periods, 700);
  EXPECT_EQ(got[0].memory_pressure_some_avg10, 1.25);
  EXPECT_FALSE(got[1].peak.has_value());
  EXPECT_FALSE(got[1].memory_pressure_some_avg10.has_value());
}

TEST(SampleStore, UpsertFindsTheSameContainerAndKeepsEarliestFirstSeen) {
  testing::TempDir dir;
  std::string path = dir.path() + "/s.db";
  auto store = SampleStore::open(path);
  ASSERT_TRUE(store);
  ContainerInfo info = container("abc", "shop", "redis");
  info.declared.memory_limit = Bytes{256 * k_mib};
  info.declared.cpu_limit = Millicores{500};
  auto first = store->upsert_container(info, 5000);
  auto other = store->upsert_container(container("def", "shop", "web"), 5000);
  info.declared.memory_limit = Bytes{512 * k_mib};
  auto again = store->upsert_container(info, 9000);
  ASSERT_TRUE(first && other && again);
  EXPECT_EQ(*first, *again);
  EXPECT_NE(*first, *other);
  RawDb raw(path);
  EXPECT_EQ(raw.text("SELECT first_seen_ns || ' ' || mem_limit_bytes || ' ' || cpu_limit_millicores || ' ' || "
                     "ifnull(mem_request_bytes, 'NULL') FROM containers WHERE engine_id = 'abc'"),
            "5000 536870912 500 NULL");
}

TEST(SampleStore, BatchIsAllOrNothing) {
  testing::TempDir dir;
  std::string path = dir.path() + "/s.db";
  auto store = SampleStore::open(path);
  ASSERT_TRUE(store);
  auto key = store->upsert_container(container("abc", "shop", "redis"), 0);
  ASSERT_TRUE(key);
  ASSERT_TRUE(store->append_samples({{*key, sample_at(1, 1)}, {*key, sample_at(2, 2)}}));
  // The third row names a container that does not exist: the whole batch goes.
  auto bad = store->append_samples({{*key, sample_at(3, 3)}, {*key, sample_at(4, 4)}, {*key + 99, sample_at(5, 5)}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::internal);
  EXPECT_EQ(bad.error().message, path + ": cannot write: FOREIGN KEY constraint failed");
  RawDb raw(path);
  EXPECT_EQ(raw.text("SELECT count(*) FROM samples"), "2");
  // The store stays usable after a failed batch.
  ASSERT_TRUE(store->append_samples({{*key, sample_at(3, 3)}}));
  EXPECT_EQ(raw.text("SELECT count(*) FROM samples"), "3");
}

TEST(SampleStore, SameContainerAndTimeReplacesTheRow) {
  testing::TempDir dir;
  auto store = SampleStore::open(dir.path() + "/s.db");
  ASSERT_TRUE(store);
  auto key = store->upsert_container(container("abc", "shop", "redis"), 0);
  ASSERT_TRUE(store->append_samples({{*key, sample_at(7, 1)}}));
  ASSERT_TRUE(store->append_samples({{*key, sample_at(7, 2)}}));
  auto series = store->load_series(0, 100);
  ASSERT_TRUE(series);
  ASSERT_EQ((*series)[0].samples.size(), 1u);
  EXPECT_EQ((*series)[0].samples[0].working_set, Bytes{2});
}

TEST(SampleStore, ReopeningKeepsEverythingWritten) {
  testing::TempDir dir;
  std::string path = dir.path() + "/s.db";
  std::int64_t key = 0;
  {
    auto store = SampleStore::open(path);
    ASSERT_TRUE(store);
    key = *store->upsert_container(container("abc", "shop", "redis"), 0);
    ASSERT_TRUE(store->append_samples({{key, sample_at(1, 10)}, {key, sample_at(2, 20)}}));
    ASSERT_TRUE(store->append_event(key, ContainerEvent{3, "abc", EventKind::oom, std::nullopt}));
  }
  auto store = SampleStore::open(path);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(*store->upsert_container(container("abc", "shop", "redis"), 0), key);
  auto series = store->load_series(0, 100);
  ASSERT_TRUE(series);
  ASSERT_EQ(series->size(), 1u);
  EXPECT_EQ((*series)[0].samples.size(), 2u);
  EXPECT_EQ((*series)[0].oom_kills, 1);
}

TEST(SampleStore, EmptyFileBecomesAStore) {
  testing::TempDir dir;
  std::string path = dir.write("empty.db", "");
  ASSERT_TRUE(SampleStore::open(path));
  EXPECT_EQ(RawDb(path).text("PRAGMA user_version"), "3");
}

TEST(SampleStore, NewStoreAndItsWalAreOwnerOnlyAndAnExistingFileKeepsItsMode) {
  testing::TempDir dir;
  std::string path = dir.path() + "/s.db";
  mode_t old = ::umask(022);
  {
    auto store = SampleStore::open(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->append_event(store->upsert_container(container("a", "p", "web"), 1).value(),
                                    ContainerEvent{2, "a", EventKind::start, std::nullopt}));
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0600u);
    ASSERT_EQ(::stat((path + "-wal").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0600u);
  }
  std::string shared = dir.write("shared.db", "");
  ASSERT_EQ(::chmod(shared.c_str(), 0640), 0);
  ASSERT_TRUE(SampleStore::open(shared));
  ::umask(old);
  struct stat st {};
  ASSERT_EQ(::stat(shared.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
}

TEST(SampleStore, SymlinkIsRefusedAndItsTargetUntouched) {
  testing::TempDir dir;
  std::string link = dir.path() + "/s.db";
  ASSERT_EQ(::symlink((dir.path() + "/elsewhere.db").c_str(), link.c_str()), 0);
  auto r = SampleStore::open(link);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::io);
  EXPECT_EQ(r.error().message, link + ": cannot open: is a symbolic link (name the store's own path)");
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/elsewhere.db"));
}

TEST(SampleStore, DefaultPathFollowsXdgThenHome) {
  EXPECT_EQ(default_store_path("/x/state", "/home/u"), "/x/state/stackfit/stackfit.db");
  EXPECT_EQ(default_store_path("", "/home/u"), "/home/u/.local/state/stackfit/stackfit.db");
  EXPECT_EQ(default_store_path("relative", "/home/u"), "/home/u/.local/state/stackfit/stackfit.db");
  EXPECT_EQ(default_store_path("", ""), "stackfit.db");
}

}  // namespace
}  // namespace stackfit

namespace stackfit {
namespace {

// SQLite's memory in this process after appending 200 containers × 250
// readings (about 3 MiB of rows) through one store, capped or not.
// The recorder's connection skips the check of container_key (its keys come
// from upsert_container); a default connection keeps it, and a prune on the
// recorder's connection does not turn it back on.
TEST(SampleStore, SkipKeyChecksIsPerConnectionAndSurvivesAPrune) {
  testing::TempDir dir;
  std::string path = dir.path() + "/s.db";
  auto recorder = SampleStore::open(path);
  ASSERT_TRUE(recorder);
  auto key = recorder->upsert_container(container("abc", "shop", "redis"), 0);
  ASSERT_TRUE(key);
  ASSERT_TRUE(recorder->skip_key_checks());
  ASSERT_TRUE(recorder->prune_before(0));  // switches the checks off and back to this connection's setting
  EXPECT_EQ(RawDb(path).text("SELECT count(*) FROM containers"), "1");
  EXPECT_TRUE(recorder->append_samples({{*key + 99, sample_at(5, 5)}}));  // not checked
  auto reader = SampleStore::open(path);
  ASSERT_TRUE(reader);
  auto refused = reader->append_samples({{*key + 98, sample_at(6, 6)}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, path + ": cannot write: FOREIGN KEY constraint failed");
}

std::int64_t sqlite_memory_after_appending(std::optional<std::int64_t> cache_kib) {
  testing::TempDir dir;
  auto store = SampleStore::open(dir.path() + "/s.db");
  EXPECT_TRUE(store);
  if (!store) return -1;
  if (cache_kib) {
    EXPECT_TRUE(store->limit_page_cache(*cache_kib));
  }
  std::vector<std::int64_t> keys;
  for (int c = 0; c < 200; ++c) {
    ContainerInfo info;
    info.id = "c" + std::to_string(c);
    info.name = info.id;
    info.service = info.id;
    keys.push_back(store->upsert_container(info, 0).value());
  }
  for (int tick = 0; tick < 250; ++tick) {
    std::vector<SampleRow> batch;
    for (std::int64_t key : keys) batch.push_back(SampleRow{key, sample_at(tick * 1'000'000'000LL, 1 << 20)});
    EXPECT_TRUE(store->append_samples(batch));
  }
  return sqlite3_memory_used();
}

TEST(SampleStore, LimitPageCacheKeepsTheWritersMemoryFlat) {
  std::int64_t capped = sqlite_memory_after_appending(256);
  std::int64_t default_cache = sqlite_memory_after_appending(std::nullopt);
  // The default cache (2 MiB) fills with the appended pages; the capped one
  // stays within its 256 KiB plus SQLite's fixed allocations.
  EXPECT_LT(capped, 768 * 1024) << "capped: " << capped;
  EXPECT_GT(default_cache, 1536 * 1024) << "default: " << default_cache;
}

}  // namespace
}  // namespace stackfit
