#include "stackfit/observe/engine_facts_json.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

TEST(EngineFactsJson, InfoOfDockerDesktop) {
  auto facts = parse_info_answer(R"({"Name":"docker-desktop","ServerVersion":"24.0.6","OperatingSystem":"Docker Desktop",
    "KernelVersion":"5.15.133.1-microsoft-standard-WSL2","MemTotal":4109156352,"NCPU":4,"CgroupVersion":"2",
    "CgroupDriver":"cgroupfs","MemoryLimit":true,"SwapLimit":true,"DockerRootDir":"/var/lib/docker",
    "Warnings":["WARNING: No blkio throttle.read_bps_device support"]})");
  ASSERT_TRUE(facts) << facts.error().message;
  EXPECT_EQ(facts->mem_total.count, 4109156352);
  EXPECT_EQ(facts->cpus, 4);
  EXPECT_EQ(facts->cgroup_version, "2");
  EXPECT_EQ(facts->operating_system, "Docker Desktop");
  EXPECT_EQ(facts->data_root, "/var/lib/docker");
  EXPECT_EQ(facts->warnings.size(), 1u);
}

TEST(EngineFactsJson, InfoWithoutLimitsSupport) {
  auto facts = parse_info_answer(R"({"MemTotal":1000,"MemoryLimit":false,"SwapLimit":false})");
  ASSERT_TRUE(facts);
  EXPECT_FALSE(facts->memory_limit);
  EXPECT_FALSE(facts->swap_limit);
}

TEST(EngineFactsJson, BrokenInfo) {
  EXPECT_EQ(parse_info_answer("[]").error().message, "the answer to GET /info is not a JSON object");
  EXPECT_EQ(parse_info_answer("{\"MemTotal\":\"4G\"}").error().message, "the answer to GET /info has no MemTotal");
  EXPECT_EQ(parse_info_answer("{\"MemTotal\":-1}").error().message, "the answer to GET /info has no MemTotal");
  EXPECT_FALSE(parse_info_answer("{").has_value());
}

TEST(EngineFactsJson, SystemDf) {
  std::string anon(64, 'c');
  auto df = parse_system_df(R"({"LayersSize":1,
    "Images":[{"Id":"sha256:aa","RepoTags":["<none>:<none>"],"Size":1000,"SharedSize":-1,"Containers":0},
              {"Id":"sha256:bb","RepoTags":["app:1"],"Size":2000,"SharedSize":500,"Containers":2},
              {"RepoTags":["no-id:1"]},
              {"Id":"cc","RepoTags":["<none>"],"Size":5,"SharedSize":5,"Containers":0}],
    "Containers":[{"Id":"c1","Names":["/web_1"],"ImageID":"sha256:bb","State":"exited","SizeRw":42,
                   "Labels":{"com.docker.compose.project":"shop","com.docker.compose.service":"web"},
                   "Mounts":[{"Type":"volume","Name":"data"},{"Type":"bind","Source":"/x"}]}],
    "Volumes":[{"Name":")" + anon + R"(","Labels":null,"UsageData":{"Size":4096,"RefCount":0}},
               {"Name":"data","Labels":{"com.docker.compose.project":"shop"},"UsageData":{"Size":-1,"RefCount":1}}],
    "BuildCache":[{"ID":"b1","Type":"regular","Size":300,"InUse":false,"Shared":false},{"ID":"b2","Size":5}]})");
  ASSERT_TRUE(df) << df.error().message;
  ASSERT_EQ(df->images.size(), 3u);
  EXPECT_TRUE(df->images[0].tags.empty());
  EXPECT_TRUE(df->images[2].tags.empty());  // Podman 4.3's dangling image
  EXPECT_EQ(df->images[0].shared_size.count, 0);
  EXPECT_EQ(df->images[1].containers, 2);
  ASSERT_EQ(df->containers.size(), 1u);
  EXPECT_EQ(df->containers[0].name, "web_1");
  EXPECT_EQ(df->containers[0].project, "shop");
  EXPECT_EQ(df->containers[0].volumes, std::vector<std::string>{"data"});
  EXPECT_EQ(df->containers[0].size_rw.count, 42);
  ASSERT_EQ(df->volumes.size(), 2u);
  EXPECT_TRUE(df->volumes[0].anonymous);
  EXPECT_EQ(df->volumes[0].ref_count, 0);
  EXPECT_FALSE(df->volumes[1].anonymous);
  EXPECT_EQ(df->volumes[1].size.count, 0);
  ASSERT_EQ(df->build_cache.size(), 2u);
  EXPECT_FALSE(df->build_cache[0].in_use);
  EXPECT_TRUE(df->build_cache[1].in_use);  // unknown: in use, never removed
}

TEST(EngineFactsJson, PodmanDfWithoutBuildCache) {
  auto df = parse_system_df(R"({"Images":[],"Containers":[],"Volumes":[],"BuildCache":null})");
  ASSERT_TRUE(df);
  EXPECT_TRUE(df->build_cache.empty());
  EXPECT_EQ(parse_system_df("null").error().message, "the answer to GET /system/df is not a JSON object");
}

TEST(EngineFactsJson, AnonymousVolumeNames) {
  EXPECT_TRUE(is_anonymous_volume_name(std::string(64, 'a')));
  EXPECT_FALSE(is_anonymous_volume_name(std::string(63, 'a')));
  EXPECT_FALSE(is_anonymous_volume_name(std::string(64, 'A')));
  EXPECT_FALSE(is_anonymous_volume_name("shop_data"));
}

TEST(EngineFactsJson, BuildPruneAnswer) {
  EXPECT_EQ(parse_build_prune_answer(R"({"CachesDeleted":["x"],"SpaceReclaimed":1234})")->count, 1234);
  EXPECT_EQ(parse_build_prune_answer(R"({"CachesDeleted":null})")->count, 0);
  EXPECT_FALSE(parse_build_prune_answer("x").has_value());
}

}  // namespace
}  // namespace stackfit
