#include "stackfit/analyze/runtime_hint_detector.hpp"

#include <gtest/gtest.h>

#include "stackfit/analyze/runtime_kind.hpp"
#include "stackfit/util/file_io.hpp"
#include "testing/corpus.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

using Words = std::vector<std::string>;

Container make(std::string image, Words command = {}, KeyValues env = {}) {
  Container c;
  c.name = "app";
  c.image = std::move(image);
  c.command = std::move(command);
  c.environment = std::move(env);
  return c;
}

TEST(RuntimeKind, ImageBaseName) {
  EXPECT_EQ(image_base_name("docker.elastic.co/elasticsearch/elasticsearch:8.11.1"), "elasticsearch");
  EXPECT_EQ(image_base_name("localhost:5000/team/Redis:7"), "redis");
  EXPECT_EQ(image_base_name("postgres@sha256:abcd"), "postgres");
  EXPECT_EQ(image_base_name("node"), "node");
}

TEST(RuntimeKind, FromImage) {
  EXPECT_EQ(kind_from_image("postgres:16"), RuntimeKind::postgres);
  EXPECT_EQ(kind_from_image("bitnami/postgresql:15"), RuntimeKind::postgres);
  EXPECT_EQ(kind_from_image("bitnami/redis"), RuntimeKind::redis);
  EXPECT_EQ(kind_from_image("valkey/valkey:8.1.9-alpine"), RuntimeKind::redis);
  EXPECT_EQ(kind_from_image("docker.elastic.co/elasticsearch/elasticsearch:8.x"), RuntimeKind::elasticsearch);
  EXPECT_EQ(kind_from_image("neo4j:5"), RuntimeKind::neo4j);
  EXPECT_EQ(kind_from_image("node:20"), RuntimeKind::node);
  EXPECT_EQ(kind_from_image("eclipse-temurin:21-jre"), RuntimeKind::jvm);
  EXPECT_EQ(kind_from_image("openjdk:17"), RuntimeKind::jvm);
  EXPECT_EQ(kind_from_image("docker.elastic.co/logstash/logstash:8.12.0"), RuntimeKind::jvm);
  EXPECT_EQ(kind_from_image("confluentinc/cp-kafka:7.6.0"), RuntimeKind::jvm);
  EXPECT_EQ(kind_from_image("bitnami/kafka"), RuntimeKind::jvm);
  // Exporters and look-alikes are not the runtime.
  EXPECT_EQ(kind_from_image("prom/node-exporter"), RuntimeKind::unknown);
  EXPECT_EQ(kind_from_image("oliver006/redis_exporter"), RuntimeKind::unknown);
  EXPECT_EQ(kind_from_image("python:3.12-slim"), RuntimeKind::unknown);
}

TEST(RuntimeKind, FromCommandProgram) {
  EXPECT_EQ(kind_from_command({"java", "-jar", "app.jar"}), RuntimeKind::jvm);
  EXPECT_EQ(kind_from_command({"/usr/bin/java", "-jar", "app.jar"}), RuntimeKind::jvm);
  EXPECT_EQ(kind_from_command({"sh", "-c", "valkey-server", "--appendonly", "yes"}), RuntimeKind::redis);
  EXPECT_EQ(kind_from_command({"node", "server.js"}), RuntimeKind::node);
  EXPECT_EQ(kind_from_command({"celery", "--role", "node"}), RuntimeKind::unknown);
}

TEST(RuntimeKind, FromEnvironmentNames) {
  EXPECT_EQ(kind_from_environment({{"ES_JAVA_OPTS", "-Xmx1g"}, {"JAVA_OPTS", "x"}}), RuntimeKind::elasticsearch);
  EXPECT_EQ(kind_from_environment({{"LS_JAVA_OPTS", "-Xmx1g"}}), RuntimeKind::jvm);
  EXPECT_EQ(kind_from_environment({{"POSTGRES_PASSWORD", "x"}}), RuntimeKind::unknown);
}

TEST(RuntimeHintDetector, DockerElkElasticsearchHasNoImageButEsJavaOpts) {
  // deviantony/docker-elk docker-compose.yml: built image, heap in ES_JAVA_OPTS.
  auto h = detect_runtime_hints(make("", {}, {{"node.name", "elasticsearch"},
                                              {"ES_JAVA_OPTS", "-Xms512m -Xmx512m"},
                                              {"discovery.type", "single-node"}}));
  EXPECT_EQ(h.kind, RuntimeKind::elasticsearch);
  EXPECT_EQ(h.jvm_max_heap, Bytes{512 * k_mib});
  EXPECT_EQ(h.jvm_initial_heap, Bytes{512 * k_mib});
  EXPECT_EQ(h.evidence, (Words{"ES_JAVA_OPTS: -Xms512m", "ES_JAVA_OPTS: -Xmx512m"}));
}

TEST(RuntimeHintDetector, DockerElkLogstash) {
  auto h = detect_runtime_hints(make("", {}, {{"LS_JAVA_OPTS", "-Xms256m -Xmx256m"},
                                              {"LOGSTASH_INTERNAL_PASSWORD", ""}}));
  EXPECT_EQ(h.kind, RuntimeKind::jvm);
  EXPECT_EQ(h.jvm_max_heap, Bytes{256 * k_mib});
}

TEST(RuntimeHintDetector, OtelDemoKafkaAndOpensearch) {
  // open-telemetry/opentelemetry-demo compose.full.yaml and compose.observability.yaml.
  auto kafka = detect_runtime_hints(make("ghcr.io/open-telemetry/demo:2.1.3-kafka", {},
                                         {{"KAFKA_HEAP_OPTS", "-Xmx400m -Xms400m"}}));
  EXPECT_EQ(kafka.kind, RuntimeKind::jvm);
  EXPECT_EQ(kafka.jvm_max_heap, Bytes{400 * k_mib});
  auto search = detect_runtime_hints(make("opensearchproject/opensearch:3.2.0", {},
                                          {{"OPENSEARCH_JAVA_OPTS", "-Xms400m -Xmx400m"}}));
  EXPECT_EQ(search.kind, RuntimeKind::elasticsearch);
  EXPECT_EQ(search.jvm_max_heap, Bytes{400 * k_mib});
}

TEST(RuntimeHintDetector, JvmLastValueWinsAndOptionsOverrideCommand) {
  auto h = detect_runtime_hints(make("eclipse-temurin:21", {"java", "-Xmx1g", "-jar", "app.jar"},
                                     {{"JAVA_TOOL_OPTIONS", "-Xmx256m"}, {"_JAVA_OPTIONS", "-Xmx2G"}}));
  EXPECT_EQ(h.jvm_max_heap, Bytes{2 * k_gib});
  EXPECT_EQ(h.evidence, (Words{"JAVA_TOOL_OPTIONS: -Xmx256m", "command: -Xmx1g", "_JAVA_OPTIONS: -Xmx2G"}));
}

TEST(RuntimeHintDetector, JvmMaxRamPercentageAndMaxHeapSize) {
  auto h = detect_runtime_hints(make("openjdk:17", {},
                                     {{"JAVA_OPTS", "-XX:MaxRAMPercentage=75.0 -XX:MaxHeapSize=1024k"},
                                      {"CATALINA_OPTS", "-Dfoo=bar"}}));
  ASSERT_TRUE(h.jvm_max_ram_percentage);
  EXPECT_DOUBLE_EQ(*h.jvm_max_ram_percentage, 75.0);
  EXPECT_EQ(h.jvm_max_heap, Bytes{k_mib});
}

TEST(RuntimeHintDetector, UnparseableValuesAreNotedNeverGuessed) {
  auto h = detect_runtime_hints(make("openjdk:17", {}, {{"JAVA_OPTS", "-Xmx12q -XX:MaxRAMPercentage=150"}}));
  EXPECT_FALSE(h.jvm_max_heap);
  EXPECT_FALSE(h.jvm_max_ram_percentage);
  EXPECT_EQ(h.evidence, (Words{"JAVA_OPTS: -Xmx12q not understood",
                               "JAVA_OPTS: -XX:MaxRAMPercentage=150 not understood"}));
}

TEST(RuntimeHintDetector, JvmFlagsInCommandMakeAnUnknownImageAJvm) {
  auto h = detect_runtime_hints(make("registry.example.com/team/orders:3", {"/app/run", "-Xmx768m"}));
  EXPECT_EQ(h.kind, RuntimeKind::jvm);
  EXPECT_EQ(h.jvm_max_heap, Bytes{768 * k_mib});
}

TEST(RuntimeHintDetector, Neo4jFiveAndFourVariableNames) {
  auto five = detect_runtime_hints(make("neo4j:5", {}, {{"NEO4J_server_memory_heap_max__size", "1G"},
                                                       {"NEO4J_server_memory_pagecache_size", "512m"}}));
  EXPECT_EQ(five.kind, RuntimeKind::neo4j);
  EXPECT_EQ(five.neo4j_heap_max, Bytes{k_gib});
  EXPECT_EQ(five.neo4j_pagecache, Bytes{512 * k_mib});
  EXPECT_EQ(five.evidence, (Words{"NEO4J_server_memory_heap_max__size: 1G",
                                  "NEO4J_server_memory_pagecache_size: 512m"}));
  auto four = detect_runtime_hints(make("", {}, {{"NEO4J_dbms_memory_heap_max__size", "2g"},
                                                 {"NEO4J_dbms_memory_pagecache_size", "lots"}}));
  EXPECT_EQ(four.kind, RuntimeKind::neo4j);
  EXPECT_EQ(four.neo4j_heap_max, Bytes{2 * k_gib});
  EXPECT_FALSE(four.neo4j_pagecache);
  EXPECT_EQ(four.evidence.back(), "NEO4J_dbms_memory_pagecache_size: lots not understood");
}

TEST(RuntimeHintDetector, PostgresCommandForms) {
  auto a = detect_runtime_hints(make("postgres:16", {"postgres", "-c", "shared_buffers=256MB",
                                                     "-c", "effective_cache_size=1GB"}));
  EXPECT_EQ(a.kind, RuntimeKind::postgres);
  EXPECT_EQ(a.postgres_shared_buffers, Bytes{256 * k_mib});
  EXPECT_EQ(a.postgres_effective_cache_size, Bytes{k_gib});
  EXPECT_EQ(a.evidence, (Words{"command: -c shared_buffers=256MB", "command: -c effective_cache_size=1GB"}));
  auto b = detect_runtime_hints(make("postgres:16", {"postgres --shared-buffers=128MB -cmax_connections=50"}));
  EXPECT_EQ(b.postgres_shared_buffers, Bytes{128 * k_mib});
  auto c = detect_runtime_hints(make("postgres:16", {"postgres", "--shared_buffers=16384"}));
  EXPECT_EQ(c.postgres_shared_buffers, Bytes{128 * k_mib});
  auto d = detect_runtime_hints(make("postgres:16", {"sh", "-c", "exec postgres -c shared_buffers=64MB"}));
  EXPECT_EQ(d.postgres_shared_buffers, Bytes{64 * k_mib});
}

TEST(RuntimeHintDetector, PostgresWrongCaseUnitIsNotUnderstood) {
  auto h = detect_runtime_hints(make("postgres:16", {"postgres", "-c", "shared_buffers=256mb"}));
  EXPECT_FALSE(h.postgres_shared_buffers);
  EXPECT_EQ(h.evidence, Words{"command: -c shared_buffers=256mb not understood"});
}

TEST(RuntimeHintDetector, PostgresEnvironmentAndCommandOverride) {
  auto h = detect_runtime_hints(make("bitnami/postgresql:16", {"postgres", "-c", "shared_buffers=512MB"},
                                     {{"POSTGRESQL_SHARED_BUFFERS", "128MB"},
                                      {"POSTGRES_EFFECTIVE_CACHE_SIZE", "2GB"}}));
  EXPECT_EQ(h.postgres_shared_buffers, Bytes{512 * k_mib});
  EXPECT_EQ(h.postgres_effective_cache_size, Bytes{2 * k_gib});
  EXPECT_EQ(h.evidence, (Words{"POSTGRESQL_SHARED_BUFFERS: 128MB", "POSTGRES_EFFECTIVE_CACHE_SIZE: 2GB",
                               "command: -c shared_buffers=512MB"}));
}

TEST(RuntimeHintDetector, SentryPostgresWithoutSettingsHasKindOnly) {
  // getsentry/self-hosted: image "postgres:14.24-bookworm", command ["postgres"].
  auto h = detect_runtime_hints(make("postgres:14.24-bookworm", {"postgres"},
                                     {{"POSTGRES_HOST_AUTH_METHOD", "trust"}}));
  EXPECT_EQ(h.kind, RuntimeKind::postgres);
  EXPECT_FALSE(h.postgres_shared_buffers);
  EXPECT_TRUE(h.evidence.empty());
}

TEST(RuntimeHintDetector, RedisArrayAndStringCommands) {
  auto a = detect_runtime_hints(make("redis:7", {"redis-server", "--maxmemory", "256mb",
                                                 "--maxmemory-policy", "allkeys-lru"}));
  EXPECT_EQ(a.kind, RuntimeKind::redis);
  EXPECT_EQ(a.redis_maxmemory, Bytes{256 * k_mib});
  EXPECT_EQ(a.redis_maxmemory_policy, "allkeys-lru");
  EXPECT_EQ(a.evidence, (Words{"command: --maxmemory 256mb", "command: --maxmemory-policy allkeys-lru"}));
  auto b = detect_runtime_hints(make("redis:7", {"redis-server --save 60 1 --loglevel warning --maxmemory 1g"}));
  EXPECT_EQ(b.redis_maxmemory, Bytes{1'000'000'000});
  EXPECT_EQ(b.redis_save, true);
  EXPECT_FALSE(b.redis_appendonly);
  EXPECT_EQ(b.evidence, (Words{"command: --save \"60 1\"", "command: --maxmemory 1g"}));
}

TEST(RuntimeHintDetector, RedisPersistenceFlagsConfigFileAndDataVolume) {
  // `--save ""` arrives as an empty list element or as "" inside a string.
  auto a = detect_runtime_hints(make("redis:7", {"redis-server", "--save", "", "--appendonly", "no"}));
  EXPECT_EQ(a.redis_save, false);
  EXPECT_EQ(a.redis_appendonly, false);
  EXPECT_EQ(a.evidence, (Words{"command: --save \"\"", "command: --appendonly no"}));
  auto b = detect_runtime_hints(make("redis:7", {"sh", "-c", "redis-server --save \"\" --appendonly maybe"}));
  EXPECT_EQ(b.redis_save, false);
  EXPECT_FALSE(b.redis_appendonly);
  EXPECT_EQ(b.evidence, (Words{"command: --save \"\"", "command: --appendonly maybe not understood"}));
  Container c = make("redis:7", {"redis-server", "/usr/local/etc/redis/redis.conf"});
  c.mount_paths = {"/usr/local/etc/redis/redis.conf", "/data/"};
  auto h = detect_runtime_hints(c);
  EXPECT_TRUE(h.redis_config_file);
  EXPECT_TRUE(h.redis_data_volume);
  EXPECT_FALSE(h.redis_save);
  EXPECT_EQ(h.evidence, (Words{"command: config file /usr/local/etc/redis/redis.conf (its settings are not read)",
                               "volumes: /data/ (the data directory)"}));
}

TEST(RuntimeHintDetector, NetboxValkeyShellCommandHasNoMaxmemory) {
  // netbox-community/netbox-docker: valkey-server started through sh -c.
  auto h = detect_runtime_hints(make("docker.io/valkey/valkey:8.0-alpine",
                                     {"sh", "-c", "valkey-server --appendonly yes --requirepass $REDIS_PASSWORD"}));
  EXPECT_EQ(h.kind, RuntimeKind::redis);
  EXPECT_FALSE(h.redis_maxmemory);
  EXPECT_EQ(h.redis_appendonly, true);
  EXPECT_FALSE(h.redis_config_file);
  EXPECT_EQ(h.evidence, Words{"command: --appendonly yes"});
}

TEST(RuntimeHintDetector, RedisFromEnvironmentFlagsAndBadValues) {
  auto a = detect_runtime_hints(make("redis/redis-stack-server", {}, {{"REDIS_ARGS", "--maxmemory 100mb"}}));
  EXPECT_EQ(a.redis_maxmemory, Bytes{100 * k_mib});
  EXPECT_EQ(a.evidence, Words{"REDIS_ARGS: --maxmemory 100mb"});
  auto b = detect_runtime_hints(make("bitnami/redis", {}, {{"REDIS_EXTRA_FLAGS", "--maxmemory 1.5gb"}}));
  EXPECT_FALSE(b.redis_maxmemory);
  EXPECT_EQ(b.evidence, Words{"REDIS_EXTRA_FLAGS: --maxmemory 1.5gb not understood"});
  auto c = detect_runtime_hints(make("redis", {"redis-server", "--maxmemory"}));
  EXPECT_EQ(c.evidence, Words{"command: --maxmemory without a value not understood"});
}

TEST(RuntimeHintDetector, RedisFlagsAreIgnoredOutsideRedis) {
  auto h = detect_runtime_hints(make("python:3.12", {"worker", "--maxmemory", "1gb"}));
  EXPECT_EQ(h.kind, RuntimeKind::unknown);
  EXPECT_FALSE(h.redis_maxmemory);
}

TEST(RuntimeHintDetector, NodeMaxOldSpaceSize) {
  auto a = detect_runtime_hints(make("node:20", {"node", "--max-old-space-size=1536", "server.js"}));
  EXPECT_EQ(a.kind, RuntimeKind::node);
  EXPECT_EQ(a.node_max_old_space, Bytes{1536 * k_mib});
  auto b = detect_runtime_hints(make("registry.example.com/web:1", {},
                                     {{"NODE_OPTIONS", "--require ./otel.js --max_old_space_size=512"}}));
  EXPECT_EQ(b.kind, RuntimeKind::node);
  EXPECT_EQ(b.node_max_old_space, Bytes{512 * k_mib});
  EXPECT_EQ(b.evidence, Words{"NODE_OPTIONS: --max_old_space_size=512"});
  auto c = detect_runtime_hints(make("node:20", {"node", "--max-old-space-size", "2g"}));
  EXPECT_FALSE(c.node_max_old_space);
  EXPECT_EQ(c.evidence, Words{"command: --max-old-space-size 2g not understood"});
}

TEST(RuntimeHintDetector, NodeCommandLineOverridesNodeOptions) {
  auto h = detect_runtime_hints(make("node:20", {"node", "--max-old-space-size=300", "app.js"},
                                     {{"NODE_OPTIONS", "--max-old-space-size=200"}}));
  EXPECT_EQ(h.node_max_old_space, Bytes{300 * k_mib});
}

TEST(RuntimeHintDetector, OtelDemoNodeOptionsWithoutHeapSize) {
  auto h = detect_runtime_hints(make("ghcr.io/open-telemetry/demo:2.1.3-payment", {},
                                     {{"NODE_OPTIONS", "--require @opentelemetry/auto-instrumentations-node/register"}}));
  EXPECT_EQ(h.kind, RuntimeKind::node);
  EXPECT_FALSE(h.node_max_old_space);
}

TEST(RuntimeHintDetector, StackFillsContainersAndServiceFromFirstAppContainerWithHints) {
  Stack stack;
  Service s;
  s.name = "api";
  Container init = make("postgres:16");
  init.role = ContainerRole::init;
  Container proxy = make("envoyproxy/envoy:v1.30");
  Container app = make("eclipse-temurin:21", {}, {{"JAVA_OPTS", "-Xmx300m"}});
  s.containers = {init, proxy, app};
  stack.services.push_back(s);
  detect_runtime_hints(stack);
  const Service& out = stack.services[0];
  EXPECT_EQ(out.containers[0].hints.kind, RuntimeKind::postgres);
  EXPECT_TRUE(out.containers[1].hints.empty());
  EXPECT_EQ(out.hints.kind, RuntimeKind::jvm);
  EXPECT_EQ(out.hints.jvm_max_heap, Bytes{300 * k_mib});
}

}  // namespace
}  // namespace stackfit

namespace stackfit {
namespace {

// The strings used above are the corpus's own: if the corpus changes, this says so.
TEST(RuntimeHintDetector, CorpusStringsAreQuotedVerbatim) {
  STACKFIT_REQUIRE_CORPUS();
  struct Quote {
    const char* file;
    const char* text;
  };
  for (const Quote& q : {Quote{"real/deviantony__docker-elk/docker-compose.yml", "ES_JAVA_OPTS: -Xms512m -Xmx512m"},
                         Quote{"real/deviantony__docker-elk/docker-compose.yml", "LS_JAVA_OPTS: -Xms256m -Xmx256m"},
                         Quote{"real/open-telemetry__opentelemetry-demo/compose.full.yaml",
                               "KAFKA_HEAP_OPTS=-Xmx400m -Xms400m"},
                         Quote{"real/open-telemetry__opentelemetry-demo/compose.observability.yaml",
                               "OPENSEARCH_JAVA_OPTS=-Xms400m -Xmx400m"},
                         Quote{"real/netbox-community__netbox-docker/docker-compose.yml",
                               "valkey-server --appendonly yes --requirepass $$REDIS_PASSWORD"},
                         Quote{"real/getsentry__self-hosted/docker-compose.yml", "image: \"postgres:14.24-bookworm\""}}) {
    auto text = read_file(testing::corpus_path(q.file));
    ASSERT_TRUE(text) << text.error().message;
    EXPECT_NE(text->find(q.text), std::string::npos) << q.file << ": " << q.text;
  }
}

}  // namespace
}  // namespace stackfit
