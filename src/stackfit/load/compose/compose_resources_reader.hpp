// Reads the sizing fields of a Compose service: mem_limit, mem_reservation,
// memswap_limit (validated only), cpus, cpu_quota / cpu_period,
// deploy.resources.{limits,reservations}.{memory,cpus}, deploy.replicas and
// scale, with compose-go's consistency checks between the legacy fields and
// deploy ("can't set distinct values on ...").
#pragma once

#include <cstdint>
#include <string>

#include "stackfit/load/yaml_node.hpp"
#include "stackfit/model/resources.hpp"
#include "stackfit/model/stack.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit::compose {

struct ServiceSizing {
  Resources resources;
  std::int64_t replicas = 1;
  ComposeKeys keys;  // entrypoint_words left 0: the service reader fills it
};

// `path` is "services.<name>"; `key_location` locates consistency errors.
[[nodiscard]] Expected<ServiceSizing> read_service_sizing(const yaml::Node& definition,
                                                          const std::string& path,
                                                          const SourceLocation& key_location);

}  // namespace stackfit::compose
