// What `doctor --db` keeps of a recording: per service its OOM kills and
// restarts with their times, its largest single-container working set and
// declared limit, and the stack's total. Folded from one pass of the store
// (store/usage_stream) into analyze/report_timeline's TimelineBuilder and an
// InstancePeaks, both UsageSinks (analyze/usage_tee feeds them at once).
// Memory: the timelines' bounded buckets plus one entry per workload.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "stackfit/analyze/doctor_checks.hpp"
#include "stackfit/analyze/report_timeline.hpp"
#include "stackfit/model/usage_sink.hpp"

namespace stackfit {

// The largest working-set reading of any one instance, per workload (the
// timelines sum replicas within a bucket; a limit is per container).
class InstancePeaks final : public UsageSink {
 public:
  void memory(const WorkloadKey& key, std::string_view instance, std::int64_t t_ns, Bytes working_set) override;
  void cpu(const WorkloadKey&, std::string_view, std::int64_t, Millicores) override {}
  void oom_kill(const WorkloadKey&, std::string_view, std::int64_t, std::int64_t) override {}
  void start(const WorkloadKey&, std::string_view, std::int64_t) override {}
  void memory_limit(const WorkloadKey&, std::string_view, std::int64_t, Bytes) override {}
  [[nodiscard]] const std::map<WorkloadKey, Bytes>& peaks() const { return m_peaks; }

 private:
  std::map<WorkloadKey, Bytes> m_peaks;
};

// One RecordedService per timeline (the key's name is the service),
// `projects` naming the Compose project of each service (several joined
// with ","; store/usage_stream keys by service alone), and the stack's
// peak of the summed working set over the timelines' shared buckets.
[[nodiscard]] RecordedHistory fold_recorded_history(const ReportTimelines& timelines,
                                                    const std::map<WorkloadKey, Bytes>& instance_peaks,
                                                    const std::map<std::string, std::string>& projects);

}  // namespace stackfit
