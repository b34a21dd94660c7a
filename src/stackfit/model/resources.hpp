// Declared requests and limits of a container, a service or a pod.
#pragma once

#include <optional>

#include "stackfit/model/quantity.hpp"

namespace stackfit {

// Compose: mem_reservation / deploy.resources.reservations are requests;
// mem_limit / deploy.resources.limits / cpus are limits.
// Kubernetes: resources.requests / resources.limits.
// An empty optional means "not declared", never zero.
struct Resources {
  std::optional<Bytes> memory_request;
  std::optional<Bytes> memory_limit;
  std::optional<Millicores> cpu_request;
  std::optional<Millicores> cpu_limit;

  // Memory the scheduler or the operator must set aside: the limit where one is
  // declared, else the request, else nothing.
  [[nodiscard]] std::optional<Bytes> committed_memory() const {
    return memory_limit ? memory_limit : memory_request;
  }
  friend bool operator==(const Resources&, const Resources&) = default;
};

}  // namespace stackfit
