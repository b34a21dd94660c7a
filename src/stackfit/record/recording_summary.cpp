#include "stackfit/record/recording_summary.hpp"

#include <map>
#include <string>
#include <utility>

#include "stackfit/record/two_pass_scan.hpp"

namespace stackfit {

Expected<std::vector<UsageSummary>> summarize_recording(SampleStore& store, std::int64_t from_ns, std::int64_t to_ns) {
  std::map<std::pair<std::string, std::string>, UsageSummaryBuilder> builders;
  auto series = scan_twice<UsageSummaryBuilder>(store, from_ns, to_ns, [&](const SampleStore::ServiceSeries& s) {
    return &builders[{s.project, s.service}];
  });
  TRY(series);
  std::vector<UsageSummary> out;
  for (const SampleStore::ServiceSeries& s : *series) {
    auto it = builders.find({s.project, s.service});
    UsageSummary u = it == builders.end() ? UsageSummaryBuilder().finish(s.project, s.service)
                                          : it->second.finish(s.project, s.service);
    u.oom_kills = s.oom_kills;
    u.restarts = s.restarts;
    u.limit = s.memory_limit;
    out.push_back(std::move(u));
  }
  return out;
}

}  // namespace stackfit
