#include "stackfit/cli/record_flags.hpp"

#include "stackfit/cli/engine_flag.hpp"
#include "stackfit/util/duration.hpp"
#include "stackfit/util/environment.hpp"

namespace stackfit::cli {

Expected<RecordOptions> parse_record_flags(const RecordFlags& flags, EngineUse engine) {
  RecordOptions o;
  auto interval = parse_duration_ms(flags.interval);
  if (!interval) return make_error(ErrorCode::usage, "--interval: " + interval.error().message);
  o.interval_ms = *interval;
  if (!flags.duration.empty()) {
    auto duration = parse_duration_ms(flags.duration);
    if (!duration) return make_error(ErrorCode::usage, "--duration: " + duration.error().message);
    if (*duration == 0) {
      return make_error(ErrorCode::usage, "--duration: must be longer than 0 (leave it out to record until stopped)");
    }
    o.duration_ms = *duration;
  }
  auto mounts = detect_cgroup_mounts(flags.cgroup_root);
  TRY(mounts);
  o.mounts = *mounts;
  o.cgroups = flags.cgroups;
  if (engine == EngineUse::none) return o;
  Environment env = process_environment();
  auto socket = EngineFlag{flags.host}.socket(env);
  TRY(socket);
  o.engine_socket = *socket;
  return o;
}

}  // namespace stackfit::cli
