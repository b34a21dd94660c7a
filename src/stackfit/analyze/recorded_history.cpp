#include "stackfit/analyze/recorded_history.hpp"

#include <algorithm>
#include <tuple>

namespace stackfit {

void InstancePeaks::memory(const WorkloadKey& key, std::string_view, std::int64_t, Bytes working_set) {
  auto [it, inserted] = m_peaks.try_emplace(key, working_set);
  if (!inserted && working_set > it->second) it->second = working_set;
}

namespace {

// The largest per-bucket sum over the workloads (readings of -1: none there).
void fold_stack_peak(const ReportTimelines& timelines, RecordedHistory& out) {
  out.bucket_ns = timelines.bucket_ns;
  for (std::size_t i = 0; i < timelines.buckets; ++i) {
    std::int64_t sum = 0;
    bool any = false;
    for (const WorkloadTimeline& t : timelines.workloads) {
      if (i >= t.memory_bytes.size() || t.memory_bytes[i] < 0) continue;
      sum += t.memory_bytes[i];
      any = true;
    }
    if (any && (!out.stack_peak || sum > out.stack_peak->count)) {
      out.stack_peak = Bytes{sum};
      out.stack_peak_ns = timelines.first_ns + static_cast<std::int64_t>(i) * timelines.bucket_ns;
    }
  }
}

}  // namespace

RecordedHistory fold_recorded_history(const ReportTimelines& timelines,
                                      const std::map<WorkloadKey, Bytes>& instance_peaks,
                                      const std::map<std::string, std::string>& projects) {
  RecordedHistory out;
  for (const WorkloadTimeline& t : timelines.workloads) {
    RecordedService s;
    s.service = t.key.name;
    if (auto p = projects.find(t.key.name); p != projects.end()) s.project = p->second;
    s.oom_kills = t.oom_kills;
    s.oom_kill_ns = t.oom_kill_ns;
    s.restarts = t.restarts;
    s.restart_ns = t.restart_ns;
    if (auto peak = instance_peaks.find(t.key); peak != instance_peaks.end()) {
      s.peak_working_set = peak->second;
      out.sum_of_peaks = out.sum_of_peaks + peak->second;
    }
    s.memory_limit = t.memory_limit;
    out.services.push_back(std::move(s));
  }
  std::stable_sort(out.services.begin(), out.services.end(), [](const RecordedService& a, const RecordedService& b) {
    return std::tie(a.project, a.service) < std::tie(b.project, b.service);
  });
  fold_stack_peak(timelines, out);
  return out;
}

}  // namespace stackfit
