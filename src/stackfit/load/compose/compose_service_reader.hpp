// Turns one merged, interpolated Compose service definition into a Service:
// image, replicas, resources (mem_limit, mem_reservation, cpus, cpu_quota /
// cpu_period, deploy.resources), depends_on, healthcheck, labels,
// environment (env_file then environment), command, profiles and priority.
#pragma once

#include <string>

#include "stackfit/load/compose/compose_interpolation.hpp"
#include "stackfit/load/yaml_node.hpp"
#include "stackfit/model/stack.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit::compose {

// Label and x-stackfit field that carry a service's Priority.
inline constexpr std::string_view k_priority_label = "stackfit.priority";

// Reads service `name` whose key sits at `key_location`. `environment` is the
// project environment (process environment over .env): it gives values to
// bare `environment` entries and resolves ${} in env_file files, whose paths
// must already be absolute. Errors are bad_input "file:line:col: path: reason"
// (or not_found for a required env_file that is missing).
[[nodiscard]] Expected<Service> read_service(const std::string& name, const yaml::Node& definition,
                                             const SourceLocation& key_location,
                                             const VariableLookup& environment);

// Whether the service is active: it has no profiles, or one of them is in
// `active`, or `active` holds "*".
[[nodiscard]] bool is_service_active(const std::vector<std::string>& service_profiles,
                                     const std::vector<std::string>& active);

}  // namespace stackfit::compose
