// Reads recorded history back out of an open store: the queries behind
// SampleStore::load_series and the container list retention walks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stackfit/store/sample_store.hpp"
#include "stackfit/util/error.hpp"

struct sqlite3;

namespace stackfit {

// Every containers.key, ascending. Errors: "<path>: cannot read: <reason>".
[[nodiscard]] Expected<std::vector<std::int64_t>> load_container_keys(sqlite3* db, const std::string& path);

// SampleStore::load_series over the connection `db` (contract there). Reads
// each container's samples by primary-key range and merges them per service
// in time order; memory is proportional to the samples in the window.
[[nodiscard]] Expected<std::vector<SampleStore::ServiceSeries>> load_service_series(sqlite3* db,
                                                                                  const std::string& path,
                                                                                  std::int64_t from_ns,
                                                                                  std::int64_t to_ns);

}  // namespace stackfit
