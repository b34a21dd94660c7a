// Option A: set each service's memory to what its history says
// (recommendations from `stackfit recommend --format json`) or, without
// history, to a documented heuristic from the runtime's own memory setting
// (docs/plan.md, "Tighten without history"). Computes; does not write.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stackfit/model/resource_target.hpp"
#include "stackfit/model/stack.hpp"
#include "stackfit/model/resource_target.hpp"

namespace stackfit {

struct TightenedService {
  std::string service;
  Resources before;
  Resources after;
  std::string reason;        // "recommendation (confidence 0.82)", "JVM -Xmx 512 MiB + 25% (min 160 MiB)"
  bool from_history = false;
  double confidence = 0;     // from the recommendation; 0 for heuristics
  std::vector<RuntimeKnobValue> knobs;
};

struct TightenResult {
  Stack stack;                              // the stack with the new resources
  std::vector<TightenedService> changed;    // services whose committed memory changed
  bool used_history = false;
  bool used_heuristic = false;
};

// Memory a runtime needs beyond its own setting, without history: JVM heap +
// max(25%, 160 MiB); Elasticsearch 2x heap; Neo4j heap + page cache + 256 MiB;
// PostgreSQL shared_buffers x 4 (shared_buffers is conventionally 25% of
// memory); Redis maxmemory x 1.5 (fragmentation, fork on save); Node.js
// old space + max(25%, 128 MiB). Rounded up to 16 MiB. nullopt when the
// service declares no runtime memory setting.
[[nodiscard]] std::optional<Bytes> heuristic_memory(const RuntimeHints& hints, std::string* reason = nullptr);

// Services named by a recommendation get its values (summed over its
// containers for Kubernetes workloads); the others, when they declare a
// memory limit or request above the heuristic, are lowered to it (never
// raised). A request left above the new limit is lowered to it (request >
// limit is invalid). Replicas are unchanged.
[[nodiscard]] TightenResult tighten(const Stack& stack, const std::vector<RecommendedTarget>& recommendations);

}  // namespace stackfit
