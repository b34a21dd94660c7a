#include "stackfit/observe/fleet_series.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

PromSeries series(std::vector<std::pair<std::string, std::string>> labels) { return PromSeries{std::move(labels), {}}; }

TEST(FleetGrouping, ServiceAcrossHostsWithProjectAsNamespace) {
  FleetGrouping g;
  auto a = g.identify(series({{"host", "h1"}, {"id", "abc"}, {"instance", "10.0.0.1:9101"}, {"name", "shop-web-1"},
                              {"project", "shop"}, {"service", "web"}}));
  auto b = g.identify(series({{"id", "abc"}, {"instance", "10.0.0.2:9101"}, {"name", "shop-web-1"},
                              {"project", "shop"}, {"service", "web"}}));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->key, (WorkloadKey{"shop", "service", "web", ""}));
  EXPECT_EQ(b->key, a->key);
  EXPECT_EQ(a->instance, "10.0.0.1:9101/abc");
  EXPECT_NE(a->id, b->id);  // the same container id on two hosts: two instances
  EXPECT_EQ(g.containers(), 2);
}

TEST(FleetGrouping, ByHostNamesServiceAtHost) {
  FleetGrouping g("instance");
  auto a = g.identify(series({{"id", "/fleet/db"}, {"instance", "127.0.0.1:9101"}, {"name", "db"}, {"service", "db"}}));
  ASSERT_TRUE(a);
  EXPECT_EQ(a->key, (WorkloadKey{"", "service", "db@127.0.0.1:9101", ""}));
  EXPECT_EQ(g.host_label(), "instance");
}

TEST(FleetGrouping, SeriesWithoutServiceOrHostAreCountedOncePerLabelSet) {
  FleetGrouping g("host");
  PromSeries no_service = series({{"host", "h1"}, {"id", "/x"}, {"name", "x"}});
  PromSeries no_host = series({{"id", "/y"}, {"name", "y"}, {"service", "y"}});
  EXPECT_FALSE(g.identify(no_service));
  EXPECT_FALSE(g.identify(no_service));
  EXPECT_FALSE(g.identify(no_host));
  EXPECT_EQ(g.without_service(), 1);
  EXPECT_EQ(g.without_host(), 1);
  EXPECT_EQ(g.containers(), 0);
}

TEST(FleetGrouping, KubernetesSeriesHaveAContainerLabel) {
  EXPECT_TRUE(is_kubernetes_series(series({{"container", "app"}, {"namespace", "shop"}, {"pod", "web-1"}})));
  EXPECT_FALSE(is_kubernetes_series(series({{"name", "web"}, {"service", "web"}})));
}

}  // namespace
}  // namespace stackfit
