#include "stackfit/plan/container_split.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace stackfit {
namespace {

template <class T>
using Field = std::optional<T> Resources::*;

std::string label(const Service& s) { return (s.namespace_.empty() ? "" : s.namespace_ + "/") + s.name; }

// The recommendation for one container of `s`, if `recs` has one.
const RecommendedTarget* container_rec(const Service& s, const Container& c,
                                       const std::vector<RecommendedTarget>& recs) {
  for (const RecommendedTarget& r : recs) {
    const ResourceTarget& t = r.target;
    if (t.service == s.name && (t.namespace_.empty() || t.namespace_ == s.namespace_) && t.container == c.name) {
      return &r;
    }
  }
  return nullptr;
}

template <class T>
std::int64_t folded(const PodFold& fold, const std::vector<Container>& containers, Field<T> field) {
  auto v = fold(containers).*field;
  return v ? v->count : 0;
}

template <class T>
std::vector<Container> with_values(std::vector<Container> containers, Field<T> field,
                                   const std::vector<std::int64_t>& values) {
  for (std::size_t i = 0; i < containers.size(); ++i) {
    containers[i].resources.*field = values[i] > 0 ? std::optional<T>(T{values[i]}) : std::nullopt;
  }
  return containers;
}

// Rule 2 of the header for one field: new values per container (0 = leave).
template <class T>
Expected<std::vector<std::int64_t>> share(const Service& s, std::int64_t planned, Field<T> field, Field<T> sibling,
                                          std::int64_t preferred_unit, const PodFold& fold) {
  const std::vector<Container>& cs = s.containers;
  std::int64_t declared = folded(fold, cs, field);
  std::int64_t pod = (s.resources.*field) ? (s.resources.*field)->count : 0;
  std::int64_t overhead = std::max<std::int64_t>(0, pod - declared);
  std::int64_t goal = planned - overhead;
  if (goal <= 0) {
    return make_error(ErrorCode::bad_input, "workload \"" + label(s) + "\": the planned value " +
                                                std::to_string(planned) + " is not above the pod's overhead " +
                                                std::to_string(overhead));
  }
  std::vector<std::int64_t> weight(cs.size(), 0);
  if (declared > 0) {
    for (std::size_t i = 0; i < cs.size(); ++i) weight[i] = (cs[i].resources.*field) ? (cs[i].resources.*field)->count : 0;
  } else if (folded(fold, cs, sibling) > 0) {
    for (std::size_t i = 0; i < cs.size(); ++i)
      weight[i] = (cs[i].resources.*sibling) ? (cs[i].resources.*sibling)->count : 0;
  } else {
    for (std::size_t i = 0; i < cs.size(); ++i) weight[i] = cs[i].role == ContainerRole::app ? 1 : 0;
  }
  std::int64_t total_weight = folded(fold, with_values<T>(cs, field, weight), field);
  if (total_weight <= 0) return std::vector<std::int64_t>(cs.size(), 0);
  const std::int64_t unit = goal % preferred_unit == 0 ? preferred_unit : 1;
  std::vector<std::int64_t> value(cs.size(), 0);
  for (std::size_t i = 0; i < cs.size(); ++i) {
    if (weight[i] <= 0) continue;
    long double exact = static_cast<long double>(weight[i]) / static_cast<long double>(total_weight) *
                        static_cast<long double>(goal);
    value[i] = std::max<std::int64_t>(unit, static_cast<std::int64_t>(std::floor(exact / unit)) * unit);
  }
  auto fold_of = [&] { return folded(fold, with_values<T>(cs, field, value), field); };
  // Candidates for the correction, largest first: the one that decides the fold moves it.
  std::vector<std::size_t> order(cs.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return value[a] > value[b]; });
  // Rounding up to one unit may overshoot: take it back from the largest.
  for (std::size_t guard = 0; fold_of() > goal && guard < 4 * cs.size(); ++guard) {
    for (std::size_t i : order) {
      if (value[i] <= unit) continue;
      std::int64_t before = fold_of();
      value[i] -= std::min(before - goal, value[i] - unit);
      if (fold_of() < before) break;
    }
  }
  std::int64_t now = fold_of();
  if (now < goal) {
    for (std::size_t i : order) {
      if (weight[i] <= 0) continue;
      value[i] += goal - now;
      if (fold_of() == goal) break;
      value[i] -= goal - now;
    }
  }
  return value;
}

template <class T>
Expected<void> split_field(const Service& s, const ResourceTarget& t, Field<T> field, Field<T> sibling,
                           std::int64_t preferred_unit, const std::vector<RecommendedTarget>& recs,
                           const PodFold& fold, std::vector<Resources>& out) {
  if (!(t.resources.*field)) return {};
  bool from_recs = false;
  for (std::size_t i = 0; i < s.containers.size(); ++i) {
    const RecommendedTarget* r = container_rec(s, s.containers[i], recs);
    if (r && (r->target.resources.*field)) {
      out[i].*field = r->target.resources.*field;
      from_recs = true;
    }
  }
  if (from_recs) return {};
  auto values = share<T>(s, (t.resources.*field)->count, field, sibling, preferred_unit, fold);
  TRY(values);
  for (std::size_t i = 0; i < s.containers.size(); ++i) {
    if ((*values)[i] > 0) out[i].*field = T{(*values)[i]};
  }
  return {};
}

// Rule 3: request never above limit, per container, after the split.
template <class T>
void clamp_request(const Container& c, Resources& out, Field<T> request, Field<T> limit) {
  auto req = (out.*request) ? out.*request : c.resources.*request;
  auto lim = (out.*limit) ? out.*limit : c.resources.*limit;
  if (req && lim && lim->count > 0 && *req > *lim) out.*request = lim;
}

// Only what differs from the declared value stays set.
template <class T>
void drop_unchanged(const Container& c, Resources& out, Field<T> field) {
  if ((out.*field) && out.*field == c.resources.*field) out.*field = std::nullopt;
}

Expected<void> split_one(const Service& s, const ResourceTarget& t, const std::vector<RecommendedTarget>& recs,
                         const PodFold& fold, std::vector<ResourceTarget>& out) {
  std::vector<Resources> values(s.containers.size());
  if (auto ok = split_field<Bytes>(s, t, &Resources::memory_request, &Resources::memory_limit, k_mib, recs, fold,
                                   values);
      !ok)
    return ok;
  if (auto ok = split_field<Bytes>(s, t, &Resources::memory_limit, &Resources::memory_request, k_mib, recs, fold,
                                   values);
      !ok)
    return ok;
  if (auto ok = split_field<Millicores>(s, t, &Resources::cpu_request, &Resources::cpu_limit, 1, recs, fold, values);
      !ok)
    return ok;
  if (auto ok = split_field<Millicores>(s, t, &Resources::cpu_limit, &Resources::cpu_request, 1, recs, fold, values);
      !ok)
    return ok;
  bool container_knobs = false;
  std::optional<std::size_t> first_app;
  std::size_t begin = out.size();
  for (std::size_t i = 0; i < s.containers.size(); ++i) {
    const Container& c = s.containers[i];
    if (!first_app && c.role == ContainerRole::app) first_app = out.size();
    Resources& r = values[i];
    clamp_request<Bytes>(c, r, &Resources::memory_request, &Resources::memory_limit);
    clamp_request<Millicores>(c, r, &Resources::cpu_request, &Resources::cpu_limit);
    drop_unchanged<Bytes>(c, r, &Resources::memory_request);
    drop_unchanged<Bytes>(c, r, &Resources::memory_limit);
    drop_unchanged<Millicores>(c, r, &Resources::cpu_request);
    drop_unchanged<Millicores>(c, r, &Resources::cpu_limit);
    ResourceTarget ct;
    ct.service = s.name;
    ct.kind = s.kind;
    ct.namespace_ = s.namespace_;
    ct.container = c.name;
    ct.resources = r;
    if (const RecommendedTarget* rec = container_rec(s, c, recs); rec && !rec->target.knobs.empty()) {
      ct.knobs = rec->target.knobs;
      container_knobs = true;
    }
    bool keep = ct.resources != Resources{} || !ct.knobs.empty() || c.role == ContainerRole::app;
    if (keep) out.push_back(std::move(ct));
  }
  // App containers without changes were kept only to carry replicas/knobs.
  std::size_t carrier = first_app.value_or(begin);
  if (carrier < out.size()) {
    if (t.replicas) out[carrier].replicas = t.replicas;
    if (!container_knobs && !t.knobs.empty()) out[carrier].knobs = t.knobs;
  }
  for (std::size_t i = out.size(); i-- > begin;) {
    const ResourceTarget& ct = out[i];
    if (ct.resources == Resources{} && ct.knobs.empty() && !ct.replicas) out.erase(out.begin() + static_cast<long>(i));
  }
  return {};
}

}  // namespace

Expected<std::vector<ResourceTarget>> split_pod_targets(const Stack& stack, const std::vector<ResourceTarget>& targets,
                                                        const std::vector<RecommendedTarget>& recommendations,
                                                        const PodFold& fold) {
  if (stack.kind != StackKind::kubernetes) return targets;
  std::vector<ResourceTarget> out;
  for (const ResourceTarget& t : targets) {
    if (!t.container.empty()) {
      out.push_back(t);
      continue;
    }
    const Service* s = find_workload(stack, t);
    if (s == nullptr) {
      return make_error(ErrorCode::not_found, "workload \"" + (t.namespace_.empty() ? "" : t.namespace_ + "/") +
                                                  t.service + "\" is not in the manifests");
    }
    TRY(split_one(*s, t, recommendations, fold, out));
  }
  return out;
}

}  // namespace stackfit
