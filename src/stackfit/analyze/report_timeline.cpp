#include "stackfit/analyze/report_timeline.hpp"

#include <limits>

#include <algorithm>

namespace stackfit {
namespace {

void push_marker(std::vector<std::int64_t>& markers, std::int64_t t_ns) {
  if (markers.size() < k_max_timeline_markers) markers.push_back(t_ns);
}

// Floor division for non-negative widths (times before 1970 stay ordered).
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

// Adds `value` to a bucket sum where -1 means "no reading yet".
void add_reading(std::int64_t& sum, std::int64_t value) {
  if (value < 0) return;
  sum = sum < 0 ? value : sum + value;
}

}  // namespace

std::optional<Bytes> WorkloadTimeline::peak() const {
  std::int64_t best = -1;
  for (std::int64_t v : memory_bytes) best = std::max(best, v);
  if (best < 0) return std::nullopt;
  return Bytes{best};
}

TimelineBuilder::TimelineBuilder(std::size_t capacity, std::int64_t first_bucket_ns)
    : m_capacity(std::max<std::size_t>(capacity, 2)), m_bucket_ns(std::max<std::int64_t>(first_bucket_ns, 1)) {}

TimelineBuilder::Workload& TimelineBuilder::workload(const WorkloadKey& key) {
  auto it = m_workloads.find(key);
  if (it == m_workloads.end()) {
    it = m_workloads.emplace(key, Workload{}).first;
    it->second.timeline.key = key;
  }
  return it->second;
}

// The bucket of `t_ns` for the instance; the grid coarsens first when `t_ns`
// would make the span wider than the capacity.
TimelineBuilder::Bucket& TimelineBuilder::bucket(const WorkloadKey& key, std::string_view instance,
                                                 std::int64_t t_ns) {
  for (int guard = 0; guard < 64; ++guard) {
    std::int64_t index = floor_div(t_ns, m_bucket_ns);
    std::int64_t lo = std::min(index, m_min_index.value_or(index));
    std::int64_t hi = std::max(index, m_max_index.value_or(index));
    // hi - lo + 1 buckets, computed without overflow.
    if (static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) < m_capacity) {
      m_min_index = lo, m_max_index = hi;
      break;
    }
    coarsen();
  }
  Workload& w = workload(key);
  auto it = w.instances.find(instance);
  if (it == w.instances.end()) it = w.instances.emplace(std::string(instance), Instance{}).first;
  return it->second.buckets[floor_div(t_ns, m_bucket_ns)];
}

// Doubles the bucket width; neighbouring buckets merge by their maximum.
void TimelineBuilder::coarsen() {
  m_bucket_ns = m_bucket_ns > INT64_MAX / 2 ? INT64_MAX : m_bucket_ns * 2;
  auto half = [](std::int64_t i) { return floor_div(i, 2); };
  if (m_min_index) m_min_index = half(*m_min_index);
  if (m_max_index) m_max_index = half(*m_max_index);
  for (auto& [key, w] : m_workloads) {
    for (auto& [name, inst] : w.instances) {
      std::map<std::int64_t, Bucket> merged;
      for (const auto& [index, b] : inst.buckets) {
        Bucket& m = merged[half(index)];
        m.memory_bytes = std::max(m.memory_bytes, b.memory_bytes);
        m.cpu_millicores = std::max(m.cpu_millicores, b.cpu_millicores);
      }
      inst.buckets = std::move(merged);
    }
  }
}

void TimelineBuilder::memory(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Bytes ws) {
  Bucket& b = bucket(key, instance, t_ns);
  b.memory_bytes = std::max(b.memory_bytes, std::max<std::int64_t>(ws.count, 0));
  ++workload(key).timeline.memory_points;
}

void TimelineBuilder::cpu(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Millicores rate) {
  Bucket& b = bucket(key, instance, t_ns);
  b.cpu_millicores = std::max(b.cpu_millicores, std::max<std::int64_t>(rate.count, 0));
}

void TimelineBuilder::oom_kill(const WorkloadKey& key, std::string_view, std::int64_t t_ns, std::int64_t kills) {
  WorkloadTimeline& t = workload(key).timeline;
  // Saturating: a broken counter's jump to INT64_MAX is one marker, not a loop.
  t.oom_kills = t.oom_kills > std::numeric_limits<std::int64_t>::max() - kills ? std::numeric_limits<std::int64_t>::max()
                                                                                : t.oom_kills + kills;
  push_marker(t.oom_kill_ns, t_ns);
}

void TimelineBuilder::start(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns) {
  Workload& w = workload(key);
  auto it = w.instances.find(instance);
  if (it == w.instances.end()) it = w.instances.emplace(std::string(instance), Instance{}).first;
  if (it->second.started) {
    ++w.timeline.restarts;
    push_marker(w.timeline.restart_ns, t_ns);
  } else {
    push_marker(w.timeline.start_ns, t_ns);
  }
  it->second.started = true;
}

void TimelineBuilder::memory_limit(const WorkloadKey& key, std::string_view, std::int64_t, Bytes limit) {
  auto& l = workload(key).timeline.memory_limit;
  if (!l || limit > *l) l = limit;
}

void TimelineBuilder::cpu_limit(const WorkloadKey& key, std::string_view, std::int64_t, Millicores limit) {
  auto& l = workload(key).timeline.cpu_limit;
  if (!l || limit > *l) l = limit;
}

ReportTimelines TimelineBuilder::finish() const {
  ReportTimelines out;
  out.bucket_ns = m_bucket_ns;
  if (m_min_index && m_max_index) {
    out.buckets = static_cast<std::size_t>(*m_max_index - *m_min_index + 1);
    out.first_ns = *m_min_index * m_bucket_ns;
  }
  for (const auto& [key, w] : m_workloads) {
    WorkloadTimeline t = w.timeline;
    t.memory_bytes.assign(out.buckets, -1);
    t.cpu_millicores.assign(out.buckets, -1);
    for (const auto& [name, inst] : w.instances) {
      for (const auto& [index, b] : inst.buckets) {
        auto i = static_cast<std::size_t>(index - *m_min_index);
        add_reading(t.memory_bytes[i], b.memory_bytes);
        add_reading(t.cpu_millicores[i], b.cpu_millicores);
      }
    }
    for (auto* v : {&t.oom_kill_ns, &t.start_ns, &t.restart_ns}) std::sort(v->begin(), v->end());
    out.workloads.push_back(std::move(t));
  }
  return out;
}

}  // namespace stackfit
