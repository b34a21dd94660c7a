// The embedded SQLite store of recordings: containers, samples and events.
// WAL mode; samples are written in batches inside one transaction each, so
// a crash or kill -9 loses at most the batch being written and never
// corrupts the file. Schema: docs/store-schema.md (versioned with
// PRAGMA user_version).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stackfit/model/sample.hpp"
#include "stackfit/util/error.hpp"

struct sqlite3;

namespace stackfit {

inline constexpr int k_store_schema_version = 1;

// Where `record` writes by default: $XDG_STATE_HOME/stackfit/stackfit.db,
// else $HOME/.local/state/stackfit/stackfit.db.
[[nodiscard]] std::string default_store_path(const std::string& xdg_state_home, const std::string& home);

struct SampleRow {
  std::int64_t container_key = 0;  // containers.key
  Sample sample;
};

class SampleStore {
 public:
  // Opens or creates the store. Errors: io "<path>: cannot open: <reason>",
  // bad_input "<path>: not a stackfit store (...)" for a file that is another
  // SQLite database or not SQLite at all, "<path>: schema version N is newer
  // than this stackfit (1)".
  [[nodiscard]] static Expected<SampleStore> open(const std::string& path);
  SampleStore(SampleStore&&) noexcept;
  SampleStore& operator=(SampleStore&&) noexcept;
  ~SampleStore();

  // Inserts or finds the container row (by engine id) and returns its key.
  [[nodiscard]] Expected<std::int64_t> upsert_container(const ContainerInfo& info, std::int64_t first_seen_ns);
  // Writes one batch in one transaction.
  [[nodiscard]] Expected<void> append_samples(const std::vector<SampleRow>& rows);
  [[nodiscard]] Expected<void> append_event(std::int64_t container_key, const ContainerEvent& event);
  // Deletes samples and events older than `cutoff_ns` (retention, --keep).
  [[nodiscard]] Expected<std::int64_t> prune_before(std::int64_t cutoff_ns);

  struct ServiceSeries {
    std::string project;
    std::string service;
    std::vector<Sample> samples;  // time order, all containers of the service
    std::int64_t oom_kills = 0;   // from oom events and counter increases
    std::int64_t restarts = 0;
  };
  // Everything recorded between two times, grouped by (project, service).
  [[nodiscard]] Expected<std::vector<ServiceSeries>> load_series(std::int64_t from_ns, std::int64_t to_ns);

 private:
  explicit SampleStore(sqlite3* db, std::string path);
  sqlite3* m_db = nullptr;
  std::string m_path;
};

}  // namespace stackfit
