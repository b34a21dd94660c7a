// The recording loop behind `stackfit record` and `stackfit top`: finds the
// containers (engine API, or plain cgroups), reads their cgroup files every
// interval, writes batches to the store, follows start/die/oom/destroy and
// health events (one long-lived /events stream read by a thread of its own, observe/event_feed, so a
// tick asks the engine nothing), and survives an engine restart. Lives in cli/ because it wires
// observe/ and store/ together.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stackfit/model/sample.hpp"
#include "stackfit/observe/cgroup_reader.hpp"
#include "stackfit/observe/engine_client.hpp"
#include "stackfit/observe/event_feed.hpp"
#include "stackfit/observe/parent_cpu_gate.hpp"
#include "stackfit/record/kube_node_discovery.hpp"
#include "stackfit/store/sample_store.hpp"
#include "stackfit/util/clock.hpp"

namespace stackfit {

// Whether each tick hands the latest readings to the tick callback (top needs
// them; record only writes batches and skips the per-container copies).
enum class LiveReadings { skip, collect };

struct RecordOptions {
  std::optional<std::string> engine_socket;  // absent: plain cgroups only
  ContainerFilter filter;                    // project to follow ("" = every container)
  std::vector<std::string> cgroups;          // plain cgroups (relative to the memory root)
  // Set: record the node's Kubernetes containers (record --kube-node),
  // looked for again every k_kube_rescan_ms.
  std::optional<KubeNodeOptions> kube_node;
  std::int64_t interval_ms = 1000;
  std::int64_t duration_ms = 0;              // 0 = until stopped
  std::string proc_root = "/proc";
  CgroupMounts mounts;
  LiveReadings live_readings = LiveReadings::skip;
  // Retention while recording (--keep): samples and events older than this
  // are deleted every retention_period_ms(), so a long recording's store stays
  // bounded. 0 = keep everything.
  std::int64_t keep_ms = 0;
};

// How often a recording with --keep prunes: a tenth of the kept span, at
// least one interval and at most 10 minutes (the store then holds at most
// keep + period of samples).
[[nodiscard]] std::int64_t retention_period_ms(const RecordOptions& options);

inline constexpr std::int64_t k_kube_rescan_ms = 10'000;

struct RecordProgress {
  std::int64_t elapsed_ms = 0;
  std::size_t containers = 0;
  std::int64_t samples = 0;
  std::int64_t oom_kills = 0;
};

class Recorder {
 public:
  // `store` may be null (top without --db): nothing is written then.
  Recorder(RecordOptions options, SampleStore* store, Clock& clock);
  ~Recorder();

  // Runs until the duration ends or `stop` is set. `on_tick` is called after
  // every tick with progress and the live readings. Returns the first time
  // recorded, or an error that ends the recording (the store keeps every
  // batch committed so far).
  using TickFn = std::function<void(const RecordProgress&, const std::vector<LiveReading>&)>;
  [[nodiscard]] Expected<std::int64_t> run(const std::atomic<bool>& stop, const TickFn& on_tick);

  // Messages for the user (engine lost / back), one line each, no newline.
  using NoticeFn = std::function<void(const std::string&)>;
  void set_notice(NoticeFn fn) { m_notice = std::move(fn); }

 private:
  struct Tracked;
  Expected<void> discover_engine();
  Expected<void> discover_cgroups();
  Expected<void> discover_kube(std::int64_t now_ns);
  Expected<void> track(ContainerInfo info);
  Expected<void> take_events();
  // Takes the streamed events, or reconnects after the engine went away (daemon restart).
  Expected<void> follow_engine(std::int64_t now_ns);
  Expected<void> tick(std::int64_t now_ns, std::vector<LiveReading>& live);
  void close(const std::string& id);
  Expected<void> apply_retention(std::int64_t now_ns);

  RecordOptions m_options;
  SampleStore* m_store;
  Clock& m_clock;
  std::unique_ptr<EngineClient> m_engine;
  std::unique_ptr<EventFeed> m_feed;  // while the engine is up
  std::unique_ptr<KubeNodeDiscovery> m_kube;  // record --kube-node
  std::int64_t m_next_kube_scan_ns = 0;
  bool m_engine_up = false;
  std::int64_t m_events_since_ns = 0;
  std::map<std::string, std::unique_ptr<Tracked>> m_tracked;  // by container id
  // One CPU-time check per parent cgroup per tick tells whether any tracked
  // cgroup below it can have moved (observe/parent_cpu_gate.hpp).
  ParentCpuGates m_parent_gates;
  // Store keys of containers closed (died, cgroup gone) but not destroyed yet,
  // so their late events are still stored: engine id -> key.
  static constexpr std::size_t k_max_closed_keys = 4096;
  std::map<std::string, std::int64_t> m_closed_keys;
  std::int64_t m_next_prune_ns = 0;
  RecordProgress m_progress;
  NoticeFn m_notice;
  // One tick's rows, kept between ticks so a tick allocates nothing once
  // the first has sized it.
  std::vector<SampleRow> m_batch;
};

}  // namespace stackfit
