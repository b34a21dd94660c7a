#include "stackfit/load/compose/compose_resources_reader.hpp"

#include <optional>

#include "stackfit/load/compose/compose_field_readers.hpp"

namespace stackfit::compose {
namespace {

// Docker's default CFS period (microseconds) when cpu_period is not given.
constexpr std::int64_t k_default_cpu_period_us = 100000;

// Docker treats 0 as "no limit"; so does compose-go's consistency check.
template <class T>
std::optional<T> non_zero(std::optional<T> v) {
  if (v && v->count == 0) return std::nullopt;
  return v;
}

Expected<std::optional<Bytes>> optional_bytes(const yaml::Node* parent, std::string_view key,
                                              const std::string& path) {
  const yaml::Node* node = parent ? parent->find(key) : nullptr;
  if (node == nullptr) return std::optional<Bytes>{};
  // compose-go keeps -1 (types.UnitBytes, types/bytes_test.go at d9bc57b:
  // `-1` and `"-1"` both load as -1); Docker refuses it when the container
  // starts. Like 0, it declares no amount (docs/quantities.md).
  if (node->is_scalar() && node->text == "-1") return std::optional<Bytes>{};
  auto v = read_bytes(*node, path + "." + std::string(key));
  TRY(v);
  return non_zero(std::optional<Bytes>(*v));
}

Expected<std::optional<Millicores>> optional_cpus(const yaml::Node* parent, std::string_view key,
                                                  const std::string& path) {
  const yaml::Node* node = parent ? parent->find(key) : nullptr;
  if (node == nullptr) return std::optional<Millicores>{};
  auto v = read_cpus(*node, path + "." + std::string(key));
  TRY(v);
  return non_zero(std::optional<Millicores>(*v));
}

Expected<std::optional<std::int64_t>> optional_integer(const yaml::Node* parent, std::string_view key,
                                                       const std::string& path) {
  const yaml::Node* node = parent ? parent->find(key) : nullptr;
  if (node == nullptr) return std::optional<std::int64_t>{};
  auto v = read_integer(*node, path + "." + std::string(key));
  TRY(v);
  return std::optional<std::int64_t>(*v);
}

// A child that must be a mapping when present; nullptr when absent or null.
Expected<const yaml::Node*> optional_mapping(const yaml::Node* parent, std::string_view key,
                                             const std::string& path) {
  const yaml::Node* node = parent ? parent->find(key) : nullptr;
  if (node == nullptr || node->is_null()) return static_cast<const yaml::Node*>(nullptr);
  TRY(expect_mapping(*node, path + "." + std::string(key)));
  return node;
}

tl::unexpected<Error> distinct(const SourceLocation& at, const std::string& path, const char* legacy,
                               const char* deploy) {
  return make_error(ErrorCode::bad_input, at.to_string() + ": " + path +
                                              ": can't set distinct values on '" + legacy + "' and '" +
                                              deploy + "'");
}

// The deploy section's parts, each nullptr when absent.
struct DeployNodes {
  const yaml::Node* deploy = nullptr;
  const yaml::Node* limits = nullptr;
  const yaml::Node* reservations = nullptr;
};

Expected<DeployNodes> deploy_nodes(const yaml::Node& definition, const std::string& path) {
  DeployNodes d;
  auto deploy = optional_mapping(&definition, "deploy", path);
  TRY(deploy);
  d.deploy = *deploy;
  auto resources = optional_mapping(d.deploy, "resources", path + ".deploy");
  TRY(resources);
  auto limits = optional_mapping(*resources, "limits", path + ".deploy.resources");
  TRY(limits);
  auto reservations = optional_mapping(*resources, "reservations", path + ".deploy.resources");
  TRY(reservations);
  d.limits = *limits;
  d.reservations = *reservations;
  return d;
}

// cpu_quota / cpu_period as a limit in millicores (rounded up); -1 or absent: none.
Expected<std::optional<Millicores>> quota_limit(const yaml::Node& definition, const std::string& path) {
  auto quota = optional_integer(&definition, "cpu_quota", path);
  TRY(quota);
  auto period = optional_integer(&definition, "cpu_period", path);
  TRY(period);
  if (!*quota || **quota <= 0) return std::optional<Millicores>{};
  std::int64_t period_us = period->value_or(k_default_cpu_period_us);
  if (period_us <= 0) {
    return located_error(*definition.find("cpu_period"), path + ".cpu_period",
                         "must be a positive number of microseconds");
  }
  std::int64_t millicores = (**quota * 1000 + period_us - 1) / period_us;
  return std::optional<Millicores>(Millicores{millicores});
}

Expected<void> read_memory(const yaml::Node& def, const std::string& path, const SourceLocation& at,
                           const DeployNodes& d, Resources& out) {
  auto mem_limit = optional_bytes(&def, "mem_limit", path);
  TRY(mem_limit);
  auto deploy_limit = optional_bytes(d.limits, "memory", path + ".deploy.resources.limits");
  TRY(deploy_limit);
  if (*mem_limit && d.limits && *deploy_limit != *mem_limit) {
    return distinct(at, path, "mem_limit", "deploy.resources.limits.memory");
  }
  auto mem_res = optional_bytes(&def, "mem_reservation", path);
  TRY(mem_res);
  auto deploy_res = optional_bytes(d.reservations, "memory", path + ".deploy.resources.reservations");
  TRY(deploy_res);
  if (*mem_res && d.reservations && *deploy_res != *mem_res) {
    return distinct(at, path, "mem_reservation", "deploy.resources.reservations.memory");
  }
  // memswap_limit is not a request or a limit of memory; it is only checked.
  if (const yaml::Node* swap = def.find("memswap_limit"); swap && !(swap->is_scalar() && swap->text == "-1")) {
    TRY(read_bytes(*swap, path + ".memswap_limit"));
  }
  out.memory_limit = *mem_limit ? *mem_limit : *deploy_limit;
  out.memory_request = *mem_res ? *mem_res : *deploy_res;
  return {};
}

Expected<void> read_cpu(const yaml::Node& def, const std::string& path, const SourceLocation& at,
                        const DeployNodes& d, Resources& out) {
  auto cpus = optional_cpus(&def, "cpus", path);
  TRY(cpus);
  auto deploy_limit = optional_cpus(d.limits, "cpus", path + ".deploy.resources.limits");
  TRY(deploy_limit);
  if (*cpus && d.limits && *deploy_limit != *cpus) {
    return distinct(at, path, "cpus", "deploy.resources.limits.cpus");
  }
  auto quota = quota_limit(def, path);
  TRY(quota);
  auto deploy_res = optional_cpus(d.reservations, "cpus", path + ".deploy.resources.reservations");
  TRY(deploy_res);
  out.cpu_limit = *cpus ? *cpus : (*deploy_limit ? *deploy_limit : *quota);
  out.cpu_request = *deploy_res;
  return {};
}

Expected<std::int64_t> read_replicas(const yaml::Node& def, const std::string& path,
                                     const SourceLocation& at, const DeployNodes& d) {
  auto scale = optional_integer(&def, "scale", path);
  TRY(scale);
  auto replicas = optional_integer(d.deploy, "replicas", path + ".deploy");
  TRY(replicas);
  if (*scale && *replicas && **scale != **replicas) {
    return distinct(at, path, "scale", "deploy.replicas");
  }
  std::int64_t count = scale->value_or(replicas->value_or(1));
  if (count < 0) {
    const yaml::Node* node = *scale ? def.find("scale") : d.deploy->find("replicas");
    return located_error(*node, *scale ? path + ".scale" : path + ".deploy.replicas",
                         "must not be negative, got " + std::to_string(count));
  }
  return count;
}

bool has_key(const yaml::Node* parent, std::string_view key) {
  return parent != nullptr && parent->find(key) != nullptr;
}

ComposeKeys used_keys(const yaml::Node& def, const DeployNodes& d) {
  ComposeKeys k;
  k.mem_limit = has_key(&def, "mem_limit");
  k.mem_reservation = has_key(&def, "mem_reservation");
  k.cpus = has_key(&def, "cpus");
  k.cpu_quota = has_key(&def, "cpu_quota");
  k.deploy_limits = has_key(d.limits, "memory") || has_key(d.limits, "cpus");
  k.deploy_reservations = has_key(d.reservations, "memory") || has_key(d.reservations, "cpus");
  k.scale = has_key(&def, "scale");
  k.deploy_replicas = has_key(d.deploy, "replicas");
  return k;
}

}  // namespace

Expected<ServiceSizing> read_service_sizing(const yaml::Node& definition, const std::string& path,
                                            const SourceLocation& key_location) {
  auto d = deploy_nodes(definition, path);
  TRY(d);
  ServiceSizing sizing;
  if (auto r = read_memory(definition, path, key_location, *d, sizing.resources); !r) {
    return tl::unexpected(r.error());
  }
  if (auto r = read_cpu(definition, path, key_location, *d, sizing.resources); !r) {
    return tl::unexpected(r.error());
  }
  auto replicas = read_replicas(definition, path, key_location, *d);
  TRY(replicas);
  sizing.replicas = *replicas;
  sizing.keys = used_keys(definition, *d);
  return sizing;
}

}  // namespace stackfit::compose
