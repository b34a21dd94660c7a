// cleanup's choice: exactly the stopped containers, dangling unused images,
// unused anonymous volumes and idle build cache; never what is in use.
#include "stackfit/analyze/cleanup_plan.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

EngineContainer container(std::string id, std::string state, std::string image, std::vector<std::string> volumes = {},
                          std::string project = "") {
  EngineContainer c;
  c.id = id;
  c.name = id + "_name";
  c.state = std::move(state);
  c.image_id = std::move(image);
  c.volumes = std::move(volumes);
  c.project = std::move(project);
  c.size_rw = Bytes{10};
  return c;
}

EngineImage image(std::string id, std::vector<std::string> tags, std::int64_t containers, std::int64_t size,
                  std::int64_t shared = 0) {
  return EngineImage{std::move(id), std::move(tags), Bytes{size}, Bytes{shared}, containers};
}

EngineVolume volume(std::string name, bool anonymous, std::int64_t refs, std::string project = "") {
  return EngineVolume{std::move(name), std::move(project), anonymous, Bytes{100}, refs};
}

EngineDiskUsage engine() {
  EngineDiskUsage u;
  u.containers = {container("run", "running", "sha256:base", {"data"}), container("old", "exited", "sha256:base"),
                  container("made", "created", "sha256:dangling-used"), container("paused", "paused", "sha256:base"),
                  container("again", "restarting", "sha256:base", {}, "shop"),
                  container("shopold", "exited", "sha256:base", {"shop_db"}, "shop")};
  u.images = {image("sha256:base", {"stackfit-base:latest"}, 5, 1000), image("sha256:dangling", {}, 0, 700, 200),
              image("sha256:dangling-used", {}, 0, 300), image("sha256:unknown-count", {}, -1, 50)};
  u.volumes = {volume("data", false, 1), volume(std::string(64, 'a'), true, 0), volume(std::string(64, 'b'), true, 1),
               volume(std::string(64, 'c'), true, -1), volume("shop_db", false, 0, "shop"),
               volume("orphan", false, 0, "shop"), volume("declared", false, 0), volume("other", false, 0, "blog")};
  u.build_cache = {{"b1", "regular", Bytes{40}, false, false}, {"b2", "regular", Bytes{60}, true, false},
                   {"b3", "source.local", Bytes{5}, false, true}};
  return u;
}

std::vector<std::string> ids(const CleanupPlan& plan) {
  std::vector<std::string> out;
  for (const CleanupItem& i : plan.items) out.push_back(std::string(to_string(i.kind)) + ":" + i.id.substr(0, 13));
  return out;
}

TEST(CleanupPlan, DefaultPicksOnlyWhatNothingUses) {
  CleanupPlan plan = plan_cleanup(engine(), {});
  std::vector<std::string> want = {"container:old", "container:made", "container:shopold", "image:sha256:dangli",
                                   "image:sha256:unknow", "volume:aaaaaaaaaaaaa", "build-cache:b1", "build-cache:b3"};
  EXPECT_EQ(ids(plan), want);
  // 3 containers x 10, image 700-200 and 50, volume 100, cache 40 and a shared 0.
  EXPECT_EQ(plan.total.count, 30 + 500 + 50 + 100 + 40);
}

TEST(CleanupPlan, NeverRunningPausedRestartingNorUsedImagesNorMountedVolumes) {
  for (const CleanupItem& i : plan_cleanup(engine(), {"", NamedVolumes::include_unused, {}}).items) {
    EXPECT_NE(i.id, "run");
    EXPECT_NE(i.id, "paused");
    EXPECT_NE(i.id, "again");
    EXPECT_NE(i.id, "sha256:base");
    EXPECT_NE(i.id, "sha256:dangling-used");  // a created container uses it
    EXPECT_NE(i.id, "data");
    EXPECT_NE(i.id, "shop_db");  // a stopped container mounts it
    EXPECT_NE(i.id, std::string(64, 'b'));
    EXPECT_NE(i.id, std::string(64, 'c'));  // RefCount unknown
  }
}

TEST(CleanupPlan, NamedVolumesSpareTheStacksOwn) {
  CleanupOptions options{"", NamedVolumes::include_unused, {"declared"}};
  std::vector<std::string> volumes;
  for (const CleanupItem& i : plan_cleanup(engine(), options).items) {
    if (i.kind == CleanupKind::volume) volumes.push_back(i.id.substr(0, 6));
  }
  EXPECT_EQ(volumes, (std::vector<std::string>{"aaaaaa", "orphan", "other"}));
}

TEST(CleanupPlan, ProjectLimitsToItsContainersAndVolumes) {
  CleanupPlan plan = plan_cleanup(engine(), {"shop", NamedVolumes::include_unused, {}});
  EXPECT_EQ(ids(plan), (std::vector<std::string>{"container:shopold", "volume:orphan"}));
  EXPECT_EQ(plan_cleanup(engine(), {"shop", NamedVolumes::keep, {}}).items.size(), 1u);
}

TEST(CleanupPlan, EmptyEngine) {
  CleanupPlan plan = plan_cleanup({}, {});
  EXPECT_TRUE(plan.items.empty());
  EXPECT_EQ(plan.total.count, 0);
}

}  // namespace
}  // namespace stackfit
