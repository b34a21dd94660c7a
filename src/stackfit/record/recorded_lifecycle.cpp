#include "stackfit/record/recorded_lifecycle.hpp"

namespace stackfit {

Expected<RecordedLifecycle> load_recorded_lifecycle(SampleStore& store, std::int64_t from_ns, std::int64_t to_ns) {
  auto starts = store.load_starts(from_ns, to_ns);
  if (!starts) return tl::unexpected(starts.error());
  auto health = store.load_health(from_ns, to_ns);
  if (!health) return tl::unexpected(health.error());
  RecordedLifecycle out;
  out.starts.reserve(starts->size());
  for (const SampleStore::StartRow& s : *starts) out.starts.push_back(ContainerStart{s.container_key, s.time_ns});
  out.health.reserve(health->size());
  for (const SampleStore::HealthRow& h : *health) {
    out.health.push_back(HealthEvent{h.container_key, h.time_ns, h.healthy});
  }
  return out;
}

}  // namespace stackfit
