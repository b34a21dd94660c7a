// A container as the recorder stores it (SampleStore::upsert_container), for
// the store's tests: Compose labels, an image, a cgroupfs-driver path.
#pragma once

#include <string>

#include "stackfit/model/sample.hpp"

namespace stackfit::testing {

inline ContainerInfo recorded_container(const std::string& id, const std::string& project,
                                        const std::string& service) {
  ContainerInfo info;
  info.id = id;
  info.name = project + "-" + service + "-1";
  info.project = project;
  info.service = service;
  info.container_number = 1;
  info.image = "redis:7";
  info.cgroup_path = "/docker/" + id;
  return info;
}

}  // namespace stackfit::testing
