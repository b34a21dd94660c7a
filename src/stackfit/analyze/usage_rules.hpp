// The usage rules of `check --db`: the alerts people write by hand, judged
// from recorded history against what each container declared (docs/rules.md,
// "Usage rules"):
//   cpu-near-limit           CPU at or above 80 % of the CPU limit for a
//                            sustained window (consecutive readings)
//   memory-near-limit        peak working set within 10 % of the memory limit
//   usage-below-reservation  peak working set, or average CPU, under 30 % of
//                            the request (scale down); only over a history at
//                            least as long as the sustained window
// Samples are streamed in (memory: one small struct per container). Only
// computes; emit/ presents the findings.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stackfit/analyze/finding.hpp"
#include "stackfit/model/resources.hpp"
#include "stackfit/model/sample.hpp"

namespace stackfit {

struct UsageRuleOptions {
  double cpu_limit_share = 0.80;    // cpu-near-limit: rate >= this x limit ...
  std::int64_t sustained_ns = 300LL * 1'000'000'000;  // ... for at least this long (--sustained)
  double memory_limit_share = 0.90; // memory-near-limit: peak >= this x limit
  double reservation_share = 0.30;  // usage-below-reservation: use < this x request
};

class UsageRuleChecker {
 public:
  explicit UsageRuleChecker(UsageRuleOptions options) : m_options(options) {}
  // A container and what it declared, before its samples.
  void container(std::int64_t key, const std::string& service, const Resources& declared);
  // One reading of a known container; each container's in time order.
  void sample(std::int64_t key, const Sample& s);
  // Findings per service (sorted by service, then rule): at most one per
  // rule and resource.
  [[nodiscard]] std::vector<Finding> findings() const;

 private:
  struct Container {
    std::string service;
    Resources declared;
    bool has_previous = false;
    std::int64_t first_ns = 0, previous_ns = 0, previous_cpu_ns = 0;
    std::int64_t cpu_ns = 0, cpu_span_ns = 0;  // CPU used over the intervals with a rate
    std::optional<std::int64_t> run_start_ns;  // the current run of readings above the CPU share
    std::int64_t longest_run_ns = 0;
    Bytes peak;
  };
  void track_cpu(Container& c, const Sample& s);
  void add_findings(const Container& c, std::vector<Finding>& out) const;
  UsageRuleOptions m_options;
  std::map<std::int64_t, Container> m_containers;
};

}  // namespace stackfit
