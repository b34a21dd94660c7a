#include "stackfit/cli/recording_summary.hpp"

#include <map>
#include <string>
#include <unordered_map>
#include <utility>

namespace stackfit::cli {

Expected<std::vector<UsageSummary>> summarize_recording(SampleStore& store, std::int64_t from_ns, std::int64_t to_ns) {
  std::map<std::pair<std::string, std::string>, UsageSummaryBuilder> builders;
  std::unordered_map<std::int64_t, UsageSummaryBuilder*> builder_of_container;
  int pass_started = 0;
  auto series = store.scan_series(
      from_ns, to_ns, 2,
      [&](int pass, const SampleStore::ServiceSeries& s, std::int64_t key, const Sample& sample) {
        if (pass != pass_started) {
          for (auto& [name, builder] : builders) builder.start_second_pass();
          pass_started = pass;
        }
        auto it = builder_of_container.find(key);
        if (it == builder_of_container.end()) {
          it = builder_of_container.emplace(key, &builders[{s.project, s.service}]).first;
        }
        if (pass == 0) {
          it->second->add(sample, key);
        } else {
          it->second->add_again(sample, key);
        }
      });
  if (!series) return tl::unexpected(series.error());
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

}  // namespace stackfit::cli
