// Recognises the runtime inside a container (JVM, Elasticsearch, Neo4j,
// PostgreSQL, Redis, Node.js) from image, command and environment, and reads
// its memory settings. Read only: recommending values is analyze/'s later work.
#pragma once

#include "stackfit/model/stack.hpp"

namespace stackfit {

// Hints for one container. Unparseable values are left unset and noted in
// evidence ("JAVA_OPTS: -Xmx12q not understood"), never guessed.
[[nodiscard]] RuntimeHints detect_runtime_hints(const Container& container);

// Fills hints of every container of every service, marks what the stack says
// about each Redis (analyze/redis_usage: broker clients, cache names), and
// sets each service's hints from its first app container that has any.
void detect_runtime_hints(Stack& stack);

}  // namespace stackfit
