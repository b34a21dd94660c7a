// Memory settings of the runtime inside a container (JVM heap, PostgreSQL
// shared_buffers, Redis maxmemory, ...), as read from image, command and
// environment. Filled by analyze/runtime_hint_detector; read by rules and,
// later, by recommendations.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stackfit/model/quantity.hpp"

namespace stackfit {

enum class RuntimeKind { unknown, jvm, elasticsearch, neo4j, postgres, redis, node };

[[nodiscard]] const char* to_string(RuntimeKind kind);

struct RuntimeHints {
  RuntimeKind kind = RuntimeKind::unknown;

  // JVM (also Elasticsearch, Logstash, Neo4j): -Xmx / -Xms and percentage flags.
  std::optional<Bytes> jvm_max_heap;
  std::optional<Bytes> jvm_initial_heap;
  std::optional<double> jvm_max_ram_percentage;  // -XX:MaxRAMPercentage, 0..100

  // Neo4j: server.memory.heap.max_size / dbms.memory.heap.max_size, pagecache.
  std::optional<Bytes> neo4j_heap_max;
  std::optional<Bytes> neo4j_pagecache;

  // PostgreSQL: shared_buffers and effective_cache_size.
  std::optional<Bytes> postgres_shared_buffers;
  std::optional<Bytes> postgres_effective_cache_size;

  // Redis: --maxmemory and --maxmemory-policy.
  std::optional<Bytes> redis_maxmemory;
  std::string redis_maxmemory_policy;
  // Redis persistence, from the command line / REDIS_ARGS: --appendonly yes|no;
  // --save "<rules>" (true) or --save "" (false), unset = Redis' default
  // snapshot rules, which are on. A config file argument (`redis-server
  // /etc/redis.conf`) may set any of these where we cannot read it.
  std::optional<bool> redis_appendonly;
  std::optional<bool> redis_save;
  bool redis_config_file = false;
  bool redis_data_volume = false;  // a mount on the data directory (/data, /bitnami/redis/data)
  // What the rest of the stack says about this Redis (analyze/redis_usage):
  // services using it as a job-queue broker ("worker via CELERY_BROKER_URL"),
  // and whether its service name or a label calls it a cache.
  std::vector<std::string> redis_broker_for;
  bool redis_named_cache = false;

  // Node.js: --max-old-space-size (given in MiB, stored in bytes).
  std::optional<Bytes> node_max_old_space;

  // Where each value was read, e.g. "ES_JAVA_OPTS: -Xmx512m", for `inspect`.
  std::vector<std::string> evidence;

  [[nodiscard]] bool empty() const { return kind == RuntimeKind::unknown && evidence.empty(); }
};

}  // namespace stackfit
