// Machines a stack may have to fit: cloud instances and local targets, with
// memory, vCPUs, price and what the OS and container engine keep.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stackfit/model/quantity.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

struct Machine {
  std::string name;               // "t3.micro", "docker-desktop-4g"
  std::string description;        // "AWS t3.micro (2 vCPU, 1 GiB)"
  Bytes memory;                   // what the machine (or VM cap) has
  Millicores cpus;
  std::optional<double> price_per_hour_usd;  // on-demand, Linux; none for local targets
  std::string price_source;       // where the price was read
  std::string price_as_of;        // "2024-06": list price known as of then, not fetched ("" unknown)
  Bytes os_reserve;               // kept by OS + engine by default (docs/machines.md)
  // Pods the node may run (AWS VPC CNI ENI limit, eni-max-pods.txt); when set,
  // the node's kubelet reserve follows the EKS formula, else the GKE formula
  // (plan/kube_reserve.hpp).
  std::optional<std::int64_t> max_pods;
};

// What the OS and container engine keep on a machine of `memory` when the
// catalog gives no figure: 128 MiB + memory/8, at most 2 GiB (256 MiB on a
// 1 GiB VM, 640 MiB on 4 GiB). docs/machines.md explains the choice.
[[nodiscard]] Bytes default_os_reserve(Bytes memory);

class MachineCatalog {
 public:
  // The built-in catalog (plan/machine_catalog.cpp documents each figure).
  [[nodiscard]] static MachineCatalog builtin();
  // Adds or replaces machines from a user YAML file:
  //   machines: [{name, memory: 2Gi, cpus: 2, price_per_hour_usd: 0.02, os_reserve: 256Mi}]
  // name, memory (Kubernetes quantity) and cpus (Kubernetes CPU quantity) are
  // required; description, price_per_hour_usd, price_source and os_reserve
  // (default: default_os_reserve) are optional; other keys are errors. On any
  // error (bad_input, "file:line:col: machines[2].memory: reason") the catalog
  // is left unchanged.
  [[nodiscard]] Expected<void> add_from_file(const std::string& path);
  // Same, from text already read; `file` names it in errors.
  [[nodiscard]] Expected<void> add_from_text(std::string_view text, const std::string& file);

  // Case-insensitive lookup; nullptr when absent.
  [[nodiscard]] const Machine* find(std::string_view name) const;
  // find(), plus the parameterised local targets "docker-desktop:6g" (the
  // Docker Desktop VM with its memory slider at 6 GiB) and "wsl2:32g" (WSL 2's
  // default VM, 50% of a 32 GiB host). Unknown names: not_found, "unknown
  // machine \"t3.mcro\" (nearest: t3.micro, t3.nano)".
  [[nodiscard]] Expected<Machine> resolve(std::string_view name) const;
  // Up to `count` catalog names nearest to `name` by edit distance
  // (case-insensitive), closest first; only names within a distance of
  // max(2, |name|/3), so a random word gets no suggestion.
  [[nodiscard]] std::vector<std::string> nearest_names(std::string_view name, std::size_t count = 3) const;
  [[nodiscard]] const std::vector<Machine>& machines() const { return m_machines; }

 private:
  std::vector<Machine> m_machines;
};

}  // namespace stackfit
