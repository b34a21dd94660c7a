#include "stackfit/emit/json_fields.hpp"

namespace stackfit {
namespace {

void put_bytes(nlohmann::ordered_json& out, const char* key, const std::optional<Bytes>& b) {
  if (b) out[key] = b->count;
}

}  // namespace

nlohmann::ordered_json memory_json(const Resources& r) {
  nlohmann::ordered_json out;
  out["request_bytes"] = count_or_null(r.memory_request);
  out["limit_bytes"] = count_or_null(r.memory_limit);
  return out;
}

nlohmann::ordered_json cpu_json(const Resources& r) {
  nlohmann::ordered_json out;
  out["request_millicores"] = count_or_null(r.cpu_request);
  out["limit_millicores"] = count_or_null(r.cpu_limit);
  return out;
}

nlohmann::ordered_json runtime_json(const RuntimeHints& h) {
  nlohmann::ordered_json out;
  out["kind"] = to_string(h.kind);
  put_bytes(out, "jvm_max_heap_bytes", h.jvm_max_heap);
  put_bytes(out, "jvm_initial_heap_bytes", h.jvm_initial_heap);
  if (h.jvm_max_ram_percentage) out["jvm_max_ram_percentage"] = *h.jvm_max_ram_percentage;
  put_bytes(out, "neo4j_heap_max_bytes", h.neo4j_heap_max);
  put_bytes(out, "neo4j_pagecache_bytes", h.neo4j_pagecache);
  put_bytes(out, "postgres_shared_buffers_bytes", h.postgres_shared_buffers);
  put_bytes(out, "postgres_effective_cache_size_bytes", h.postgres_effective_cache_size);
  put_bytes(out, "redis_maxmemory_bytes", h.redis_maxmemory);
  if (!h.redis_maxmemory_policy.empty()) out["redis_maxmemory_policy"] = h.redis_maxmemory_policy;
  put_bytes(out, "node_max_old_space_bytes", h.node_max_old_space);
  out["evidence"] = h.evidence;
  return out;
}

nlohmann::ordered_json usage_memory_json(const UsageSummary& u) {
  return {{"peak_bytes", u.peak_working_set.count},
          {"p95_bytes", u.p95_working_set.count},
          {"average_bytes", u.average_working_set.count},
          {"limit_bytes", count_or_null(u.memory_limit)}};
}

nlohmann::ordered_json usage_cpu_json(const UsageSummary& u) {
  return {{"p95_millicores", count_or_null(u.cpu_p95)}, {"peak_millicores", count_or_null(u.cpu_peak)}};
}

}  // namespace stackfit
