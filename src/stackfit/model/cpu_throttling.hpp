// CPU between two readings of one cgroup: the rate of its usage counter,
// and the CFS throttling: how many enforcement periods elapsed and in how
// many of them the cgroup's tasks were throttled (cpu.stat nr_periods /
// nr_throttled / throttled time, see Sample). Shared by record's summary,
// `top`, the store's stream into the recommender, the Prometheus reader and
// the usage rules, so they all count alike.
#pragma once

#include <cstdint>
#include <optional>

#include "stackfit/model/sample.hpp"

namespace stackfit {

// CpuThrottling itself is in sample.hpp (LiveReading carries one); its
// operator+= saturates.

// The increase from `before` to `after` (two readings of the same cgroup in
// time order). nullopt when a counter dropped (the cgroup was recreated: a
// restart) or no period elapsed. Throttled periods above the periods (a
// corrupt or hostile file) are cut to the periods.
[[nodiscard]] std::optional<CpuThrottling> throttling_increase(const Sample& before, const Sample& after);

// The CPU rate between two readings of a usage counter (ns of CPU time at
// two times in ns), in millicores: nullopt when no time elapsed or the
// counter dropped (the cgroup was recreated: a restart) or the differences
// overflow (a hostile file); a rate beyond int64 saturates.
[[nodiscard]] std::optional<Millicores> cpu_rate_between(std::int64_t before_ns, std::int64_t before_cpu_ns,
                                                         std::int64_t after_ns, std::int64_t after_cpu_ns);

// 100 * throttled_periods / periods; nullopt when no period elapsed (no CPU
// limit, or the periods were not recorded: stores before schema version 3).
[[nodiscard]] std::optional<double> throttled_percent(const CpuThrottling& t);

}  // namespace stackfit
