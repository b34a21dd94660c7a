#include "stackfit/analyze/stack_verify.hpp"

#include <algorithm>
#include <tuple>

namespace stackfit {
namespace {

template <class Q>
std::optional<std::int64_t> count_of(const std::optional<Q>& q) {
  if (!q) return std::nullopt;
  return q->count;
}

}  // namespace

const char* to_string(VerifyField f) {
  switch (f) {
    case VerifyField::memory_limit: return "memory_limit";
    case VerifyField::memory_reservation: return "memory_reservation";
    case VerifyField::cpu_limit: return "cpu_limit";
  }
  return "?";
}

const char* unit_of(VerifyField f) { return f == VerifyField::cpu_limit ? "millicores" : "bytes"; }

VerifyOutcome verify_stack(const Stack& stack, const std::vector<ContainerInfo>& running) {
  VerifyOutcome out;
  out.project = stack.name;
  std::vector<const ContainerInfo*> sorted;
  for (const ContainerInfo& c : running) sorted.push_back(&c);
  std::sort(sorted.begin(), sorted.end(), [](const ContainerInfo* a, const ContainerInfo* b) {
    return std::tie(a->service, a->container_number, a->name) < std::tie(b->service, b->container_number, b->name);
  });
  for (const Service& s : stack.services) {
    bool any = false;
    for (const ContainerInfo* c : sorted) {
      if (c->service != s.name) continue;
      any = true;
      out.checked.push_back({c->service, c->name, c->id});
      const std::pair<VerifyField, std::pair<std::optional<std::int64_t>, std::optional<std::int64_t>>> fields[] = {
          {VerifyField::memory_limit, {count_of(s.resources.memory_limit), count_of(c->declared.memory_limit)}},
          {VerifyField::memory_reservation,
           {count_of(s.resources.memory_request), count_of(c->declared.memory_request)}},
          {VerifyField::cpu_limit, {count_of(s.resources.cpu_limit), count_of(c->declared.cpu_limit)}},
      };
      for (const auto& [field, values] : fields) {
        if (values.first != values.second) {
          out.mismatches.push_back({c->service, c->name, c->id, field, values.first, values.second});
        }
      }
    }
    if (!any) out.not_running.push_back(s.name);
  }
  for (const ContainerInfo* c : sorted) {
    bool declared = std::any_of(stack.services.begin(), stack.services.end(),
                                [&](const Service& s) { return s.name == c->service; });
    if (!declared) out.undeclared.push_back({c->service, c->name, c->id});
  }
  return out;
}

}  // namespace stackfit
