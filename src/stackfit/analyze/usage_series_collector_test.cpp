#include "stackfit/analyze/usage_series_collector.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

const WorkloadKey k_web{"", "service", "web", ""};
const WorkloadKey k_api{"shop", "Deployment", "api", "app"};

std::vector<UsagePoint> points(const UsageSeriesSet& set, std::size_t i) {
  std::vector<UsagePoint> out;
  set.copy_points(i, out);
  return out;
}

TEST(UsageSeriesCollector, ReadingsCarryTheirInstanceLimitAndKills) {
  UsageSeriesCollector c;
  c.memory_limit(k_web, "c1", 0, Bytes{100});
  c.memory(k_web, "c1", 10, Bytes{50});
  c.memory(k_web, "c1", 20, Bytes{99});
  c.oom_kill(k_web, "c1", 25);   // marks the reading at 20
  c.oom_kill(k_web, "c2", 30);   // c2 has no reading yet: marks its next one
  c.memory(k_web, "c2", 40, Bytes{7});
  c.memory(k_web, "c1", 50, Bytes{60});
  c.memory_limit(k_api, "p1/app", 0, Bytes{0});  // 0: no limit
  c.memory(k_api, "p1/app", 5, Bytes{1});
  UsageSeriesSet set = c.finish();
  ASSERT_EQ(set.size(), 2u);
  // Workloads in key order: the Compose service ("" namespace) first.
  EXPECT_EQ(set.id(0), "web");
  EXPECT_EQ(set.id(1), "shop/Deployment/api/app");
  auto web = points(set, 0);
  ASSERT_EQ(web.size(), 4u);
  EXPECT_EQ(web[0].limit_bytes, 100);
  EXPECT_FALSE(web[0].killed);
  EXPECT_TRUE(web[1].killed);
  EXPECT_EQ(web[2].t_ns, 40);  // replicas merged by time
  EXPECT_TRUE(web[2].killed);
  EXPECT_EQ(web[2].limit_bytes, -1);  // c2's limit was never reported
  EXPECT_FALSE(web[3].killed);
  EXPECT_EQ(points(set, 1)[0].limit_bytes, -1);
  EXPECT_EQ(c.finish().size(), 0u);  // emptied
}

}  // namespace
}  // namespace stackfit
