// Feeds a recording to per-service builders that need its samples twice
// (exact percentiles in bounded memory: analyze/two_pass_percentile): two
// scans of one snapshot of the store, each sample routed to the builder of
// its container. Used by record's summary (recording_summary) and plan
// --startup --db (plan_startup).
#pragma once

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "stackfit/store/sample_store.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

// Builder: add(sample, container) in the first scan, start_second_pass()
// between, add_again(sample, container) in the second. builder_of(series)
// gives the builder of a series' samples (it must outlive the scan), or
// nullptr to skip them; it is asked once per container. Returns the series
// as SampleStore::scan_series does.
template <class Builder, class BuilderOf>
Expected<std::vector<SampleStore::ServiceSeries>> scan_twice(SampleStore& store, std::int64_t from_ns,
                                                             std::int64_t to_ns, BuilderOf builder_of) {
  std::unordered_map<std::int64_t, Builder*> of_container;
  std::vector<Builder*> builders;  // each once
  int current_pass = 0;
  auto start_second_pass = [&] {
    for (Builder* b : builders) b->start_second_pass();
    current_pass = 1;
  };
  auto series = store.scan_series(
      from_ns, to_ns, 2,
      [&](int pass, const SampleStore::ServiceSeries& s, std::int64_t key, const Sample& sample) {
        if (pass != current_pass) start_second_pass();
        auto it = of_container.find(key);
        if (it == of_container.end()) {
          Builder* b = builder_of(s);
          if (b != nullptr && std::find(builders.begin(), builders.end(), b) == builders.end()) builders.push_back(b);
          it = of_container.emplace(key, b).first;
        }
        if (it->second == nullptr) return;
        if (pass == 0) {
          it->second->add(sample, key);
        } else {
          it->second->add_again(sample, key);
        }
      });
  if (series && current_pass == 0) start_second_pass();  // an empty window: nothing came twice
  return series;
}

}  // namespace stackfit
