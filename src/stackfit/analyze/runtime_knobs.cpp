#include "stackfit/analyze/runtime_knobs.hpp"

#include <algorithm>
#include <cmath>

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

}  // namespace

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
    case RuntimeKind::redis: {
      RuntimeKnobValue v = knob(RuntimeKnob::redis_maxmemory, limit, k_redis_maxmemory_fraction,
                                ", room for fork copy-on-write and fragmentation");
      v.policy = hints.redis_maxmemory_policy.empty() ? "allkeys-lru" : hints.redis_maxmemory_policy;
      if (hints.redis_maxmemory_policy.empty()) v.reason += "; allkeys-lru so a full cache evicts instead of failing";
      out.push_back(v);
      break;
    }
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
