// What `stackfit recommend` found: one Recommendation per service of the
// stack (or per workload seen, without one) out of a Recommender that folded
// the history, and the notes about what did not match. emit/recommend_report
// prints it; this file only decides which workloads get which context.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stackfit/analyze/recommendation.hpp"
#include "stackfit/model/stack.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

struct RecommendReport {
  std::string source_kind = "store";  // "store" | "prometheus"
  std::string location;               // store path or server URL
  std::int64_t from_ns = 0;
  std::int64_t to_ns = 0;
  Strategy strategy = Strategy::adaptive;
  Profile profile = Profile::prod;
  std::vector<Recommendation> services;
  // One line each, printed under the table (and as "notes" in JSON), e.g. a
  // recorded service that is no longer in the stack.
  std::vector<std::string> notes;
};

// A workload some history source (store, Prometheus) had points for.
struct SeenWorkload {
  WorkloadKey key;
  std::int64_t samples = 0;
  std::optional<Bytes> memory_limit;  // recorded limit, when the source knows it
};

// The report for the stack's services (in stack order; one row per recorded
// container of a Kubernetes workload) or, without a stack, for every workload
// seen, the recorded limits standing for the declared ones. `overrides`:
// --strategy-for by service name; a name that is no service is a usage error
// "--strategy-for: no service \"NAME\"". The location and window are the
// caller's to fill.
[[nodiscard]] Expected<RecommendReport> assemble_recommend_report(const Recommender& recommender,
                                                                  const std::optional<Stack>& stack,
                                                                  const std::vector<SeenWorkload>& seen,
                                                                  const std::map<std::string, Strategy>& overrides);

// The report for every workload and container a cluster's history had
// (`recommend --prometheus`): declared values are the limits the source
// reported; `overrides` take "name/container" or "name" (every container of
// the workload), and one that matches nothing is a usage error
// "--strategy-for: no workload \"NAME\"". No notes, location or window.
[[nodiscard]] Expected<RecommendReport> assemble_cluster_report(const Recommender& recommender,
                                                                const std::map<std::string, Strategy>& overrides);

}  // namespace stackfit
