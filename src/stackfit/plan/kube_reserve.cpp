#include "stackfit/plan/kube_reserve.hpp"

#include <algorithm>
#include <array>

#include "stackfit/plan/machine_catalog.hpp"

namespace stackfit {
namespace {

// A tiered percentage: `percent_x100` (hundredths of a percent) of the part of
// `amount` in each tier [from, to).
struct Tier {
  std::int64_t from;
  std::int64_t to;  // -1: no upper end
  std::int64_t basis_points;
};

std::int64_t tiered(std::int64_t amount, const Tier* tiers, std::size_t count) {
  std::int64_t total = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const Tier& t = tiers[i];
    if (amount <= t.from) break;
    std::int64_t top = t.to < 0 ? amount : std::min(amount, t.to);
    // Integer arithmetic, rounded down like kubelet quantities are.
    total += (top - t.from) / 10000 * t.basis_points + (top - t.from) % 10000 * t.basis_points / 10000;
  }
  return total;
}

}  // namespace

Bytes gke_reserved_memory(Bytes capacity) {
  if (capacity.count < k_gib) return Bytes{255 * k_mib};
  static constexpr std::array k_tiers{
      Tier{0, 4 * k_gib, 2500},          Tier{4 * k_gib, 8 * k_gib, 2000},     Tier{8 * k_gib, 16 * k_gib, 1000},
      Tier{16 * k_gib, 128 * k_gib, 600}, Tier{128 * k_gib, -1, 200},
  };
  return Bytes{tiered(capacity.count, k_tiers.data(), k_tiers.size())};
}

Bytes eks_reserved_memory(std::int64_t max_pods) { return Bytes{(11 * std::max<std::int64_t>(max_pods, 0) + 255) * k_mib}; }

Millicores kube_reserved_cpu(Millicores capacity) {
  static constexpr std::array k_tiers{
      Tier{0, 1000, 600}, Tier{1000, 2000, 100}, Tier{2000, 4000, 50}, Tier{4000, -1, 25},
  };
  return Millicores{tiered(capacity.count, k_tiers.data(), k_tiers.size())};
}

const char* to_string(KubeReserveFormula f) { return f == KubeReserveFormula::eks ? "eks" : "gke"; }

NodeAllocatable node_allocatable(const Machine& machine) {
  NodeAllocatable a;
  a.formula = machine.max_pods ? KubeReserveFormula::eks : KubeReserveFormula::gke;
  Bytes kube = machine.max_pods ? eks_reserved_memory(*machine.max_pods) : gke_reserved_memory(machine.memory);
  a.reserved_memory = kube + k_kubelet_eviction_threshold;
  a.reserved_cpu = kube_reserved_cpu(machine.cpus);
  a.memory = machine.memory > a.reserved_memory ? machine.memory - a.reserved_memory : Bytes{0};
  a.cpu = machine.cpus > a.reserved_cpu ? machine.cpus - a.reserved_cpu : Millicores{0};
  return a;
}

}  // namespace stackfit
