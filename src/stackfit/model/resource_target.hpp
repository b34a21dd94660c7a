// What a service should be set to: the common currency between the stages
// that decide (analyze/recommendation for `recommend`, plan/ for `plan`) and
// the writers that write it down (`apply`, `plan --write`): a Compose
// override file or a kustomize strategic-merge patch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stackfit/model/quantity.hpp"
#include "stackfit/model/resources.hpp"
#include "stackfit/model/stack.hpp"

namespace stackfit {

// A memory setting of the runtime inside the container that must follow the
// container's limit (see RuntimeHints for how the current values are read).
enum class RuntimeKnob {
  jvm_max_heap,                   // -Xmx (JAVA_OPTS / JAVA_TOOL_OPTIONS / command)
  elasticsearch_heap,             // ES_JAVA_OPTS -Xms = -Xmx
  neo4j_heap,                     // server.memory.heap.max_size (NEO4J_server_memory_heap_max__size)
  neo4j_pagecache,                // server.memory.pagecache.size
  postgres_shared_buffers,        // -c shared_buffers=
  postgres_effective_cache_size,  // -c effective_cache_size=
  redis_maxmemory,                // --maxmemory (policy in RuntimeKnobValue::policy)
  node_max_old_space,             // --max-old-space-size (MiB) / NODE_OPTIONS
};
[[nodiscard]] const char* to_string(RuntimeKnob knob);

struct RuntimeKnobValue {
  RuntimeKnob knob = RuntimeKnob::jvm_max_heap;
  Bytes value;
  std::string policy;  // redis_maxmemory: eviction policy, e.g. "allkeys-lru"; else ""
  std::string reason;  // "75% of the 512 MiB limit"
  friend bool operator==(const RuntimeKnobValue&, const RuntimeKnobValue&) = default;
};

// The target for one service (Compose) or one container of one workload
// (Kubernetes). Resources fields left empty are left as declared.
struct ResourceTarget {
  std::string service;     // Compose service name, or the workload's metadata.name
  std::string kind;        // "service" (Compose) or Deployment, StatefulSet, ...
  std::string namespace_;  // Kubernetes namespace ("" when none)
  std::string container;   // Kubernetes container name; "" for Compose
  Resources resources;
  std::optional<std::int64_t> replicas;  // set (0 = switched off) by plan's drop option
  std::vector<RuntimeKnobValue> knobs;
  friend bool operator==(const ResourceTarget&, const ResourceTarget&) = default;
};

// The service or workload of `stack` a target is for: same name, and same
// namespace and kind where the target names them ("service" matches any
// kind); nullptr when there is none.
[[nodiscard]] const Service* find_workload(const Stack& stack, const ResourceTarget& t);

// One service of a `stackfit recommend` file (docs/recommend-json.md) as
// `apply --from` and `plan --from` read it back.
struct RecommendedTarget {
  ResourceTarget target;  // memory/cpu request/limit where not null; knobs
  double confidence = 0;  // 0..1
  std::string status;     // "ok" | "trend"
};

}  // namespace stackfit
