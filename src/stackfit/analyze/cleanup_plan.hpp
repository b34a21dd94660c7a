// What `stackfit cleanup` may remove, chosen from the engine's GET
// /system/df. Pure: no I/O. The rules (docs/cleanup.md) never pick a
// container that is not stopped, a volume any container mounts (stopped ones
// included), or an image any container uses.
#pragma once

#include <string>
#include <vector>

#include "stackfit/model/host_facts.hpp"

namespace stackfit {

enum class CleanupKind { container, image, volume, build_cache };
[[nodiscard]] const char* to_string(CleanupKind kind);

struct CleanupItem {
  CleanupKind kind = CleanupKind::container;
  std::string id;    // container id, image id (sha256:...), volume name, build-cache record id
  std::string name;  // container name, first tag (none for dangling images: "<none>"), volume name, cache type
  Bytes bytes;       // what removing it frees (an image's size less what it shares)
};

enum class NamedVolumes { keep, include_unused };

struct CleanupOptions {
  std::string project;  // "" = the whole engine; else only containers and volumes labelled with it
  NamedVolumes named_volumes = NamedVolumes::keep;
  // Engine names of the volumes the stack files of -f declare: never picked.
  std::vector<std::string> stack_volumes;
};

struct CleanupPlan {
  std::vector<CleanupItem> items;  // containers, images, volumes, build cache; each in the engine's order
  Bytes total;
};

// Stopped containers (exited, created, dead); dangling images (no tag) that
// no container uses; anonymous volumes (com.docker.volume.anonymous, or a
// 64-hex name) with RefCount 0 that no container mounts; build-cache records
// not in use (a shared record frees 0 B). With named_volumes, also named
// volumes that are unused the same way and not among stack_volumes. With a
// project: only that project's stopped containers (and its unused named
// volumes), since images, anonymous volumes and build cache carry no project.
[[nodiscard]] CleanupPlan plan_cleanup(const EngineDiskUsage& usage, const CleanupOptions& options);

}  // namespace stackfit
