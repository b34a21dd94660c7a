#include "stackfit/plan/tighten.hpp"

#include <algorithm>
#include <cstdio>

namespace stackfit {
namespace {

constexpr std::int64_t k_round = 16 * k_mib;

Bytes round_up(std::int64_t bytes) { return Bytes{(bytes + k_round - 1) / k_round * k_round}; }

std::string mib(Bytes b) { return format_human_bytes(b); }

bool same_service(const RecommendedTarget& r, const Service& s) {
  return r.target.service == s.name && (r.target.namespace_.empty() || r.target.namespace_ == s.namespace_);
}

void add(std::optional<Bytes>& total, std::optional<Bytes> v) {
  if (v) total = total ? saturating_add(*total, *v) : *v;
}
void add(std::optional<Millicores>& total, std::optional<Millicores> v) {
  if (v) total = total ? saturating_add(*total, *v) : *v;
}

// The recommendations naming `s`, folded into one Resources (per-container
// recommendations of one workload add up). False when none names it.
bool recommended(const Service& s, const std::vector<RecommendedTarget>& recs, TightenedService& out) {
  Resources r;
  bool any = false;
  double confidence = 1;
  for (const RecommendedTarget& rec : recs) {
    if (!same_service(rec, s)) continue;
    any = true;
    add(r.memory_request, rec.target.resources.memory_request);
    add(r.memory_limit, rec.target.resources.memory_limit);
    add(r.cpu_request, rec.target.resources.cpu_request);
    add(r.cpu_limit, rec.target.resources.cpu_limit);
    confidence = std::min(confidence, rec.confidence);
    for (const RuntimeKnobValue& k : rec.target.knobs) out.knobs.push_back(k);
  }
  if (!any) return false;
  out.after = s.resources;
  if (r.memory_request) out.after.memory_request = r.memory_request;
  if (r.memory_limit) out.after.memory_limit = r.memory_limit;
  if (r.cpu_request) out.after.cpu_request = r.cpu_request;
  if (r.cpu_limit) out.after.cpu_limit = r.cpu_limit;
  out.from_history = true;
  out.confidence = confidence;
  char buf[64];
  std::snprintf(buf, sizeof buf, "recommendation from history (confidence %.2f)", confidence);
  out.reason = buf;
  return true;
}

bool heuristic(const Service& s, TightenedService& out) {
  std::string why;
  auto need = heuristic_memory(s.hints, &why);
  auto committed = s.resources.committed_memory();
  if (!need || !committed || committed->count == 0 || *need >= *committed) return false;
  out.after = s.resources;
  if (out.after.memory_limit && out.after.memory_limit->count > 0) out.after.memory_limit = *need;
  if (out.after.memory_request && *out.after.memory_request > *need) out.after.memory_request = *need;
  out.reason = "no history: " + why;
  return true;
}

}  // namespace

std::optional<Bytes> heuristic_memory(const RuntimeHints& h, std::string* reason) {
  auto say = [&](const std::string& text) {
    if (reason) *reason = text;
  };
  if (h.kind == RuntimeKind::elasticsearch && h.jvm_max_heap) {
    say("Elasticsearch heap " + mib(*h.jvm_max_heap) + " x 2 (heap at most half the memory)");
    return round_up(h.jvm_max_heap->count * 2);
  }
  if (h.kind == RuntimeKind::neo4j && h.neo4j_heap_max) {
    std::int64_t page = h.neo4j_pagecache ? h.neo4j_pagecache->count : 0;
    say("Neo4j heap " + mib(*h.neo4j_heap_max) + " + page cache " + mib(Bytes{page}) + " + 256 MiB");
    return round_up(h.neo4j_heap_max->count + page + 256 * k_mib);
  }
  if (h.jvm_max_heap) {
    std::int64_t heap = h.jvm_max_heap->count;
    say("JVM -Xmx " + mib(*h.jvm_max_heap) + " + max(25%, 160 MiB) for metaspace, threads, code cache");
    return round_up(heap + std::max(heap / 4, 160 * k_mib));
  }
  if (h.postgres_shared_buffers) {
    say("PostgreSQL shared_buffers " + mib(*h.postgres_shared_buffers) + " x 4 (shared_buffers ~25% of memory)");
    return round_up(h.postgres_shared_buffers->count * 4);
  }
  if (h.redis_maxmemory && h.redis_maxmemory->count > 0) {
    say("Redis maxmemory " + mib(*h.redis_maxmemory) + " x 1.5 (fragmentation, fork on save)");
    return round_up(h.redis_maxmemory->count + h.redis_maxmemory->count / 2);
  }
  if (h.node_max_old_space) {
    std::int64_t old = h.node_max_old_space->count;
    say("Node.js --max-old-space-size " + mib(*h.node_max_old_space) + " + max(25%, 128 MiB)");
    return round_up(old + std::max(old / 4, 128 * k_mib));
  }
  return std::nullopt;
}

TightenResult tighten(const Stack& stack, const std::vector<RecommendedTarget>& recommendations) {
  TightenResult out;
  out.stack = stack;
  for (Service& s : out.stack.services) {
    TightenedService t;
    t.service = s.name;
    t.before = s.resources;
    if (recommended(s, recommendations, t)) {
      out.used_history = true;
    } else if (heuristic(s, t)) {
      out.used_heuristic = true;
    } else {
      continue;
    }
    // A request above the new limit is invalid (Kubernetes rejects it,
    // Docker refuses a reservation above the limit): it follows the limit.
    auto& a = t.after;
    if (a.memory_request && a.memory_limit && a.memory_limit->count > 0 && *a.memory_request > *a.memory_limit)
      a.memory_request = a.memory_limit;
    if (a.cpu_request && a.cpu_limit && a.cpu_limit->count > 0 && *a.cpu_request > *a.cpu_limit)
      a.cpu_request = a.cpu_limit;
    if (t.after.committed_memory() == t.before.committed_memory() && t.after == t.before) continue;
    s.resources = t.after;
    out.changed.push_back(std::move(t));
  }
  return out;
}

}  // namespace stackfit
