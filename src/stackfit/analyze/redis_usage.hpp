// What a Redis holds: a cache that may evict, or data that must not be lost
// (a job-queue broker, a persistent store). Decided from the Redis' own flags
// (RuntimeHints) and from the rest of the stack, so that runtime_knobs never
// proposes an evicting policy for data (docs/recommend.md, "Runtime knobs").
#pragma once

#include <string>

#include "stackfit/model/stack.hpp"

namespace stackfit {

// Marks every Redis container of `stack` with what the other services say
// about it (RuntimeHints::redis_broker_for, redis_named_cache) and adds an
// evidence line for each. A service is a broker client when
//   - a variable whose name says queue (BROKER, CELERY, RQ, SIDEKIQ, BULL,
//     BULLMQ, QUEUE, RESQUE, DRAMATIQ, HUEY, ARQ as a `_`-separated word:
//     CELERY_BROKER_URL, BROKER_URL, RQ_REDIS_URL, ...) holds a redis:// or
//     rediss:// URL whose host is the Redis service (`redis`, or
//     `redis.ns.svc.cluster.local`), or
//   - it runs a worker (celery, rq, rqworker, sidekiq, bull, bullmq, arq,
//     dramatiq, huey, resque as a word of its command or its image name) and
//     points at the Redis with any such URL (REDIS_URL) or depends_on it.
// A service name or label value with the word "cache" (split at - _ . / :)
// marks it named cache. Evidence names the client and the variable, never the
// URL (it may carry a password). Runs after detect_runtime_hints(Container).
void mark_redis_usage(Stack& stack);

struct RedisUse {
  bool evident_cache = false;  // only then may an evicting policy be proposed
  bool forks = true;           // RDB snapshots or AOF rewrites fork: copy-on-write headroom needed
  std::string why;             // "queue broker for worker (CELERY_BROKER_URL); RDB snapshots on (Redis' default)"
};

// A Redis is an evident cache only when nothing says it keeps data (no broker
// client, appendonly not yes, no volume on its data directory, no config file
// we cannot read) and either snapshots are switched off (`--save ""`) or its
// name/label says cache while no explicit `--save` rule is given.
[[nodiscard]] RedisUse redis_use(const RuntimeHints& hints);

}  // namespace stackfit
