#include "stackfit/record/history_store.hpp"

#include "stackfit/util/environment.hpp"
#include "stackfit/util/file_io.hpp"

namespace stackfit {

std::string history_store_path(const std::string& db_flag) {
  if (!db_flag.empty()) return db_flag;
  Environment env = process_environment();
  return default_store_path(lookup(env, "XDG_STATE_HOME").value_or(""), lookup(env, "HOME").value_or(""));
}

Expected<SampleStore> open_history_store(const std::string& path) { return SampleStore::open_read_only(path); }

}  // namespace stackfit
