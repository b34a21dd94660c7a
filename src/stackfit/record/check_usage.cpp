#include "stackfit/record/check_usage.hpp"

#include "stackfit/record/history_store.hpp"
#include "stackfit/store/sample_store.hpp"

namespace stackfit {

Expected<std::vector<Finding>> check_recorded_usage(const UsageCheckRequest& request) {
  auto store = open_history_store(request.db_path);
  TRY(store);
  auto containers = store->load_containers();
  TRY(containers);
  UsageRuleChecker checker(request.options);
  for (const SampleStore::ContainerRow& c : *containers) {
    if (request.project && c.project != *request.project) continue;
    checker.container(c.key, c.service, c.declared);
  }
  auto scanned = store->scan_series(request.from_ns, request.to_ns, 1,
                                    [&](int, const SampleStore::ServiceSeries&, std::int64_t key, const Sample& s) {
                                      checker.sample(key, s);
                                    });
  TRY(scanned);
  return checker.findings();
}

}  // namespace stackfit
