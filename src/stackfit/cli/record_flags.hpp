// What `record` and `top` parse the same way: --interval, --duration, the
// cgroup mount root, --cgroup paths and the engine socket (--host, else
// DOCKER_HOST, else the default). Each command adds its own target choice.
#pragma once

#include <string>
#include <vector>

#include "stackfit/record/recorder.hpp"

namespace stackfit::cli {

struct RecordFlags {
  std::string interval;                // e.g. "1s"
  std::string duration;                // "" = until stopped
  std::string cgroup_root;             // e.g. "/sys/fs/cgroup"
  std::vector<std::string> cgroups;    // plain cgroups
  std::string host;                    // --host ("" = DOCKER_HOST or default)
};

enum class EngineUse { none, required };

// Options with interval (unclamped), duration, mounts and cgroups set, and the
// engine socket resolved when `engine` is required. Usage errors name the flag.
[[nodiscard]] Expected<RecordOptions> parse_record_flags(const RecordFlags& flags, EngineUse engine);

}  // namespace stackfit::cli
