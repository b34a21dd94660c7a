#include "stackfit/plan/pod_packing.hpp"

#include <algorithm>
#include <numeric>

namespace stackfit {
namespace {

bool fits_empty(const PodSize& p, NodeCapacity node) { return p.memory <= node.memory && p.cpu <= node.cpu; }

// Whether `p` fits what is left on a node of a set limited to `limited` pods.
bool fits_on(const PodSize& p, const NodeCapacity& free, bool limited) {
  return p.memory <= free.memory && p.cpu <= free.cpu && (!limited || free.pods > 0);
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return b <= 0 ? 0 : (a + b - 1) / b; }

}  // namespace

Packing first_fit_decreasing(const std::vector<PodSize>& pods, NodeCapacity node) {
  Packing out;
  out.node_of.assign(pods.size(), -1);
  std::vector<std::size_t> order(pods.size());
  std::iota(order.begin(), order.end(), 0);
  // Dominant share, compared without division: a.mem/M vs b.cpu/C etc.
  auto share = [&](const PodSize& p) {
    double m = node.memory.count > 0 ? static_cast<double>(p.memory.count) / static_cast<double>(node.memory.count) : 0;
    double c = node.cpu.count > 0 ? static_cast<double>(p.cpu.count) / static_cast<double>(node.cpu.count) : 0;
    return std::max(m, c);
  };
  std::vector<double> shares(pods.size());
  for (std::size_t i = 0; i < pods.size(); ++i) shares[i] = share(pods[i]);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return shares[a] > shares[b]; });
  for (std::size_t i : order) {
    const PodSize& p = pods[i];
    if (!fits_empty(p, node)) {
      out.unplaceable.push_back(i);
      continue;
    }
    const bool limited = node.pods > 0;
    std::size_t n = 0;
    for (; n < out.free.size(); ++n) {
      if (fits_on(p, out.free[n], limited)) break;
    }
    if (n == out.free.size()) out.free.push_back(node);
    out.free[n].memory = out.free[n].memory - p.memory;
    out.free[n].cpu = out.free[n].cpu - p.cpu;
    if (limited) --out.free[n].pods;
    out.node_of[i] = static_cast<std::int32_t>(n);
  }
  out.nodes = static_cast<std::int64_t>(out.free.size());
  std::sort(out.unplaceable.begin(), out.unplaceable.end());
  return out;
}

std::int64_t packing_lower_bound(const std::vector<PodSize>& pods, NodeCapacity node) {
  std::int64_t memory = 0;
  std::int64_t cpu = 0;
  std::int64_t count = 0;
  for (const PodSize& p : pods) {
    if (!fits_empty(p, node)) continue;
    memory += p.memory.count;
    cpu += p.cpu.count;
    ++count;
  }
  std::int64_t bound = std::max(ceil_div(memory, node.memory.count), ceil_div(cpu, node.cpu.count));
  if (node.pods > 0) bound = std::max(bound, ceil_div(count, node.pods));
  return bound;
}

Fragmentation fragmentation(const std::vector<PodSize>& pods, const Packing& packing) {
  Fragmentation f;
  Bytes smallest_memory{-1};
  Millicores smallest_cpu{-1};
  for (std::size_t i = 0; i < pods.size(); ++i) {
    if (packing.node_of[i] < 0) continue;
    if (smallest_memory.count < 0 || pods[i].memory < smallest_memory) smallest_memory = pods[i].memory;
    if (smallest_cpu.count < 0 || pods[i].cpu < smallest_cpu) smallest_cpu = pods[i].cpu;
  }
  for (const NodeCapacity& n : packing.free) {
    f.free_memory = f.free_memory + n.memory;
    f.free_cpu = f.free_cpu + n.cpu;
    // A node counts as "full" in a dimension when not even the smallest pod
    // of the set fits there any more (and that pod needs some of it).
    bool memory_full = smallest_memory.count > 0 && n.memory < smallest_memory;
    bool cpu_full = smallest_cpu.count > 0 && n.cpu < smallest_cpu;
    if (memory_full && !cpu_full) f.stranded_cpu = f.stranded_cpu + n.cpu;
    if (cpu_full && !memory_full) f.stranded_memory = f.stranded_memory + n.memory;
  }
  return f;
}

}  // namespace stackfit
