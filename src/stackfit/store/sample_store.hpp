// The embedded SQLite store of recordings: containers, samples and events.
// WAL mode; samples are written in batches inside one transaction each, so
// a crash or kill -9 loses at most the batch being written and never
// corrupts the file. Schema: docs/store-schema.md (versioned with
// PRAGMA user_version, stamped with PRAGMA application_id; store_schema.hpp).
//
// Not thread-safe: one SampleStore per thread. Several processes may open
// the same file; a writer waits up to k_store_busy_timeout_ms for a lock.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stackfit/model/container_lifecycle.hpp"
#include "stackfit/model/sample.hpp"
#include "stackfit/store/usage_stream.hpp"
#include "stackfit/util/error.hpp"

struct sqlite3;

namespace stackfit {

inline constexpr int k_store_schema_version = 3;

// Where `record` writes by default: $XDG_STATE_HOME/stackfit/stackfit.db,
// else $HOME/.local/state/stackfit/stackfit.db, else stackfit.db in the
// working folder. A relative XDG_STATE_HOME is ignored, as the XDG spec says.
[[nodiscard]] std::string default_store_path(const std::string& xdg_state_home, const std::string& home);

// Whether open() may create the folder that holds the file. Only the default
// path gets its folder created (ParentFolder::create); a path the user typed
// with --db must be in an existing folder, so a typo is an error rather than
// a new tree somewhere unexpected.
enum class ParentFolder { must_exist, create };

struct SampleRow {
  std::int64_t container_key = 0;  // containers.key
  Sample sample;
};

class SampleStore {
 public:
  // Opens or creates the store. Errors (one line each):
  //   io        "<path>: cannot open: <reason>" (missing folder, a path under
  //             a file, no permission; reason is the OS's text)
  //   bad_input "<path>: not a stackfit store (application_id 0x1234abcd)"
  //             for another application's SQLite database,
  //             "<path>: not a stackfit store (file is not a database)" for a
  //             file that is not SQLite at all,
  //             "<path>: schema version N is newer than this stackfit (1)".
  //   io        "<path>: cannot open: is a symbolic link (name the store's own path)".
  // A refused file is never written to. A new store is created 0600.
  [[nodiscard]] static Expected<SampleStore> open(const std::string& path,
                                                  ParentFolder parent = ParentFolder::must_exist);
  SampleStore(SampleStore&&) noexcept;
  SampleStore& operator=(SampleStore&&) noexcept;
  ~SampleStore();

  // Inserts or finds the container row (by engine id) and returns its key.
  // An existing row takes the new name, labels, limits and cgroup path and
  // keeps the earliest first_seen_ns (Unix epoch ns).
  [[nodiscard]] Expected<std::int64_t> upsert_container(const ContainerInfo& info, std::int64_t first_seen_ns);
  // Writes one batch in one transaction: all rows or none. A row with the
  // same (container_key, time_ns) as a stored one replaces it. Also moves
  // containers.last_seen_ns forward, at most once per k_last_seen_step_ns. Keys must come
  // from upsert_container. Write errors: io "<path>: cannot write: <reason>",
  // e.g. "database or disk is full"; the batch is then rolled back.
  [[nodiscard]] Expected<void> append_samples(const std::vector<SampleRow>& rows);
  // Stores one event (its container_id is not used: the key says which).
  [[nodiscard]] Expected<void> append_event(std::int64_t container_key, const ContainerEvent& event);
  // Deletes samples and events with time_ns < `cutoff_ns` (retention,
  // --keep), then containers whose last_seen_ns is more than
  // k_last_seen_step_ns before the cutoff and that have no events left (so
  // never one that still has samples). One transaction. Returns the number
  // of samples and events deleted. Freed pages are reused by later writes,
  // so the file stops growing; it does not shrink.
  [[nodiscard]] Expected<std::int64_t> prune_before(std::int64_t cutoff_ns);

  struct ServiceSeries {
    std::string project;
    std::string service;
    std::vector<Sample> samples;  // time order, all containers of the service
    std::vector<std::int64_t> container_keys;  // parallel to samples: which container each came from
    std::optional<Bytes> memory_limit;  // largest declared memory limit among its containers
    std::int64_t oom_kills = 0;   // from oom events and counter increases
    std::int64_t restarts = 0;
  };
  // Everything recorded with from_ns <= time_ns <= to_ns, grouped by
  // (project, service), sorted by project then service; services with
  // neither samples nor events in the window are left out. OOM kills and
  // restarts follow lifecycle_counts.hpp: per container the larger of the
  // two sources, summed over the service's containers.
  [[nodiscard]] Expected<std::vector<ServiceSeries>> load_series(std::int64_t from_ns, std::int64_t to_ns);
  // The same scan without keeping the samples: each is handed to `visit` with
  // its service (samples and container_keys empty there) and container key,
  // in time order; the series returned have no samples. Memory does not grow
  // with the window. `passes` scans of one snapshot (one read transaction),
  // each calling visit(pass, ...) with pass 0, 1, ...: `record`'s summary
  // takes two for exact p95s (analyze/two_pass_percentile.hpp).
  using SampleVisitor =
      std::function<void(const ServiceSeries& series, std::int64_t container_key, const Sample& sample)>;
  using PassVisitor = std::function<void(int pass, const ServiceSeries& series, std::int64_t container_key,
                                         const Sample& sample)>;
  [[nodiscard]] Expected<std::vector<ServiceSeries>> scan_series(std::int64_t from_ns, std::int64_t to_ns,
                                                                 int passes, const PassVisitor& visit);

  // Streams the window into `sink` (store/usage_stream.hpp), inside one read
  // transaction; memory does not grow with the window.
  [[nodiscard]] Expected<UsageStreamStats> stream_usage(std::int64_t from_ns, std::int64_t to_ns,
                                                        const UsageStreamFilter& filter, UsageSink& sink);
  // Container starts (`start` events) with from_ns <= time_ns <= to_ns, in
  // time order (store/container_starts.cpp).
  [[nodiscard]] Expected<std::vector<ContainerStart>> load_starts(std::int64_t from_ns, std::int64_t to_ns);
  // `healthy` and `unhealthy` events with from_ns <= time_ns <= to_ns, in
  // time order (store/container_starts.cpp).
  [[nodiscard]] Expected<std::vector<HealthEvent>> load_health(std::int64_t from_ns, std::int64_t to_ns);
  struct ContainerRow {
    std::int64_t key = 0;
    std::string project;
    std::string service;
    std::int64_t last_seen_ns = 0;
    std::optional<RecordedHealthcheck> healthcheck;  // NULL columns: none recorded
    Resources declared;  // the latest declared requests and limits (NULL: not declared)
  };
  // Every container row, by key.
  [[nodiscard]] Expected<std::vector<ContainerRow>> load_containers();

  // Caps SQLite's page cache of this connection at `kib` KiB (default: 2 MiB,
  // kept until the connection closes). The recorder only appends, which
  // touches the right edge of two B-trees, so it needs little cache, and
  // its resident memory stays flat over a long recording.
  [[nodiscard]] Expected<void> limit_page_cache(std::int64_t kib);

  // Stops this connection from checking that each sample's container_key is
  // in containers (PRAGMA foreign_keys; on by default). For the recorder,
  // whose keys all come from upsert_container on this same connection, and
  // whose containers prune_before keeps (the last_seen_ns rule): the check
  // is a B-tree search per row, 30 % of the write path (bench/store_bench).
  [[nodiscard]] Expected<void> skip_key_checks();

  [[nodiscard]] const std::string& path() const { return m_path; }

 private:
  struct Statements;  // cached prepared statements (sample_store.cpp)
  SampleStore(sqlite3* db, std::string path);
  [[nodiscard]] Expected<void> prepare_statements();
  [[nodiscard]] Expected<void> in_transaction(const std::function<Expected<void>()>& body);
  void close() noexcept;

  sqlite3* m_db = nullptr;  // owned; closed by the destructor
  std::string m_path;
  std::unique_ptr<Statements> m_statements;
  bool m_key_checks = true;  // PRAGMA foreign_keys between prune_before's own switches
};

}  // namespace stackfit
