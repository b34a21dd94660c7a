// Rewrites a container's command line and environment so the runtime inside
// follows new memory settings (RuntimeKnobValue): a flag that is already there
// gets the new value in place, the rest of the command is kept word for word;
// a missing flag is added where the runtime reads it. Shared by the Compose
// override writer (entrypoint/command, environment) and the kustomize patch
// writer (command/args, env).
//
// Where each knob is looked for, first hit wins (the places the runtime hint
// detector reads):
//   jvm_max_heap      -Xmx in JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS, JAVA_OPTS,
//   JVM_OPTS,
//                     CATALINA_OPTS, LS_JAVA_OPTS, KAFKA_HEAP_OPTS,
//                     _JAVA_OPTIONS, then the command; else appended to
//                     JAVA_TOOL_OPTIONS or JAVA_OPTS when one is set, else a
//                     new JAVA_TOOL_OPTIONS=-Xmx… (every JVM reads it)
//   elasticsearch_heap -Xms and -Xmx (both set to the value) in ES_JAVA_OPTS or
//                     OPENSEARCH_JAVA_OPTS; else a new one of them (by image
//                     name)
//   neo4j_heap        NEO4J_server_memory_heap_max__size (NEO4J_dbms_… when the
//   stack uses
//                     the 4.x name); an existing …heap_initial__size is set to
//                     the same value
//   neo4j_pagecache   NEO4J_server_memory_pagecache_size (or the dbms_ name)
//   postgres_*        POSTGRES(QL)_SHARED_BUFFERS / _EFFECTIVE_CACHE_SIZE,
//   POSTGRESQL_EXTRA_FLAGS,
//                     then `-c name=…`, `-cname=…`, `--name=…` in the command;
//                     else
//                     `-c name=…` appended (after `postgres` when there is no
//                     command)
//   redis_maxmemory   --maxmemory / --maxmemory-policy in REDIS_ARGS,
//   REDIS_EXTRA_FLAGS, then
//                     the command; else appended (after `redis-server` when
//                     there is none)
//   node_max_old_space --max-old-space-size= in NODE_OPTIONS, then the command;
//   else
//                     appended to NODE_OPTIONS (created when absent)
// A command word holding a whole shell line (`sh -c "redis-server --port 1"`)
// is rewritten inside, like an environment string.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stackfit/model/resource_target.hpp"
#include "stackfit/model/stack.hpp"

namespace stackfit {

// The container's command line in its two parts: Compose entrypoint/command,
// Kubernetes command/args.
struct CommandParts {
  std::vector<std::string> entrypoint;
  std::vector<std::string> command;
};

// The container's command split at Container::entrypoint_words.
[[nodiscard]] CommandParts split_command(const Container& container);

struct KnobEdits {
  std::optional<std::vector<std::string>> entrypoint;  // the whole new entrypoint, when it changed
  std::optional<std::vector<std::string>> command;     // the whole new command, when it changed
  KeyValues environment;                               // variables to set (new values), in order
  std::vector<std::string> notes;                      // "--maxmemory 384mb in command", for humans

  [[nodiscard]] bool empty() const { return !entrypoint && !command && environment.empty(); }
};

[[nodiscard]] KnobEdits rewrite_runtime_knobs(const CommandParts& parts, const KeyValues& environment,
                                              const std::string& image, const std::vector<RuntimeKnobValue>& knobs);

// Size spellings each runtime reads (rounded down to the unit, at least 1
// unit).
[[nodiscard]] std::string jvm_size(Bytes b);       // "512m", "2g", "1536k"
[[nodiscard]] std::string redis_size(Bytes b);     // "384mb", "1gb", "1000" (bytes)
[[nodiscard]] std::string postgres_size(Bytes b);  // "128MB", "1GB", "96kB"
[[nodiscard]] std::string node_mib(Bytes b);       // "384" (MiB)

}  // namespace stackfit
