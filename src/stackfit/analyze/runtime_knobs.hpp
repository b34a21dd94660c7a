// Memory settings of a recognised runtime that follow from the container's
// memory limit: JVM heap, Elasticsearch heap, Neo4j heap and page cache,
// PostgreSQL shared_buffers and effective_cache_size, Redis maxmemory and its
// eviction policy, Node --max-old-space-size. Fractions and their sources:
// docs/recommend.md ("Runtime knobs").
#pragma once

#include <vector>

#include "stackfit/model/resource_target.hpp"
#include "stackfit/model/runtime_hints.hpp"

namespace stackfit {

// Knobs for a container of runtime `hints.kind` with memory limit `limit`;
// empty for an unknown runtime. Values round down to whole MiB (JVM, Node and
// the databases all take MiB); each carries its reason ("75% of the 512 MiB
// limit").
// Redis' eviction policy follows analyze/redis_use: a declared policy is kept,
// `allkeys-lru` is proposed only for an evident cache (its reason says keys are
// dropped when full), `noeviction` everywhere else.
[[nodiscard]] std::vector<RuntimeKnobValue> runtime_knobs(const RuntimeHints& hints, Bytes limit);

// The smallest container limit whose knobs still hold `data_set` bytes (the
// observed steady peak): for a Redis that keeps data under noeviction,
// data_set / the maxmemory fraction, so maxmemory never sits below the data
// already there (it would refuse writes at once). 0 when no knob needs it.
[[nodiscard]] Bytes runtime_knob_limit_floor(const RuntimeHints& hints, Bytes data_set);

// The fractions, for tests and docs.
inline constexpr double k_jvm_heap_fraction = 0.75;          // limit >= 1 GiB
inline constexpr double k_jvm_heap_fraction_small = 0.50;    // limit < 1 GiB
inline constexpr double k_elasticsearch_heap_fraction = 0.50;
inline constexpr std::int64_t k_elasticsearch_heap_max = 31 * k_gib;
inline constexpr double k_neo4j_heap_fraction = 0.40;
inline constexpr double k_neo4j_pagecache_fraction = 0.40;
inline constexpr double k_postgres_shared_buffers_fraction = 0.25;
inline constexpr double k_postgres_effective_cache_fraction = 0.50;
// Redis without a fork (no snapshots, no AOF): room for fragmentation only,
// ElastiCache's default reserved-memory-percent of 25%.
inline constexpr double k_redis_maxmemory_fraction = 0.75;
// Redis that forks for RDB snapshots or AOF rewrites (its default): Redis'
// administration docs say a write-heavy instance "may use up to 2 times the
// memory normally used" while saving, so the data set gets half the limit.
inline constexpr double k_redis_maxmemory_fraction_forking = 0.50;
inline constexpr double k_node_old_space_fraction = 0.75;

}  // namespace stackfit
