#include "stackfit/load/kube/pod_resources.hpp"

namespace stackfit::kube {
namespace {

// addResourceList on one resource: absent + x = x.
template <class T>
void add_to(std::optional<T>& total, const std::optional<T>& value) {
  if (!value) return;
  total = total ? saturating_add(*total, *value) : *value;
}

// maxResourceList on one resource: absent loses to any value.
template <class T>
void max_into(std::optional<T>& total, const std::optional<T>& value) {
  if (value && (!total || *value > *total)) total = value;
}

// aggregateContainerResourcesByFn for the member `field` of Resources.
template <class T>
std::optional<T> aggregate(const std::vector<Container>& containers, std::optional<T> Resources::*field) {
  std::optional<T> result;
  std::optional<T> sidecars;  // sidecars seen so far, in spec order
  std::optional<T> init_peak;
  for (const Container& c : containers) {
    const std::optional<T>& value = c.resources.*field;
    switch (c.role) {
      case ContainerRole::app:
        add_to(result, value);
        break;
      case ContainerRole::sidecar:
        add_to(result, value);
        add_to(sidecars, value);
        max_into(init_peak, sidecars);
        break;
      case ContainerRole::init: {
        std::optional<T> step = value;
        add_to(step, sidecars);
        max_into(init_peak, step);
        break;
      }
    }
  }
  max_into(result, init_peak);
  return result;
}

// Pod-level request/limit replace the aggregate; a pod-level limit alone
// defaults the request to the aggregate request, else to the limit.
template <class T>
void apply_pod_level(std::optional<T>& request, std::optional<T>& limit, const std::optional<T>& level_request,
                     const std::optional<T>& level_limit) {
  if (level_request) {
    request = level_request;
  } else if (level_limit && !request) {
    request = level_limit;
  }
  if (level_limit) limit = level_limit;
}

template <class T>
bool is_zero(const T& v) {
  return v.count == 0;
}

}  // namespace

Resources effective_pod_resources(const std::vector<Container>& containers, const PodLevel& pod_level) {
  Resources pod;
  pod.memory_request = aggregate(containers, &Resources::memory_request);
  pod.cpu_request = aggregate(containers, &Resources::cpu_request);
  pod.memory_limit = aggregate(containers, &Resources::memory_limit);
  pod.cpu_limit = aggregate(containers, &Resources::cpu_limit);

  const Resources& level = pod_level.resources;
  apply_pod_level(pod.memory_request, pod.memory_limit, level.memory_request, level.memory_limit);
  apply_pod_level(pod.cpu_request, pod.cpu_limit, level.cpu_request, level.cpu_limit);

  const PodOverhead& overhead = pod_level.overhead;
  add_to(pod.memory_request, overhead.memory);
  add_to(pod.cpu_request, overhead.cpu);
  // PodLimits adds the overhead only to limits that exist and are non-zero:
  // an unlimited pod stays unlimited.
  if (pod.memory_limit && !is_zero(*pod.memory_limit)) add_to(pod.memory_limit, overhead.memory);
  if (pod.cpu_limit && !is_zero(*pod.cpu_limit)) add_to(pod.cpu_limit, overhead.cpu);
  return pod;
}

}  // namespace stackfit::kube
