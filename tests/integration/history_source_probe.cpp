// Driver for prometheus_history_test.sh: the same generated history through
// both sources into the recommender, so the test can require equal results.
//   history_source_probe load DB SAMPLES.csv
//       writes the generator's samples into a new SQLite store with the
//       store's own API (one container per pod/container, its memory limit,
//       a `start` event at each restart, the OOM counter in the samples)
//   history_source_probe compare DB URL START_S END_S
//       streams the store window and reads the Prometheus window into two
//       Recommenders (default options), and prints one line per workload and
//       source: "<source> <workload> <status> <mem request> <mem limit> <cpu
//       request> <cpu limit> <samples> <cpu samples> <peak> <p95> <oom kills>
//       <restarts> <confidence>". Store keys are the generator's service
//       names ("ns/Kind/name/container"), Prometheus keys print the same way.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "stackfit/analyze/recommendation.hpp"
#include "stackfit/observe/prometheus_history.hpp"
#include "stackfit/store/sample_store.hpp"

using namespace stackfit;

namespace {

int fail(const std::string& what) {
  std::fprintf(stderr, "history_source_probe: %s\n", what.c_str());
  return 1;
}

template <class T>
std::string opt(const std::optional<T>& v) {
  return v ? std::to_string(v->count) : "-";
}

void print(const char* source, const std::string& name, const Recommendation& r) {
  char confidence[32];
  std::snprintf(confidence, sizeof confidence, "%.6f", r.confidence);
  std::cout << source << ' ' << name << ' ' << to_string(r.status) << ' ' << opt(r.recommended.memory_request) << ' '
            << opt(r.recommended.memory_limit) << ' ' << opt(r.recommended.cpu_request) << ' '
            << opt(r.recommended.cpu_limit) << ' ' << r.samples << ' ' << r.cpu_samples << ' ' << opt(r.peak) << ' '
            << opt(r.p95) << ' ' << r.oom_kills << ' ' << r.restarts << ' ' << confidence << '\n';
}

int load(const std::string& db_path, const std::string& csv) {
  auto store = SampleStore::open(db_path);
  if (!store) return fail(store.error().message);
  std::ifstream in(csv);
  std::string line;
  std::map<std::string, std::int64_t> keys;
  std::vector<SampleRow> batch;
  while (std::getline(in, line)) {
    std::stringstream row(line);
    std::string service, instance, field;
    std::getline(row, service, ',');
    std::getline(row, instance, ',');
    std::int64_t v[5];  // time_s, working_set, cpu_ns, oom_counter, limit
    for (auto& x : v) {
      std::getline(row, field, ',');
      x = std::stoll(field);
    }
    auto [it, fresh] = keys.try_emplace(instance, 0);
    if (fresh) {
      ContainerInfo info;
      info.id = instance;
      info.name = instance;
      info.project = "gen";
      info.service = service;
      if (v[4] > 0) info.declared.memory_limit = Bytes{v[4]};
      auto key = store->upsert_container(info, v[0] * 1000000000);
      if (!key) return fail(key.error().message);
      it->second = *key;
    }
    std::getline(row, field, ',');
    if (field == "1") {
      ContainerEvent e;
      e.time_ns = v[0] * 1000000000;
      e.kind = EventKind::start;
      if (auto ok = store->append_event(it->second, e); !ok) return fail(ok.error().message);
    }
    SampleRow s;
    s.container_key = it->second;
    s.sample.time_ns = v[0] * 1000000000;
    s.sample.working_set = Bytes{v[1]};
    s.sample.usage = Bytes{v[1]};
    s.sample.cpu_usage_ns = v[2];
    s.sample.oom_kills = v[3];
    batch.push_back(s);
    if (batch.size() == 10000) {
      if (auto ok = store->append_samples(batch); !ok) return fail(ok.error().message);
      batch.clear();
    }
  }
  if (auto ok = store->append_samples(batch); !ok) return fail(ok.error().message);
  return 0;
}

int compare(const std::string& db_path, const std::string& url, std::int64_t start_s, std::int64_t end_s) {
  auto store = SampleStore::open(db_path);
  if (!store) return fail(store.error().message);
  Recommender from_store{RecommendOptions{}};
  auto streamed = store->stream_usage(start_s * 1000000000, end_s * 1000000000, UsageStreamFilter{}, from_store);
  if (!streamed) return fail(streamed.error().message);
  Recommender from_prometheus{RecommendOptions{}};
  PrometheusHistoryOptions o;
  o.server.base_url = url;
  o.start_ms = start_s * 1000;
  o.end_ms = end_s * 1000;
  o.max_points_per_query = 1000;  // several chunks
  auto read = read_prometheus_history(o, from_prometheus);
  if (!read) return fail(read.error().message);
  for (const WorkloadKey& k : from_store.workloads()) print("store", k.name, from_store.recommend(k, {}));
  for (const WorkloadKey& k : from_prometheus.workloads()) {
    print("prometheus", k.namespace_ + "/" + k.kind + "/" + k.name + "/" + k.container, from_prometheus.recommend(k, {}));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  if (a.size() == 3 && a[0] == "load") return load(a[1], a[2]);
  if (a.size() == 5 && a[0] == "compare") return compare(a[1], a[2], std::stoll(a[3]), std::stoll(a[4]));
  return fail("usage: load DB SAMPLES.csv | compare DB URL START_S END_S");
}
