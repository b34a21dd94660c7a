#include "stackfit/analyze/runtime_knobs.hpp"

#include <algorithm>
#include <cmath>

#include "stackfit/analyze/redis_usage.hpp"

namespace stackfit {

namespace {

Bytes fraction_mib(Bytes limit, double fraction) {
  auto raw = static_cast<std::int64_t>(std::floor(static_cast<double>(limit.count) * fraction));
  return Bytes{raw / k_mib * k_mib};
}

std::string percent_reason(double fraction, Bytes limit) {
  return std::to_string(static_cast<int>(std::lround(fraction * 100))) + "% of the " + format_human_bytes(limit) +
         " limit";
}

RuntimeKnobValue knob(RuntimeKnob k, Bytes limit, double fraction, const std::string& extra = {}) {
  RuntimeKnobValue v;
  v.knob = k;
  v.value = fraction_mib(limit, fraction);
  v.reason = percent_reason(fraction, limit) + extra;
  return v;
}

bool is_evicting(const std::string& policy) { return policy.starts_with("allkeys-") || policy.starts_with("volatile-"); }

// maxmemory and its policy. The policy is never changed from what the user
// declared; where none is declared an evicting one is proposed only for an
// evident cache (redis_use), with the data-loss risk in the reason.
RuntimeKnobValue redis_knob(const RuntimeHints& hints, Bytes limit) {
  RedisUse use = redis_use(hints);
  RuntimeKnobValue v = use.forks ? knob(RuntimeKnob::redis_maxmemory, limit, k_redis_maxmemory_fraction_forking,
                                        ", room for a snapshot/AOF-rewrite fork's copy-on-write (up to 2x) and "
                                        "fragmentation")
                                 : knob(RuntimeKnob::redis_maxmemory, limit, k_redis_maxmemory_fraction,
                                        ", room for fragmentation");
  const std::string& declared = hints.redis_maxmemory_policy;
  if (!declared.empty()) {
    v.policy = declared;
    v.reason += "; declared policy " + declared + " kept";
    if (is_evicting(declared) && !use.evident_cache) {
      v.reason += " (it evicts keys when full, and this Redis keeps data: " + use.why + ")";
    }
  } else if (use.evident_cache) {
    v.policy = "allkeys-lru";
    v.reason += "; allkeys-lru evicts keys when full: only safe for a cache (" + use.why + ")";
  } else if (hints.redis_config_file) {
    v.reason += "; eviction policy left to the config file (Redis' default noeviction refuses writes when full, " +
                std::string("it never drops keys)");
  } else {
    v.policy = "noeviction";
    v.reason += "; noeviction: it keeps data (" + use.why + "), so when full it refuses writes, never drops keys";
  }
  return v;
}

}  // namespace

Bytes runtime_knob_limit_floor(const RuntimeHints& hints, Bytes data_set) {
  if (hints.kind != RuntimeKind::redis || data_set.count <= 0) return Bytes{0};
  RedisUse use = redis_use(hints);
  if (use.evident_cache || is_evicting(hints.redis_maxmemory_policy)) return Bytes{0};
  double fraction = use.forks ? k_redis_maxmemory_fraction_forking : k_redis_maxmemory_fraction;
  return Bytes{static_cast<std::int64_t>(std::ceil(static_cast<double>(data_set.count) / fraction))};
}

std::vector<RuntimeKnobValue> runtime_knobs(const RuntimeHints& hints, Bytes limit) {
  std::vector<RuntimeKnobValue> out;
  if (limit.count <= 0) return out;
  switch (hints.kind) {
    case RuntimeKind::jvm: {
      bool small = limit.count < k_gib;
      double f = small ? k_jvm_heap_fraction_small : k_jvm_heap_fraction;
      out.push_back(knob(RuntimeKnob::jvm_max_heap, limit, f,
                         small ? " (below 1 GiB, metaspace, threads and code cache take a larger share)" : ""));
      break;
    }
    case RuntimeKind::elasticsearch: {
      RuntimeKnobValue v = knob(RuntimeKnob::elasticsearch_heap, limit, k_elasticsearch_heap_fraction,
                                ", the rest is file cache for Lucene");
      if (v.value.count > k_elasticsearch_heap_max) {
        v.value = Bytes{k_elasticsearch_heap_max};
        v.reason = "31 GiB cap (compressed object pointers stop below 32 GiB)";
      }
      out.push_back(v);
      break;
    }
    case RuntimeKind::neo4j:
      out.push_back(knob(RuntimeKnob::neo4j_heap, limit, k_neo4j_heap_fraction));
      out.push_back(knob(RuntimeKnob::neo4j_pagecache, limit, k_neo4j_pagecache_fraction,
                         ", 20% left for native memory and the OS"));
      break;
    case RuntimeKind::postgres:
      out.push_back(knob(RuntimeKnob::postgres_shared_buffers, limit, k_postgres_shared_buffers_fraction));
      out.push_back(knob(RuntimeKnob::postgres_effective_cache_size, limit, k_postgres_effective_cache_fraction,
                         " (planner hint; the page cache counts against the limit)"));
      break;
    case RuntimeKind::redis:
      out.push_back(redis_knob(hints, limit));
      break;
    case RuntimeKind::node:
      out.push_back(knob(RuntimeKnob::node_max_old_space, limit, k_node_old_space_fraction,
                         " (Node's guidance: 1536 MiB on a 2 GiB machine)"));
      break;
    case RuntimeKind::unknown:
      break;
  }
  return out;
}

}  // namespace stackfit
