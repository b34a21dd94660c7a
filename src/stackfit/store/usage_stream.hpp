// Streams recorded history into a UsageSink without holding the window's
// samples in memory: one range scan of `samples` in primary-key order
// (time, container), the window's start and oom events merged in by time.
// What reaches the sink, per container (instance = the container's key):
//  - memory_limit() once, before its first sample, when containers.mem_limit_bytes is set;
//    cpu_limit() likewise from containers.cpu_limit_millicores;
//  - start() at its first sample in the window, unless a `start` event came
//    first, and at every `start` event (a later one is a restart);
//  - memory() for every sample (working set);
//  - cpu() from consecutive cpu_usage_ns readings of the same container,
//    rate = delta CPU ns * 1000 / delta ns; a drop (counter reset) is skipped,
//    as analyze/usage_summary does;
//  - cpu_throttling() from consecutive readings of the same container whose
//    cpu_periods moved (model/cpu_throttling.hpp; a reset is skipped; rows
//    of schema version 2 have no periods and give none);
//  - oom_kill() for each increase of the oom_kills counter (a drop counts the
//    new value, as Prometheus increase() does; the reading up to
//    k_counter_lookback_ns before the window is the baseline), and at the end
//    one more for each `oom` event beyond what the counter showed (the store's
//    rule: per container the larger of the two, docs/store-schema.md).
// Memory: one small struct per container, plus the window's start/oom events.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stackfit/model/usage_sink.hpp"
#include "stackfit/util/error.hpp"

struct sqlite3;

namespace stackfit {

struct UsageStreamFilter {
  std::optional<std::string> project;  // only containers of this Compose project
};

struct StreamedService {
  std::string project;
  std::string service;
  std::int64_t samples = 0;
  std::optional<Bytes> memory_limit;  // largest declared limit among its containers
};

struct UsageStreamStats {
  std::int64_t rows = 0;  // samples pushed
  std::vector<StreamedService> services;  // with samples in the window, sorted by project, service
  std::vector<std::string> projects;      // every project with samples in the window (before the filter)
};

// Keys pushed: Compose {"", "service", service, ""}. Errors: sqlite_error texts.
[[nodiscard]] Expected<UsageStreamStats> stream_usage(sqlite3* db, const std::string& path, std::int64_t from_ns,
                                                     std::int64_t to_ns, const UsageStreamFilter& filter,
                                                     UsageSink& sink);

}  // namespace stackfit
