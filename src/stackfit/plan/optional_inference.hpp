// What may go when nobody labelled it: option B's candidates inferred from
// the stack itself, for services without a declared `stackfit.priority`
// (Service::priority_declared). Each candidate carries its evidence and a
// confidence below a label's (1.0). Only computes; plan/fit_plan turns the
// candidates into choices of option B's knapsack and into the merge option.
// docs/plan.md ("Inferred candidates") lists the rules and the image catalog.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stackfit/model/stack.hpp"

namespace stackfit {

// Confidence of each kind of evidence (a label is 1.0).
inline constexpr double k_confidence_profile = 0.6;
inline constexpr double k_confidence_catalog_ui = 0.5;
inline constexpr double k_confidence_identical = 0.5;
inline constexpr double k_confidence_merge = 0.3;

enum class InferenceKind {
  profile,     // on only because a non-default profile was activated
  catalog_ui,  // a known monitoring/admin/developer UI that nothing depends on
  identical,   // one of several services from the same image with the same settings
};
[[nodiscard]] const char* to_string(InferenceKind k);

// Services that may be switched off together: one service, or services
// that depend on each other (grafana -> prometheus), so that switching off
// the group never leaves a running service without a dependency.
// Indexes into Stack::services, in declaration order.
struct InferredDropGroup {
  std::vector<std::size_t> services;
  InferenceKind kind = InferenceKind::profile;  // the strongest evidence of the group
  double confidence = 0;
  std::vector<std::string> evidence;  // one line per piece, naming the service
};

// Several identical services (executor-1..3): run fewer of them. `services`
// in the order they would be switched off (profile-only ones first, then the
// last declared); at least one always stays.
struct InferredIdenticalGroup {
  std::vector<std::size_t> services;
  double confidence = k_confidence_identical;
  std::string evidence;
};

// Two (or more) instances of one datastore image: fold `fold` into `keep`.
// Never part of option B: a merge changes what the stack means.
struct InferredMerge {
  std::size_t keep = 0;
  std::size_t fold = 0;
  std::string datastore;  // "Redis", "PostgreSQL", ...
  double confidence = k_confidence_merge;
  std::string evidence;
  std::string risk;       // what the merge puts at stake
};

struct OptionalInference {
  std::vector<InferredDropGroup> drops;
  std::vector<InferredIdenticalGroup> identical;
  std::vector<InferredMerge> merges;
  [[nodiscard]] bool empty() const { return drops.empty() && identical.empty() && merges.empty(); }
};

// The documented catalog: the UI a service's image names ("Flower"), or
// nullopt. Matches the image's repository name without registry, tag or digest.
[[nodiscard]] std::optional<std::string_view> catalog_ui_name(std::string_view image);

// The catalog role of that UI: "monitoring", "admin" or "developer".
[[nodiscard]] std::optional<std::string_view> catalog_ui_role(std::string_view image);

// The datastore an image runs ("Redis", "PostgreSQL", ...), or nullopt.
[[nodiscard]] std::optional<std::string_view> datastore_name(std::string_view image);

// Infers the candidates of `stack`. Services with a declared priority,
// DaemonSets and services with 0 replicas are never candidates. O(n log n +
// depends_on edges) in the services.
[[nodiscard]] OptionalInference infer_optional(const Stack& stack);

}  // namespace stackfit
