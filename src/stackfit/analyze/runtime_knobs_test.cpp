#include "stackfit/analyze/runtime_knobs.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

RuntimeHints kind(RuntimeKind k) {
  RuntimeHints h;
  h.kind = k;
  return h;
}

TEST(RuntimeKnobs, JvmHeapIs75PercentFrom1GiBAnd50PercentBelow) {
  auto big = runtime_knobs(kind(RuntimeKind::jvm), Bytes{2 * k_gib});
  ASSERT_EQ(big.size(), 1u);
  EXPECT_EQ(big[0].knob, RuntimeKnob::jvm_max_heap);
  EXPECT_EQ(big[0].value, Bytes{1536 * k_mib});
  EXPECT_EQ(big[0].reason, "75% of the 2 GiB limit");
  auto small = runtime_knobs(kind(RuntimeKind::jvm), Bytes{512 * k_mib});
  ASSERT_EQ(small.size(), 1u);
  EXPECT_EQ(small[0].value, Bytes{256 * k_mib});
}

TEST(RuntimeKnobs, ElasticsearchHeapHalfAndBelow31GiB) {
  auto four = runtime_knobs(kind(RuntimeKind::elasticsearch), Bytes{4 * k_gib});
  ASSERT_EQ(four.size(), 1u);
  EXPECT_EQ(four[0].knob, RuntimeKnob::elasticsearch_heap);
  EXPECT_EQ(four[0].value, Bytes{2 * k_gib});
  auto huge = runtime_knobs(kind(RuntimeKind::elasticsearch), Bytes{128 * k_gib});
  EXPECT_EQ(huge[0].value, Bytes{31 * k_gib});
}

TEST(RuntimeKnobs, Neo4jHeapAndPageCacheRoundDownToMiB) {
  auto k = runtime_knobs(kind(RuntimeKind::neo4j), Bytes{k_gib});
  ASSERT_EQ(k.size(), 2u);
  EXPECT_EQ(k[0].knob, RuntimeKnob::neo4j_heap);
  EXPECT_EQ(k[0].value, Bytes{409 * k_mib});  // 409.6 MiB down to whole MiB
  EXPECT_EQ(k[1].knob, RuntimeKnob::neo4j_pagecache);
  EXPECT_EQ(k[1].value, Bytes{409 * k_mib});
}

TEST(RuntimeKnobs, PostgresSharedBuffersQuarterEffectiveCacheHalf) {
  auto k = runtime_knobs(kind(RuntimeKind::postgres), Bytes{k_gib});
  ASSERT_EQ(k.size(), 2u);
  EXPECT_EQ(k[0].knob, RuntimeKnob::postgres_shared_buffers);
  EXPECT_EQ(k[0].value, Bytes{256 * k_mib});
  EXPECT_EQ(k[1].knob, RuntimeKnob::postgres_effective_cache_size);
  EXPECT_EQ(k[1].value, Bytes{512 * k_mib});
}

TEST(RuntimeKnobs, RedisWithoutEvidenceKeepsNoevictionAndHalfForTheFork) {
  // Nothing declared: Redis' default save rules fork, and nothing says cache.
  auto k = runtime_knobs(kind(RuntimeKind::redis), Bytes{512 * k_mib});
  ASSERT_EQ(k.size(), 1u);
  EXPECT_EQ(k[0].value, Bytes{256 * k_mib});
  EXPECT_EQ(k[0].policy, "noeviction");
  RuntimeHints h = kind(RuntimeKind::redis);
  h.redis_maxmemory_policy = "volatile-lfu";
  EXPECT_EQ(runtime_knobs(h, Bytes{512 * k_mib})[0].policy, "volatile-lfu");
  RuntimeHints cache = kind(RuntimeKind::redis);
  cache.redis_save = false;
  auto c = runtime_knobs(cache, Bytes{512 * k_mib});
  EXPECT_EQ(c[0].value, Bytes{384 * k_mib});
  EXPECT_EQ(c[0].policy, "allkeys-lru");
}

TEST(RuntimeKnobs, LimitFloorOnlyForARedisThatKeepsData) {
  EXPECT_EQ(runtime_knob_limit_floor(kind(RuntimeKind::redis), Bytes{100 * k_mib}), Bytes{200 * k_mib});
  RuntimeHints cache = kind(RuntimeKind::redis);
  cache.redis_save = false;
  EXPECT_EQ(runtime_knob_limit_floor(cache, Bytes{100 * k_mib}), Bytes{0});
  EXPECT_EQ(runtime_knob_limit_floor(kind(RuntimeKind::jvm), Bytes{100 * k_mib}), Bytes{0});
}

TEST(RuntimeKnobs, NodeOldSpaceAndUnknownRuntime) {
  auto k = runtime_knobs(kind(RuntimeKind::node), Bytes{2 * k_gib});
  ASSERT_EQ(k.size(), 1u);
  EXPECT_EQ(k[0].knob, RuntimeKnob::node_max_old_space);
  EXPECT_EQ(k[0].value, Bytes{1536 * k_mib});
  EXPECT_TRUE(runtime_knobs(kind(RuntimeKind::unknown), Bytes{2 * k_gib}).empty());
  EXPECT_TRUE(runtime_knobs(kind(RuntimeKind::node), Bytes{0}).empty());
}

}  // namespace
}  // namespace stackfit
