#include <gtest/gtest.h>

#include "stackfit/store/sample_store.hpp"
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
  EXPECT_EQ((*starts)[0].container_key, *b);
  EXPECT_EQ((*starts)[0].time_ns, 100);
  EXPECT_EQ((*starts)[1].container_key, *a);
  EXPECT_EQ((*starts)[1].time_ns, 300);
  auto none = store->load_starts(1000, 2000);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace stackfit
