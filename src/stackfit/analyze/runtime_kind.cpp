#include "stackfit/analyze/runtime_kind.hpp"

#include <array>
#include <cctype>
#include <utility>

namespace stackfit {
namespace {

struct NamedKind {
  std::string_view name;
  RuntimeKind kind;
};

// Image base names of official and widely used images. Exact names only, so
// that "redis-exporter" or "node-exporter" are not mistaken for the runtime.
constexpr std::array k_image_kinds{
    NamedKind{"postgres", RuntimeKind::postgres},      NamedKind{"postgresql", RuntimeKind::postgres},
    NamedKind{"postgis", RuntimeKind::postgres},       NamedKind{"timescaledb", RuntimeKind::postgres},
    NamedKind{"timescaledb-ha", RuntimeKind::postgres}, NamedKind{"pgvector", RuntimeKind::postgres},
    NamedKind{"redis", RuntimeKind::redis},            NamedKind{"redis-stack", RuntimeKind::redis},
    NamedKind{"redis-stack-server", RuntimeKind::redis}, NamedKind{"redis-cluster", RuntimeKind::redis},
    NamedKind{"valkey", RuntimeKind::redis},           NamedKind{"valkey-cluster", RuntimeKind::redis},
    NamedKind{"keydb", RuntimeKind::redis},            NamedKind{"elasticsearch", RuntimeKind::elasticsearch},
    NamedKind{"opensearch", RuntimeKind::elasticsearch}, NamedKind{"neo4j", RuntimeKind::neo4j},
    NamedKind{"node", RuntimeKind::node},              NamedKind{"kibana", RuntimeKind::node},
    NamedKind{"openjdk", RuntimeKind::jvm},            NamedKind{"eclipse-temurin", RuntimeKind::jvm},
    NamedKind{"amazoncorretto", RuntimeKind::jvm},     NamedKind{"ibmjava", RuntimeKind::jvm},
    NamedKind{"ibm-semeru-runtimes", RuntimeKind::jvm}, NamedKind{"sapmachine", RuntimeKind::jvm},
    NamedKind{"adoptopenjdk", RuntimeKind::jvm},       NamedKind{"zulu-openjdk", RuntimeKind::jvm},
    NamedKind{"logstash", RuntimeKind::jvm},           NamedKind{"kafka", RuntimeKind::jvm},
    NamedKind{"cp-kafka", RuntimeKind::jvm},           NamedKind{"cp-server", RuntimeKind::jvm},
    NamedKind{"zookeeper", RuntimeKind::jvm},          NamedKind{"cp-zookeeper", RuntimeKind::jvm},
    NamedKind{"cassandra", RuntimeKind::jvm},          NamedKind{"tomcat", RuntimeKind::jvm},
    NamedKind{"jetty", RuntimeKind::jvm},              NamedKind{"keycloak", RuntimeKind::jvm},
    NamedKind{"solr", RuntimeKind::jvm},               NamedKind{"jenkins", RuntimeKind::jvm},
    NamedKind{"sonarqube", RuntimeKind::jvm},          NamedKind{"flink", RuntimeKind::jvm},
};

constexpr std::array k_program_kinds{
    NamedKind{"java", RuntimeKind::jvm},           NamedKind{"redis-server", RuntimeKind::redis},
    NamedKind{"valkey-server", RuntimeKind::redis}, NamedKind{"keydb-server", RuntimeKind::redis},
    NamedKind{"postgres", RuntimeKind::postgres},  NamedKind{"postmaster", RuntimeKind::postgres},
    NamedKind{"node", RuntimeKind::node},          NamedKind{"nodejs", RuntimeKind::node},
};

// Variables only one runtime reads. Order matters: the first match wins, so
// the specific Elasticsearch variables come before the generic JVM ones.
constexpr std::array k_environment_kinds{
    NamedKind{"ES_JAVA_OPTS", RuntimeKind::elasticsearch},
    NamedKind{"OPENSEARCH_JAVA_OPTS", RuntimeKind::elasticsearch},
    NamedKind{"NEO4J_server_memory_heap_max__size", RuntimeKind::neo4j},
    NamedKind{"NEO4J_dbms_memory_heap_max__size", RuntimeKind::neo4j},
    NamedKind{"NEO4J_server_memory_pagecache_size", RuntimeKind::neo4j},
    NamedKind{"NEO4J_dbms_memory_pagecache_size", RuntimeKind::neo4j},
    NamedKind{"POSTGRES_SHARED_BUFFERS", RuntimeKind::postgres},
    NamedKind{"POSTGRESQL_SHARED_BUFFERS", RuntimeKind::postgres},
    NamedKind{"REDIS_ARGS", RuntimeKind::redis},
    NamedKind{"REDIS_EXTRA_FLAGS", RuntimeKind::redis},
    NamedKind{"LS_JAVA_OPTS", RuntimeKind::jvm},
    NamedKind{"KAFKA_HEAP_OPTS", RuntimeKind::jvm},
    NamedKind{"CATALINA_OPTS", RuntimeKind::jvm},
    NamedKind{"JAVA_OPTS", RuntimeKind::jvm},
    NamedKind{"JAVA_TOOL_OPTIONS", RuntimeKind::jvm},
    NamedKind{"JDK_JAVA_OPTIONS", RuntimeKind::jvm},
    NamedKind{"_JAVA_OPTIONS", RuntimeKind::jvm},
    NamedKind{"NODE_OPTIONS", RuntimeKind::node},
};

template <std::size_t N>
RuntimeKind lookup(const std::array<NamedKind, N>& table, std::string_view name) {
  for (const auto& entry : table) {
    if (entry.name == name) return entry.kind;
  }
  return RuntimeKind::unknown;
}

bool starts_a_program(const std::vector<std::string>& words, std::size_t i) {
  if (i == 0) return true;
  const std::string& before = words[i - 1];
  return before == "-c" || before == "exec" || before == "&&" || before == ";" || before == "||";
}

}  // namespace

std::string image_base_name(std::string_view image) {
  if (auto at = image.find('@'); at != std::string_view::npos) image = image.substr(0, at);
  if (auto slash = image.rfind('/'); slash != std::string_view::npos) image = image.substr(slash + 1);
  if (auto colon = image.find(':'); colon != std::string_view::npos) image = image.substr(0, colon);
  std::string out(image);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

RuntimeKind kind_from_image(std::string_view image) {
  return lookup(k_image_kinds, image_base_name(image));
}

RuntimeKind kind_from_command(const std::vector<std::string>& words) {
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (!starts_a_program(words, i)) continue;
    std::string_view program = words[i];
    if (auto slash = program.rfind('/'); slash != std::string_view::npos) program = program.substr(slash + 1);
    if (RuntimeKind kind = lookup(k_program_kinds, program); kind != RuntimeKind::unknown) return kind;
  }
  return RuntimeKind::unknown;
}

RuntimeKind kind_from_environment(const KeyValues& environment) {
  for (const auto& entry : k_environment_kinds) {
    for (const auto& [name, value] : environment) {
      if (name == entry.name) return entry.kind;
    }
  }
  return RuntimeKind::unknown;
}

}  // namespace stackfit
