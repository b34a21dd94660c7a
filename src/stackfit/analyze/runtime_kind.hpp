// Which runtime a container runs, guessed from what it declares: the image
// name, the program its command starts, and environment variable names that
// only one runtime reads. Each function returns unknown when it cannot tell.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "stackfit/model/runtime_hints.hpp"
#include "stackfit/model/stack.hpp"

namespace stackfit {

// The image's repository name, lower case, without registry, path, tag or
// digest: "docker.elastic.co/elasticsearch/elasticsearch:8.11.1" -> "elasticsearch".
[[nodiscard]] std::string image_base_name(std::string_view image);

// From the image's base name: "postgres", "bitnami/redis", "valkey/valkey",
// "eclipse-temurin", "confluentinc/cp-kafka", "neo4j", "node", ...
[[nodiscard]] RuntimeKind kind_from_image(std::string_view image);

// From the program a command starts, looking at the first word and at the
// first word after "sh -c", "exec", "&&", ";" or "||": java, redis-server,
// valkey-server, postgres, node. `words` are already split (split_words).
[[nodiscard]] RuntimeKind kind_from_command(const std::vector<std::string>& words);

// From environment variable names read by one runtime only (ES_JAVA_OPTS,
// NEO4J_server_memory_*, JAVA_OPTS, NODE_OPTIONS, REDIS_ARGS, ...).
[[nodiscard]] RuntimeKind kind_from_environment(const KeyValues& environment);

}  // namespace stackfit
