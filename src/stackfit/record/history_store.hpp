// The sample store a command that reads history was pointed at: --db, else
// the default store (the one `record` writes). recommend, backtest,
// check --db, plan --db and plan --startup --db share it, so each says the
// same line when there is none yet.
#pragma once

#include <string>

#include "stackfit/store/sample_store.hpp"

namespace stackfit {

// `db_flag`, or the default store path ($XDG_STATE_HOME/stackfit/stackfit.db)
// when it is empty.
[[nodiscard]] std::string history_store_path(const std::string& db_flag);
// Opens the store at `path` read-only (SampleStore::open_read_only): a missing
// file is not created, an existing one never changed: not_found,
// "PATH: no sample store (record history first with `stackfit record`)".
[[nodiscard]] Expected<SampleStore> open_history_store(const std::string& path);

}  // namespace stackfit
