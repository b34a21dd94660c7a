// CFS throttling between two readings of one cgroup: how many enforcement
// periods elapsed and in how many of them the cgroup's tasks were
// throttled (cpu.stat nr_periods / nr_throttled / throttled time, see
// Sample). Shared by record's summary, `top`, the store's stream into the
// recommender and the usage rules, so they all count alike.
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

// 100 * throttled_periods / periods; nullopt when no period elapsed (no CPU
// limit, or the periods were not recorded: stores before schema version 3).
[[nodiscard]] std::optional<double> throttled_percent(const CpuThrottling& t);

}  // namespace stackfit
