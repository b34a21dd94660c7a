// load_series and prune_before through a real store file.
#include "stackfit/store/series_loader.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "stackfit/store/sample_store.hpp"
#include "testing/recorded_container.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

ContainerInfo container(const std::string& id, const std::string& project, const std::string& service) {
  return testing::recorded_container(id, project, service);
}

Sample at(std::int64_t time_ns, std::int64_t working_set, std::int64_t oom_kills = 0) {
  Sample s;
  s.time_ns = time_ns;
  s.working_set = Bytes{working_set};
  s.oom_kills = oom_kills;
  return s;
}

ContainerEvent event(std::int64_t time_ns, EventKind kind) { return ContainerEvent{time_ns, "", kind, std::nullopt}; }

std::int64_t count_rows(const std::string& path, const char* table) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  std::string sql = std::string("SELECT count(*) FROM ") + table;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
  std::int64_t n = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return n;
}

class SampleStoreSeries : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SampleStore::open(m_dir.path() + "/s.db");
    ASSERT_TRUE(opened) << opened.error().message;
    m_store.emplace(std::move(*opened));
  }
  std::int64_t add(const std::string& id, const std::string& project, const std::string& service,
                   std::int64_t first_seen_ns = 0) {
    return *m_store->upsert_container(container(id, project, service), first_seen_ns);
  }
  testing::TempDir m_dir;
  std::optional<SampleStore> m_store;
};

TEST_F(SampleStoreSeries, GroupsByProjectAndServiceInTimeOrder) {
  std::int64_t web1 = add("w1", "shop", "web");
  std::int64_t web2 = add("w2", "shop", "web");
  std::int64_t db = add("d1", "shop", "db");
  std::int64_t other = add("o1", "blog", "web");
  ASSERT_TRUE(m_store->append_samples({{web1, at(10, 1)}, {web2, at(15, 2)}, {db, at(10, 5)}, {other, at(12, 7)}}));
  ASSERT_TRUE(m_store->append_samples({{web1, at(20, 3)}, {web2, at(25, 4)}, {db, at(20, 6)}}));
  auto series = m_store->load_series(0, 100);
  ASSERT_TRUE(series);
  ASSERT_EQ(series->size(), 3u);
  EXPECT_EQ((*series)[0].project + "/" + (*series)[0].service, "blog/web");
  EXPECT_EQ((*series)[1].project + "/" + (*series)[1].service, "shop/db");
  EXPECT_EQ((*series)[2].project + "/" + (*series)[2].service, "shop/web");
  std::vector<std::int64_t> times;
  std::vector<std::int64_t> sets;
  for (const Sample& s : (*series)[2].samples) {
    times.push_back(s.time_ns);
    sets.push_back(s.working_set.count);
  }
  EXPECT_EQ(times, (std::vector<std::int64_t>{10, 15, 20, 25}));
  EXPECT_EQ(sets, (std::vector<std::int64_t>{1, 2, 3, 4}));
}

TEST_F(SampleStoreSeries, WindowBoundsAreInclusive) {
  std::int64_t c = add("c", "p", "s");
  ASSERT_TRUE(m_store->append_samples({{c, at(9, 1)}, {c, at(10, 2)}, {c, at(20, 3)}, {c, at(21, 4)}}));
  auto series = m_store->load_series(10, 20);
  ASSERT_TRUE(series);
  ASSERT_EQ(series->size(), 1u);
  ASSERT_EQ((*series)[0].samples.size(), 2u);
  EXPECT_EQ((*series)[0].samples[0].time_ns, 10);
  EXPECT_EQ((*series)[0].samples[1].time_ns, 20);
  auto empty = m_store->load_series(30, 40);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST_F(SampleStoreSeries, OomKillsTakeTheLargerSourcePerContainerAndSumPerService) {
  std::int64_t a = add("a", "p", "worker");
  std::int64_t b = add("b", "p", "worker");
  // a: the counter rises by 2 and one oom event arrived -> 2.
  ASSERT_TRUE(m_store->append_samples({{a, at(10, 1, 0)}, {a, at(20, 1, 1)}, {a, at(30, 1, 2)}}));
  ASSERT_TRUE(m_store->append_event(a, event(19, EventKind::oom)));
  // b: the cgroup was recreated before a reading saw the kill -> 1 from the event.
  ASSERT_TRUE(m_store->append_samples({{b, at(10, 1, 0)}, {b, at(30, 1, 0)}}));
  ASSERT_TRUE(m_store->append_event(b, event(15, EventKind::oom)));
  auto series = m_store->load_series(0, 100);
  ASSERT_TRUE(series);
  ASSERT_EQ(series->size(), 1u);
  EXPECT_EQ((*series)[0].oom_kills, 3);
}

TEST_F(SampleStoreSeries, CounterUsesTheLastReadingBeforeTheWindowAsBaseline) {
  std::int64_t a = add("a", "p", "s");
  ASSERT_TRUE(m_store->append_samples({{a, at(10, 1, 1)}, {a, at(20, 1, 2)}, {a, at(30, 1, 2)}}));
  auto series = m_store->load_series(15, 100);
  ASSERT_TRUE(series);
  EXPECT_EQ((*series)[0].oom_kills, 1);  // 1 -> 2 happened inside the window
}

TEST_F(SampleStoreSeries, RestartsCountDieThenStartAndRestartEventsOnce) {
  std::int64_t a = add("a", "p", "s");
  std::int64_t b = add("b", "p", "s");
  for (auto [t, k] : {std::pair{1, EventKind::start}, {2, EventKind::die}, {3, EventKind::start},
                      {4, EventKind::restart}}) {
    ASSERT_TRUE(m_store->append_event(a, event(t, k)));
  }
  for (auto [t, k] : {std::pair{1, EventKind::die}, {2, EventKind::start}, {3, EventKind::die},
                      {4, EventKind::start}, {5, EventKind::die}}) {
    ASSERT_TRUE(m_store->append_event(b, event(t, k)));
  }
  auto series = m_store->load_series(0, 100);
  ASSERT_TRUE(series);
  ASSERT_EQ(series->size(), 1u);  // events alone make a service appear
  EXPECT_TRUE((*series)[0].samples.empty());
  EXPECT_EQ((*series)[0].restarts, 1 + 2);
}

constexpr std::int64_t k_s = 1'000'000'000;  // one second in ns

TEST_F(SampleStoreSeries, PruneDeletesOldRowsAndContainersLeftEmpty) {
  std::int64_t old_c = add("old", "p", "gone", 5 * k_s);
  std::int64_t live = add("live", "p", "kept", 5 * k_s);
  ASSERT_TRUE(m_store->append_samples(
      {{old_c, at(10 * k_s, 1)}, {old_c, at(20 * k_s, 1)}, {live, at(20 * k_s, 1)}, {live, at(2000 * k_s, 1)}}));
  ASSERT_TRUE(m_store->append_event(old_c, event(30 * k_s, EventKind::die)));
  ASSERT_TRUE(m_store->append_event(live, event(1500 * k_s, EventKind::start)));
  auto deleted = m_store->prune_before(1000 * k_s);
  ASSERT_TRUE(deleted) << deleted.error().message;
  EXPECT_EQ(*deleted, 4);  // three samples and one event
  std::string path = m_store->path();
  EXPECT_EQ(count_rows(path, "samples"), 1);
  EXPECT_EQ(count_rows(path, "events"), 1);
  EXPECT_EQ(count_rows(path, "containers"), 1);
  auto series = m_store->load_series(0, 10'000 * k_s);
  ASSERT_TRUE(series);
  ASSERT_EQ(series->size(), 1u);
  EXPECT_EQ((*series)[0].service, "kept");
  EXPECT_EQ(*m_store->prune_before(1000 * k_s), 0);  // idempotent
}

TEST_F(SampleStoreSeries, LastSeenIsRewrittenInStepsAndPruneKeepsContainersWithSamples) {
  std::int64_t c = add("c", "p", "s", 100 * k_s);
  for (std::int64_t t : {100, 130, 150, 170}) ASSERT_TRUE(m_store->append_samples({{c, at(t * k_s, 1)}}));
  // 130 and 150 are within k_last_seen_step_ns of 100: not written; 170 is.
  sqlite3* db = nullptr;
  sqlite3_open(m_store->path().c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT last_seen_ns FROM containers", -1, &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(stmt, 0), 170 * k_s);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  // A cutoff between samples keeps the container, whose samples remain.
  auto deleted = m_store->prune_before(160 * k_s);
  ASSERT_TRUE(deleted);
  EXPECT_EQ(*deleted, 3);
  EXPECT_EQ(count_rows(m_store->path(), "containers"), 1);
  ASSERT_TRUE(m_store->append_samples({{c, at(180 * k_s, 1)}}));  // its key still works
  EXPECT_EQ(count_rows(m_store->path(), "samples"), 2);
}

TEST_F(SampleStoreSeries, PruneKeepsAContainerFirstSeenAfterTheCutoff) {
  add("fresh", "p", "s", 500 * k_s);  // upserted, no sample written yet
  ASSERT_TRUE(m_store->prune_before(100 * k_s));
  EXPECT_EQ(count_rows(m_store->path(), "containers"), 1);
}

}  // namespace
}  // namespace stackfit
