// The store's on-disk format: the identity stamped in the SQLite header, the
// schema of each version, and the checks that run when a file is opened.
// The documented form for users is docs/store-schema.md; keep both in step.
#pragma once

#include <cstdint>
#include <string>

#include "stackfit/util/error.hpp"

struct sqlite3;

namespace stackfit {

// PRAGMA application_id of every stackfit store: "STKF" in ASCII. A file with
// another id is someone else's database and is never written to.
inline constexpr std::uint32_t k_store_application_id = 0x53544b46;

// containers.last_seen_ns is rewritten only when a container's newest sample
// is more than this much later (ns), so a batch rarely touches the
// containers table; it lags the newest sample by at most this much.
inline constexpr std::int64_t k_last_seen_step_ns = 60'000'000'000;

// How long a write waits for another connection's lock before failing (ms).
inline constexpr int k_store_busy_timeout_ms = 5000;

// Makes `db` (just opened read-write on `path`) a usable store:
//  1. sets busy_timeout, foreign_keys=ON and synchronous=NORMAL;
//  2. reads application_id and user_version without writing anything, and
//     refuses a file that is not SQLite, another application's database, or
//     a newer schema (bad_input, texts in sample_store.hpp);
//  3. switches the file to WAL and, inside one IMMEDIATE transaction, creates
//     the schema of a new file or migrates an older one to
//     k_store_schema_version, stamping both pragmas in the same transaction.
// Errors leave the file as it was.
[[nodiscard]] Expected<void> prepare_store_schema(sqlite3* db, const std::string& path);

// For `db` opened read-only on `path`: sets busy_timeout and refuses, without
// writing anything, what prepare_store_schema refuses plus a blank database
// ("<path>: not a stackfit store (an empty database)"), stackfit's id without
// tables ("... (no tables)") and an older schema (which only a writer may
// migrate: "<path>: schema version N is older than this stackfit (M); ...").
[[nodiscard]] Expected<void> check_store_schema_read_only(sqlite3* db, const std::string& path);

}  // namespace stackfit
