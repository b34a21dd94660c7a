#include "stackfit/model/resource_target.hpp"

namespace stackfit {

const Service* find_workload(const Stack& stack, const ResourceTarget& t) {
  for (const Service& s : stack.services) {
    if (s.name != t.service) continue;
    if (!t.namespace_.empty() && s.namespace_ != t.namespace_) continue;
    if (!t.kind.empty() && t.kind != "service" && s.kind != t.kind) continue;
    return &s;
  }
  return nullptr;
}

}  // namespace stackfit
