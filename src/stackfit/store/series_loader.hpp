// Reads recorded history back out of an open store: the queries behind
// SampleStore::load_series.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stackfit/store/sample_store.hpp"
#include "stackfit/util/error.hpp"

struct sqlite3;

namespace stackfit {

// How far before the window load_series looks for each container's previous
// oom_kills reading, so a kill between that reading and the first one in the
// window is counted (ns). Readings older than this are not consulted.
inline constexpr std::int64_t k_counter_lookback_ns = 600'000'000'000;

// SampleStore::load_series over the connection `db` (contract there), or,
// with `visit`, SampleStore::scan_series. One range scan of samples in time
// order (the primary key's order) plus one query over events; memory is
// proportional to the samples in the window, or, with `visit`, to the
// containers.
[[nodiscard]] Expected<std::vector<SampleStore::ServiceSeries>> load_service_series(
    sqlite3* db, const std::string& path, std::int64_t from_ns, std::int64_t to_ns,
    const SampleStore::SampleVisitor* visit = nullptr);

}  // namespace stackfit
