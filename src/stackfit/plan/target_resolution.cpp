#include "stackfit/plan/target_resolution.hpp"

#include "stackfit/plan/kube_reserve.hpp"

namespace stackfit {

Expected<std::optional<ResolvedTarget>> resolve_target(const TargetRequest& request, const MachineCatalog& catalog,
                                                       StackKind kind) {
  std::optional<Bytes> reserve;
  if (!request.reserve.empty()) {
    auto r = parse_memory_argument(request.reserve);
    if (!r) return make_error(ErrorCode::usage, "--reserve: " + r.error().message);
    reserve = *r;
  }
  if (!request.budget.empty()) {
    auto b = parse_memory_argument(request.budget);
    if (!b) return make_error(ErrorCode::usage, "--budget: " + b.error().message);
    Bytes kept = reserve.value_or(Bytes{0});
    if (*b <= kept || b->count == 0) {
      return make_error(ErrorCode::usage, "--budget: " + format_human_bytes(*b) + " is not above the " +
                                              format_human_bytes(kept) +
                                              " reserve kept by OS and engine: nothing is left for containers");
    }
    return ResolvedTarget{"budget " + format_human_bytes(*b), *b, kept, std::nullopt, std::nullopt};
  }
  if (request.machine.empty()) return std::optional<ResolvedTarget>{};
  auto machine = catalog.resolve(request.machine);
  if (!machine) return make_error(machine.error().code, "--machine: " + machine.error().message);
  Bytes machine_reserve =
      kind == StackKind::kubernetes ? node_allocatable(*machine).reserved_memory : machine->os_reserve;
  Bytes kept = reserve.value_or(machine_reserve);
  if (machine->memory <= kept) {
    return make_error(ErrorCode::usage, "--reserve: " + format_human_bytes(kept) + " leaves nothing of the " +
                                            format_human_bytes(machine->memory) + " of " + machine->name);
  }
  return ResolvedTarget{machine->name, machine->memory, kept, machine->cpus, machine->price_per_hour_usd};
}

}  // namespace stackfit
