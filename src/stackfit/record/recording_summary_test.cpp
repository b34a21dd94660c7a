// summarize_recording (two scans, bounded memory) against the full load it
// replaced: load_series + nearest_rank_percentile over every sample.
#include "stackfit/record/recording_summary.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "testing/recorded_container.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

ContainerInfo container(const std::string& id, const std::string& project, const std::string& service) {
  return testing::recorded_container(id, project, service);
}

// The summary as record computed it before: every sample in memory.
std::vector<UsageSummary> summarize_loaded(SampleStore& store, std::int64_t from_ns, std::int64_t to_ns) {
  std::vector<UsageSummary> out;
  auto series = store.load_series(from_ns, to_ns);
  EXPECT_TRUE(series);
  if (!series) return out;
  for (const auto& s : *series) {
    std::vector<std::int64_t> ws;
    for (const Sample& sample : s.samples) ws.push_back(sample.working_set.count);
    UsageSummary u;
    u.key = recorded_service_key(s.project, s.service);
    u.samples = static_cast<std::int64_t>(s.samples.size());
    u.p95_working_set = Bytes{nearest_rank_percentile(ws, 95)};
    if (!ws.empty()) u.peak_working_set = Bytes{*std::max_element(ws.begin(), ws.end())};
    // CPU rates per container, counter resets skipped.
    std::map<std::int64_t, const Sample*> previous;
    std::vector<std::int64_t> rates;
    for (std::size_t i = 0; i < s.samples.size(); ++i) {
      const Sample& sample = s.samples[i];
      auto [it, first] = previous.try_emplace(s.container_keys[i], &sample);
      if (!first) {
        std::int64_t dt = sample.time_ns - it->second->time_ns;
        std::int64_t dcpu = sample.cpu_usage_ns - it->second->cpu_usage_ns;
        if (dt > 0 && dcpu >= 0) rates.push_back(dcpu * 1000 / dt);
        it->second = &sample;
      }
    }
    if (!rates.empty()) u.cpu_p95 = Millicores{nearest_rank_percentile(rates, 95)};
    u.oom_kills = s.oom_kills;
    u.restarts = s.restarts;
    u.memory_limit = s.memory_limit;
    out.push_back(u);
  }
  return out;
}

TEST(RecordingSummary, MatchesTheFullLoadExactly) {
  testing::TempDir dir;
  auto store = SampleStore::open(dir.path() + "/s.db");
  ASSERT_TRUE(store) << store.error().message;
  // 3 services, one with 3 replicas, one restarted (its CPU counter drops),
  // 400 one-second ticks; samples before the window only feed the OOM
  // counter's baseline.
  std::vector<std::pair<std::int64_t, std::string>> keys;
  for (const auto& [id, service] : std::vector<std::pair<std::string, std::string>>{
           {"w1", "worker"}, {"w2", "worker"}, {"w3", "worker"}, {"db", "db"}, {"api", "api"}}) {
    ContainerInfo info = container(id, "shop", service);
    if (service == "db") info.declared.memory_limit = Bytes{512 * k_mib};
    auto key = store->upsert_container(info, 0);
    ASSERT_TRUE(key);
    keys.emplace_back(*key, service);
  }
  std::mt19937_64 random(42);
  std::map<std::int64_t, std::int64_t> cpu;
  constexpr std::int64_t k_second = 1'000'000'000;
  for (int t = 0; t < 400; ++t) {
    std::vector<SampleRow> rows;
    for (const auto& [key, service] : keys) {
      Sample s;
      s.time_ns = (1000 + t) * k_second;
      std::int64_t base = service == "db" ? 300 * k_mib : service == "api" ? 80 * k_mib : 40 * k_mib;
      s.working_set = Bytes{base + static_cast<std::int64_t>(random() % 4096) * 4096};
      cpu[key] += static_cast<std::int64_t>(random() % 700'000'000);
      if (service == "api" && t == 250) cpu[key] = 0;  // a restart
      s.cpu_usage_ns = cpu[key];
      s.oom_kills = service == "worker" && t > 300 ? 1 : 0;
      rows.push_back(SampleRow{key, s});
    }
    ASSERT_TRUE(store->append_samples(rows));
  }
  const std::int64_t from = 1050 * k_second;
  const std::int64_t to = 1390 * k_second;
  auto streamed = summarize_recording(*store, from, to);
  ASSERT_TRUE(streamed) << streamed.error().message;
  std::vector<UsageSummary> loaded = summarize_loaded(*store, from, to);
  ASSERT_EQ(streamed->size(), 3u);
  ASSERT_EQ(loaded.size(), 3u);
  for (std::size_t i = 0; i < loaded.size(); ++i) {
    const UsageSummary& a = (*streamed)[i];
    const UsageSummary& b = loaded[i];
    SCOPED_TRACE(b.key.name);
    EXPECT_EQ(a.key, b.key);
    EXPECT_EQ(a.samples, b.samples);
    EXPECT_EQ(a.p95_working_set, b.p95_working_set);
    EXPECT_EQ(a.peak_working_set, b.peak_working_set);
    ASSERT_TRUE(a.cpu_p95 && b.cpu_p95);
    EXPECT_EQ(a.cpu_p95->count, b.cpu_p95->count);
    EXPECT_EQ(a.oom_kills, b.oom_kills);
    EXPECT_EQ(a.restarts, b.restarts);
    EXPECT_EQ(a.memory_limit, b.memory_limit);
  }
  EXPECT_EQ((*streamed)[1].key, (WorkloadKey{"shop", "service", "db", ""}));
  EXPECT_EQ((*streamed)[1].memory_limit, Bytes{512 * k_mib});
  EXPECT_EQ((*streamed)[2].samples, 341 * 3);  // three workers, 1050..1390 s
  EXPECT_EQ((*streamed)[2].oom_kills, 3);      // one kill each, seen by the counter
}

TEST(RecordingSummary, EmptyWindow) {
  testing::TempDir dir;
  auto store = SampleStore::open(dir.path() + "/s.db");
  ASSERT_TRUE(store);
  auto summary = summarize_recording(*store, 0, 1'000'000'000);
  ASSERT_TRUE(summary);
  EXPECT_TRUE(summary->empty());
}

}  // namespace
}  // namespace stackfit
