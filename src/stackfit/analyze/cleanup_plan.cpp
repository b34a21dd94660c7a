#include "stackfit/analyze/cleanup_plan.hpp"

#include <algorithm>
#include <set>

namespace stackfit {
namespace {

bool stopped(const std::string& state) { return state == "exited" || state == "created" || state == "dead"; }

// Every image and volume any container uses, whatever its state.
struct InUse {
  std::set<std::string> images;
  std::set<std::string> volumes;
};

InUse in_use_by_containers(const EngineDiskUsage& usage) {
  InUse used;
  for (const EngineContainer& c : usage.containers) {
    used.images.insert(c.image_id);
    used.volumes.insert(c.volumes.begin(), c.volumes.end());
  }
  return used;
}

bool volume_unused(const EngineVolume& v, const InUse& used) {
  return v.ref_count == 0 && !used.volumes.contains(v.name);  // -1 (unknown) counts as used
}

void add(CleanupPlan& plan, CleanupKind kind, std::string id, std::string name, Bytes bytes) {
  plan.total = plan.total + bytes;
  plan.items.push_back({kind, std::move(id), std::move(name), bytes});
}

void add_dangling_images(CleanupPlan& plan, const EngineDiskUsage& usage, const InUse& used) {
  for (const EngineImage& image : usage.images) {
    if (!image.tags.empty() || image.containers > 0 || used.images.contains(image.id)) continue;
    Bytes own{std::max<std::int64_t>(0, image.size.count - image.shared_size.count)};
    add(plan, CleanupKind::image, image.id, "<none>", own);
  }
}

}  // namespace

const char* to_string(CleanupKind kind) {
  switch (kind) {
    case CleanupKind::container: return "container";
    case CleanupKind::image: return "image";
    case CleanupKind::volume: return "volume";
    case CleanupKind::build_cache: return "build-cache";
  }
  return "container";
}

CleanupPlan plan_cleanup(const EngineDiskUsage& usage, const CleanupOptions& options) {
  CleanupPlan plan;
  const InUse used = in_use_by_containers(usage);
  const bool whole_engine = options.project.empty();
  for (const EngineContainer& c : usage.containers) {
    if (!stopped(c.state) || (!whole_engine && c.project != options.project)) continue;
    add(plan, CleanupKind::container, c.id, c.name, c.size_rw);
  }
  if (whole_engine) add_dangling_images(plan, usage, used);
  for (const EngineVolume& v : usage.volumes) {
    if (!volume_unused(v, used)) continue;
    bool pick = v.anonymous ? whole_engine
                            : options.named_volumes == NamedVolumes::include_unused &&
                                  (whole_engine || v.project == options.project) &&
                                  std::find(options.stack_volumes.begin(), options.stack_volumes.end(), v.name) ==
                                      options.stack_volumes.end();
    if (pick) add(plan, CleanupKind::volume, v.name, v.name, v.size);
  }
  if (whole_engine) {
    for (const EngineBuildCache& b : usage.build_cache) {
      if (!b.in_use) add(plan, CleanupKind::build_cache, b.id, b.type, b.shared ? Bytes{0} : b.size);
    }
  }
  return plan;
}

}  // namespace stackfit
