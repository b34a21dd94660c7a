#include "stackfit/record/recording_summary.hpp"

#include <map>
#include <string>
#include <utility>

#include "stackfit/record/two_pass_scan.hpp"

namespace stackfit {

WorkloadKey recorded_service_key(const std::string& project, const std::string& service) {
  return WorkloadKey{project, "service", service, ""};
}

Expected<std::vector<UsageSummary>> summarize_recording(SampleStore& store, std::int64_t from_ns, std::int64_t to_ns) {
  UsageSummaryBuilder builder;
  std::map<std::pair<std::string, std::string>, SampleUsageFeed> feeds;  // one per service
  auto series = scan_twice<SampleUsageFeed>(store, from_ns, to_ns, [&](const SampleStore::ServiceSeries& s) {
    auto it = feeds.find({s.project, s.service});
    if (it == feeds.end()) {
      it = feeds.try_emplace({s.project, s.service}, builder, recorded_service_key(s.project, s.service)).first;
    }
    return &it->second;
  });
  TRY(series);
  std::vector<UsageSummary> out;
  for (const SampleStore::ServiceSeries& s : *series) {
    UsageSummary u = builder.summary(recorded_service_key(s.project, s.service));
    u.oom_kills = s.oom_kills;
    u.restarts = s.restarts;
    u.memory_limit = s.memory_limit;
    out.push_back(std::move(u));
  }
  return out;
}

}  // namespace stackfit
