// Runtime knob rewriting: existing flags change in place, the rest of the
// command is kept, missing flags go where the runtime reads them.
#include "stackfit/emit/runtime_knob_rewriter.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

using Words = std::vector<std::string>;

RuntimeKnobValue knob(RuntimeKnob k, std::int64_t bytes, std::string policy = "") {
  return RuntimeKnobValue{k, Bytes{bytes}, std::move(policy), ""};
}

TEST(RuntimeKnobRewriter, SizeSpellings) {
  EXPECT_EQ(jvm_size(Bytes{2 * k_gib}), "2g");
  EXPECT_EQ(jvm_size(Bytes{1536 * k_mib}), "1536m");
  EXPECT_EQ(jvm_size(Bytes{1000}), "1k");  // rounded down, at least one unit
  EXPECT_EQ(redis_size(Bytes{384 * k_mib}), "384mb");
  EXPECT_EQ(redis_size(Bytes{1000}), "1000");
  EXPECT_EQ(postgres_size(Bytes{128 * k_mib}), "128MB");
  EXPECT_EQ(postgres_size(Bytes{96 * k_kib}), "96kB");
  EXPECT_EQ(postgres_size(Bytes{100000}), "97kB");
  EXPECT_EQ(node_mib(Bytes{768 * k_mib + 5}), "768");
}

TEST(RuntimeKnobRewriter, RedisReplacesFlagsInPlaceKeepingTheRest) {
  CommandParts parts{{}, {"redis-server", "--appendonly", "yes", "--maxmemory", "1gb", "--maxmemory-policy", "noeviction", "--port", "6380"}};
  KnobEdits e = rewrite_runtime_knobs(parts, {}, "redis:7", {knob(RuntimeKnob::redis_maxmemory, 384 * k_mib, "allkeys-lru")});
  ASSERT_TRUE(e.command);
  EXPECT_EQ(*e.command, (Words{"redis-server", "--appendonly", "yes", "--maxmemory", "384mb", "--maxmemory-policy",
                               "allkeys-lru", "--port", "6380"}));
  EXPECT_FALSE(e.entrypoint);
  EXPECT_TRUE(e.environment.empty());
}

TEST(RuntimeKnobRewriter, RedisWithoutCommandGetsTheProgramAndFlags) {
  KnobEdits e = rewrite_runtime_knobs({}, {}, "redis:7", {knob(RuntimeKnob::redis_maxmemory, 400 * k_mib, "allkeys-lru")});
  ASSERT_TRUE(e.command);
  EXPECT_EQ(*e.command, (Words{"redis-server", "--maxmemory", "400mb", "--maxmemory-policy", "allkeys-lru"}));
}

TEST(RuntimeKnobRewriter, RedisFlagAppendedAfterExistingCommand) {
  CommandParts parts{{}, {"redis-server", "/etc/redis.conf"}};
  KnobEdits e = rewrite_runtime_knobs(parts, {}, "redis", {knob(RuntimeKnob::redis_maxmemory, 64 * k_mib)});
  ASSERT_TRUE(e.command);
  EXPECT_EQ(*e.command, (Words{"redis-server", "/etc/redis.conf", "--maxmemory", "64mb"}));
}

TEST(RuntimeKnobRewriter, RedisInsideShellLine) {
  CommandParts parts{{}, {"sh", "-c", "redis-server --port 6380 && echo done"}};
  KnobEdits e = rewrite_runtime_knobs(parts, {}, "redis", {knob(RuntimeKnob::redis_maxmemory, 64 * k_mib)});
  ASSERT_TRUE(e.command);
  EXPECT_EQ(*e.command, (Words{"sh", "-c", "redis-server --maxmemory 64mb --port 6380 && echo done"}));
  CommandParts conf{{}, {"sh", "-c", "exec /usr/bin/redis-server /etc/redis.conf && echo gone"}};
  e = rewrite_runtime_knobs(conf, {}, "redis", {knob(RuntimeKnob::redis_maxmemory, 64 * k_mib)});
  EXPECT_EQ(*e.command, (Words{"sh", "-c", "exec /usr/bin/redis-server /etc/redis.conf --maxmemory 64mb && echo gone"}));
}

TEST(RuntimeKnobRewriter, RedisInEnvironmentVariable) {
  KnobEdits e = rewrite_runtime_knobs({}, {{"REDIS_ARGS", "--save 60 1 --maxmemory 2gb"}}, "redis/redis-stack",
                                      {knob(RuntimeKnob::redis_maxmemory, k_gib)});
  EXPECT_FALSE(e.command);
  EXPECT_EQ(e.environment, (KeyValues{{"REDIS_ARGS", "--save 60 1 --maxmemory 1gb"}}));
}

TEST(RuntimeKnobRewriter, PostgresAllSpellings) {
  CommandParts parts{{}, {"postgres", "-c", "shared_buffers=1GB", "-ceffective_cache_size=3GB", "-c", "max_connections=200"}};
  KnobEdits e = rewrite_runtime_knobs(parts, {}, "postgres:15",
                                      {knob(RuntimeKnob::postgres_shared_buffers, 128 * k_mib),
                                       knob(RuntimeKnob::postgres_effective_cache_size, 384 * k_mib)});
  ASSERT_TRUE(e.command);
  EXPECT_EQ(*e.command, (Words{"postgres", "-c", "shared_buffers=128MB", "-ceffective_cache_size=384MB", "-c",
                               "max_connections=200"}));
  CommandParts dashed{{}, {"postgres", "--shared_buffers=1GB"}};
  e = rewrite_runtime_knobs(dashed, {}, "postgres", {knob(RuntimeKnob::postgres_shared_buffers, 256 * k_mib)});
  EXPECT_EQ(*e.command, (Words{"postgres", "--shared_buffers=256MB"}));
}

TEST(RuntimeKnobRewriter, PostgresAddedWhenMissingAndEnvWhenBitnami) {
  KnobEdits e = rewrite_runtime_knobs({}, {}, "postgres:15", {knob(RuntimeKnob::postgres_shared_buffers, 128 * k_mib)});
  EXPECT_EQ(*e.command, (Words{"postgres", "-c", "shared_buffers=128MB"}));
  e = rewrite_runtime_knobs({}, {{"POSTGRESQL_SHARED_BUFFERS", "1GB"}}, "bitnami/postgresql",
                            {knob(RuntimeKnob::postgres_shared_buffers, 128 * k_mib)});
  EXPECT_FALSE(e.command);
  EXPECT_EQ(e.environment, (KeyValues{{"POSTGRESQL_SHARED_BUFFERS", "128MB"}}));
}

TEST(RuntimeKnobRewriter, JvmHeapInJavaOptsKeepsOtherOptions) {
  KeyValues env{{"TZ", "UTC"}, {"JAVA_OPTS", "-Xms256m -Xmx2g -XX:+UseG1GC"}};
  KnobEdits e = rewrite_runtime_knobs({}, env, "tomcat", {knob(RuntimeKnob::jvm_max_heap, 768 * k_mib)});
  EXPECT_EQ(e.environment, (KeyValues{{"JAVA_OPTS", "-Xms256m -Xmx768m -XX:+UseG1GC"}}));
}

TEST(RuntimeKnobRewriter, JvmHeapInCommandOrNewToolOptions) {
  CommandParts parts{{"java"}, {"-Xmx4g", "-jar", "app.jar"}};
  KnobEdits e = rewrite_runtime_knobs(parts, {}, "eclipse-temurin", {knob(RuntimeKnob::jvm_max_heap, k_gib)});
  EXPECT_FALSE(e.entrypoint);
  EXPECT_EQ(*e.command, (Words{"-Xmx1g", "-jar", "app.jar"}));
  e = rewrite_runtime_knobs({{"java", "-jar", "app.jar"}, {}}, {}, "temurin", {knob(RuntimeKnob::jvm_max_heap, k_gib)});
  EXPECT_FALSE(e.command);
  EXPECT_EQ(e.environment, (KeyValues{{"JAVA_TOOL_OPTIONS", "-Xmx1g"}}));
  e = rewrite_runtime_knobs({}, {{"JAVA_OPTS", "-Dx=1"}}, "app", {knob(RuntimeKnob::jvm_max_heap, k_gib)});
  EXPECT_EQ(e.environment, (KeyValues{{"JAVA_OPTS", "-Dx=1 -Xmx1g"}}));
}

TEST(RuntimeKnobRewriter, ElasticsearchSetsBothHeapFlags) {
  KnobEdits e = rewrite_runtime_knobs({}, {{"ES_JAVA_OPTS", "-Xms4g -Xmx4g -Dlog4j2.formatMsgNoLookups=true"}},
                                      "elasticsearch:8", {knob(RuntimeKnob::elasticsearch_heap, 2 * k_gib)});
  EXPECT_EQ(e.environment, (KeyValues{{"ES_JAVA_OPTS", "-Xms2g -Xmx2g -Dlog4j2.formatMsgNoLookups=true"}}));
  e = rewrite_runtime_knobs({}, {}, "opensearchproject/opensearch:2", {knob(RuntimeKnob::elasticsearch_heap, k_gib)});
  EXPECT_EQ(e.environment, (KeyValues{{"OPENSEARCH_JAVA_OPTS", "-Xms1g -Xmx1g"}}));
}

TEST(RuntimeKnobRewriter, Neo4jFollowsTheStacksVariableNames) {
  KnobEdits e = rewrite_runtime_knobs({}, {{"NEO4J_dbms_memory_heap_max__size", "4G"}, {"NEO4J_dbms_memory_heap_initial__size", "4G"}},
                                      "neo4j:4.4",
                                      {knob(RuntimeKnob::neo4j_heap, 2 * k_gib), knob(RuntimeKnob::neo4j_pagecache, 512 * k_mib)});
  EXPECT_EQ(e.environment, (KeyValues{{"NEO4J_dbms_memory_heap_max__size", "2g"},
                                      {"NEO4J_dbms_memory_heap_initial__size", "2g"},
                                      {"NEO4J_server_memory_pagecache_size", "512m"}}));
}

TEST(RuntimeKnobRewriter, NodeOptions) {
  KnobEdits e = rewrite_runtime_knobs({}, {{"NODE_OPTIONS", "--enable-source-maps --max-old-space-size=4096"}}, "node:20",
                                      {knob(RuntimeKnob::node_max_old_space, 768 * k_mib)});
  EXPECT_EQ(e.environment, (KeyValues{{"NODE_OPTIONS", "--enable-source-maps --max-old-space-size=768"}}));
  e = rewrite_runtime_knobs({{}, {"node", "--max-old-space-size=4096", "server.js"}}, {}, "node",
                            {knob(RuntimeKnob::node_max_old_space, 512 * k_mib)});
  EXPECT_EQ(*e.command, (Words{"node", "--max-old-space-size=512", "server.js"}));
  e = rewrite_runtime_knobs({{}, {"node", "server.js"}}, {}, "node", {knob(RuntimeKnob::node_max_old_space, 512 * k_mib)});
  EXPECT_FALSE(e.command);
  EXPECT_EQ(e.environment, (KeyValues{{"NODE_OPTIONS", "--max-old-space-size=512"}}));
}

}  // namespace
}  // namespace stackfit
