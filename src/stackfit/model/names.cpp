#include "stackfit/model/host_facts.hpp"
#include "stackfit/model/resource_target.hpp"
#include "stackfit/model/runtime_hints.hpp"
#include "stackfit/model/stack.hpp"

namespace stackfit {

const char* to_string(RuntimeKind kind) {
  switch (kind) {
    case RuntimeKind::unknown: return "unknown";
    case RuntimeKind::jvm: return "jvm";
    case RuntimeKind::elasticsearch: return "elasticsearch";
    case RuntimeKind::neo4j: return "neo4j";
    case RuntimeKind::postgres: return "postgres";
    case RuntimeKind::redis: return "redis";
    case RuntimeKind::node: return "node";
  }
  return "unknown";
}

const char* to_string(RuntimeKnob knob) {
  switch (knob) {
    case RuntimeKnob::jvm_max_heap: return "jvm_max_heap";
    case RuntimeKnob::elasticsearch_heap: return "elasticsearch_heap";
    case RuntimeKnob::neo4j_heap: return "neo4j_heap";
    case RuntimeKnob::neo4j_pagecache: return "neo4j_pagecache";
    case RuntimeKnob::postgres_shared_buffers: return "postgres_shared_buffers";
    case RuntimeKnob::postgres_effective_cache_size: return "postgres_effective_cache_size";
    case RuntimeKnob::redis_maxmemory: return "redis_maxmemory";
    case RuntimeKnob::node_max_old_space: return "node_max_old_space";
  }
  return "unknown";
}

const char* to_string(Priority p) {
  switch (p) {
    case Priority::critical: return "critical";
    case Priority::normal: return "normal";
    case Priority::optional: return "optional";
  }
  return "normal";
}

const char* to_string(ContainerRole r) {
  switch (r) {
    case ContainerRole::app: return "app";
    case ContainerRole::init: return "init";
    case ContainerRole::sidecar: return "sidecar";
  }
  return "app";
}

}  // namespace stackfit

#include "stackfit/model/sample.hpp"

namespace stackfit {

const char* to_string(EventKind kind) {
  switch (kind) {
    case EventKind::start: return "start";
    case EventKind::die: return "die";
    case EventKind::oom: return "oom";
    case EventKind::destroy: return "destroy";
    case EventKind::restart: return "restart";
    case EventKind::healthy: return "healthy";
    case EventKind::unhealthy: return "unhealthy";
  }
  return "start";
}

}  // namespace stackfit

namespace stackfit {

const char* to_string(EnginePlatform platform) {
  switch (platform) {
    case EnginePlatform::native: return "native";
    case EnginePlatform::docker_desktop: return "docker-desktop";
    case EnginePlatform::wsl2: return "wsl2";
    case EnginePlatform::podman_machine: return "podman-machine";
    case EnginePlatform::colima: return "colima";
    case EnginePlatform::unknown_vm: return "vm";
  }
  return "native";
}

}  // namespace stackfit
