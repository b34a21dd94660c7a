#include "stackfit/store/usage_stream.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "stackfit/store/sample_store.hpp"
#include "testing/recorded_container.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

constexpr std::int64_t k_s = 1'000'000'000;

// Writes down every call, one line each, so tests compare the exact stream.
class RecordingSink final : public UsageSink {
 public:
  std::vector<std::string> calls;
  void memory(const WorkloadKey& k, std::string_view i, std::int64_t t, Bytes ws) override {
    calls.push_back("memory " + k.name + " " + std::string(i) + " " + std::to_string(t / k_s) + " " +
                    std::to_string(ws.count));
  }
  void cpu(const WorkloadKey& k, std::string_view i, std::int64_t t, Millicores m) override {
    calls.push_back("cpu " + k.name + " " + std::string(i) + " " + std::to_string(t / k_s) + " " +
                    std::to_string(m.count));
  }
  void oom_kill(const WorkloadKey& k, std::string_view i, std::int64_t t, std::int64_t kills = 1) override {
    for (std::int64_t n = 0; n < kills; ++n) calls.push_back("oom " + k.name + " " + std::string(i) + " " + std::to_string(t / k_s));
  }
  void start(const WorkloadKey& k, std::string_view i, std::int64_t t) override {
    calls.push_back("start " + k.name + " " + std::string(i) + " " + std::to_string(t / k_s));
  }
  void memory_limit(const WorkloadKey& k, std::string_view i, std::int64_t t, Bytes l) override {
    calls.push_back("limit " + k.name + " " + std::string(i) + " " + std::to_string(t / k_s) + " " +
                    std::to_string(l.count));
  }
  // Only the throttling test looks at these two: other tests' containers declare no CPU limit and no periods.
  void cpu_limit(const WorkloadKey& k, std::string_view i, std::int64_t t, Millicores m) override {
    calls.push_back("cpu_limit " + k.name + " " + std::string(i) + " " + std::to_string(t / k_s) + " " +
                    std::to_string(m.count));
  }
  void cpu_throttling(const WorkloadKey& k, std::string_view i, std::int64_t t, const CpuThrottling& th) override {
    calls.push_back("throttled " + k.name + " " + std::string(i) + " " + std::to_string(t / k_s) + " " +
                    std::to_string(th.throttled_periods) + "/" + std::to_string(th.periods) + " " +
                    std::to_string(th.throttled_ns));
  }
};

ContainerInfo container(const std::string& id, const std::string& project, const std::string& service) {
  return testing::recorded_container(id, project, service);
}

Sample at(std::int64_t t_s, std::int64_t ws, std::int64_t cpu_ns, std::int64_t ooms = 0) {
  Sample s;
  s.time_ns = t_s * k_s;
  s.working_set = Bytes{ws};
  s.usage = Bytes{ws};
  s.cpu_usage_ns = cpu_ns;
  s.oom_kills = ooms;
  return s;
}

TEST(UsageStream, PushesLimitStartMemoryCpuAndOomInOrder) {
  testing::TempDir dir;
  auto store = SampleStore::open(dir.path() + "/s.db");
  ASSERT_TRUE(store) << store.error().message;
  ContainerInfo info = container("aaa", "shop", "api");
  info.declared.memory_limit = Bytes{1000};
  auto key = store->upsert_container(info, 0);
  ASSERT_TRUE(key);
  ASSERT_TRUE(store->append_samples({{*key, at(10, 100, 0)},
                                     {*key, at(20, 150, 5 * k_s)},      // 5 s of CPU over 10 s: 500m
                                     {*key, at(30, 120, 1 * k_s, 1)},   // counter reset: no rate; one kill
                                     {*key, at(40, 130, 2 * k_s, 1)}}));
  ASSERT_TRUE(store->append_event(*key, ContainerEvent{31 * k_s, "aaa", EventKind::start, std::nullopt}));
  RecordingSink sink;
  auto stats = store->stream_usage(0, 100 * k_s, {}, sink);
  ASSERT_TRUE(stats) << stats.error().message;
  std::string i = std::to_string(*key);
  std::vector<std::string> expected = {
      "limit api " + i + " 10 1000", "start api " + i + " 10",      "memory api " + i + " 10 100",
      "memory api " + i + " 20 150", "cpu api " + i + " 20 500",    "memory api " + i + " 30 120",
      "oom api " + i + " 30",        "start api " + i + " 31",      "memory api " + i + " 40 130",
      "cpu api " + i + " 40 100",
  };
  EXPECT_EQ(sink.calls, expected);
  EXPECT_EQ(stats->rows, 4);
  ASSERT_EQ(stats->services.size(), 1u);
  EXPECT_EQ(stats->services[0].service, "api");
  EXPECT_EQ(stats->services[0].samples, 4);
}

TEST(UsageStream, OomEventsBeyondTheCounterAreAddedOnce) {
  testing::TempDir dir;
  auto store = SampleStore::open(dir.path() + "/s.db");
  ASSERT_TRUE(store);
  auto key = store->upsert_container(container("bbb", "shop", "db"), 0);
  ASSERT_TRUE(key);
  ASSERT_TRUE(store->append_samples({{*key, at(10, 100, 0, 0)}, {*key, at(20, 100, 0, 1)}}));
  ASSERT_TRUE(store->append_event(*key, ContainerEvent{19 * k_s, "bbb", EventKind::oom, std::nullopt}));
  ASSERT_TRUE(store->append_event(*key, ContainerEvent{25 * k_s, "bbb", EventKind::oom, std::nullopt}));
  RecordingSink sink;
  ASSERT_TRUE(store->stream_usage(0, 100 * k_s, {}, sink));
  int ooms = 0;
  for (const auto& c : sink.calls) ooms += c.rfind("oom ", 0) == 0;
  EXPECT_EQ(ooms, 2);  // counter +1, events 2: the larger, not the sum
}

TEST(UsageStream, WindowLookbackAndProjectFilter) {
  testing::TempDir dir;
  auto store = SampleStore::open(dir.path() + "/s.db");
  ASSERT_TRUE(store);
  auto a = store->upsert_container(container("a1", "shop", "api"), 0);
  auto b = store->upsert_container(container("b1", "other", "api"), 0);
  ASSERT_TRUE(a && b);
  // The reading at 50 s is before the window (from 100 s): only a baseline.
  ASSERT_TRUE(store->append_samples({{*a, at(50, 1, 0, 0)}, {*b, at(50, 1, 0)}}));
  ASSERT_TRUE(store->append_samples({{*a, at(110, 2, 1 * k_s, 2)}, {*b, at(110, 2, 0)}}));
  RecordingSink sink;
  UsageStreamFilter filter;
  filter.project = "shop";
  auto stats = store->stream_usage(100 * k_s, 200 * k_s, filter, sink);
  ASSERT_TRUE(stats);
  std::string i = std::to_string(*a);
  std::vector<std::string> expected = {"start api " + i + " 110", "memory api " + i + " 110 2",
                                       "cpu api " + i + " 110 16", "oom api " + i + " 110", "oom api " + i + " 110"};
  EXPECT_EQ(sink.calls, expected);
  EXPECT_EQ(stats->projects, (std::vector<std::string>{"other", "shop"}));
  ASSERT_EQ(stats->services.size(), 1u);
  EXPECT_EQ(stats->services[0].project, "shop");
}

TEST(UsageStream, EmptyWindowPushesNothing) {
  testing::TempDir dir;
  auto store = SampleStore::open(dir.path() + "/s.db");
  ASSERT_TRUE(store);
  RecordingSink sink;
  auto stats = store->stream_usage(0, 100 * k_s, {}, sink);
  ASSERT_TRUE(stats);
  EXPECT_TRUE(sink.calls.empty());
  EXPECT_TRUE(stats->services.empty());
}

// The CPU limit once before the first sample; throttling from consecutive
// readings whose periods moved: +100 periods, 20 throttled, 0.4 s; then no
// period (idle: nothing); then a reset (recreated cgroup: nothing); then +50, 50.
TEST(UsageStream, PushesCpuLimitAndThrottlingIncreases) {
  testing::TempDir dir;
  auto store = SampleStore::open(dir.path() + "/s.db");
  ASSERT_TRUE(store) << store.error().message;
  ContainerInfo info = container("bbb", "shop", "api");
  info.declared.cpu_limit = Millicores{250};
  auto key = store->upsert_container(info, 0);
  ASSERT_TRUE(key);
  auto with = [](Sample s, std::int64_t periods, std::int64_t throttled, std::int64_t throttled_ns) {
    s.cpu_periods = periods;
    s.cpu_throttled_periods = throttled;
    s.cpu_throttled_ns = throttled_ns;
    return s;
  };
  ASSERT_TRUE(store->append_samples({{*key, with(at(10, 1, 0), 1000, 100, 2 * k_s)},
                                     {*key, with(at(20, 1, 0), 1100, 120, 2 * k_s + 400'000'000)},
                                     {*key, with(at(30, 1, 0), 1100, 120, 2 * k_s + 400'000'000)},
                                     {*key, with(at(40, 1, 0), 10, 1, 1000)},
                                     {*key, with(at(50, 1, 0), 60, 51, 5000)}}));
  RecordingSink sink;
  ASSERT_TRUE(store->stream_usage(0, 100 * k_s, {}, sink));
  std::string i = std::to_string(*key);
  std::vector<std::string> throttling;
  for (const std::string& c : sink.calls) {
    if (c.starts_with("cpu_limit") || c.starts_with("throttled")) throttling.push_back(c);
  }
  EXPECT_EQ(throttling, (std::vector<std::string>{"cpu_limit api " + i + " 10 250",
                                                  "throttled api " + i + " 20 20/100 400000000",
                                                  "throttled api " + i + " 50 50/50 4000"}));
}

}  // namespace
}  // namespace stackfit
