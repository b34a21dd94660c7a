// The sample store's write path and footprint (docs/store-schema.md):
//  - BM_AppendBatch: rows/s for batches of 200 rows, what `record` writes
//    every second with 200 containers (one transaction per batch); /0 on a
//    default connection, /1 with the recorder's settings (page cache capped
//    at 256 KiB, skip_key_checks);
//  - BM_Footprint1M: 1,000,000 rows (200 containers x 5,000 s) written the
//    same way, then the file's bytes per sample and the time to read them
//    all back grouped per service (load_series).
// Realistic values: epoch-ns times, working sets around 64 MiB with noise,
// growing CPU counters, a peak, no PSI (cgroup v1 hosts have none).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "stackfit/store/sample_store.hpp"

namespace {

using namespace stackfit;

constexpr int k_containers = 200;
constexpr std::int64_t k_start_ns = 1'763'000'000'000'000'000;
constexpr std::int64_t k_interval_ns = 1'000'000'000;

class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "stackfit-bench-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) != nullptr) m_path = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!m_path.empty()) std::filesystem::remove_all(m_path, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] std::string file(const std::string& name) const { return m_path + "/" + name; }

 private:
  std::string m_path;
};

std::vector<std::int64_t> add_containers(SampleStore& store) {
  std::vector<std::int64_t> keys;
  for (int i = 0; i < k_containers; ++i) {
    ContainerInfo info;
    info.id = "4f1c9e0b7a2d" + std::to_string(100000 + i) + "e3a9c1d2b4f60718293a4b5c6d7e8f901a2b3c4d5e6f7a";
    info.name = "shop-svc" + std::to_string(i % 20) + "-" + std::to_string(i / 20 + 1);
    info.project = "shop";
    info.service = "svc" + std::to_string(i % 20);
    info.container_number = i / 20 + 1;
    info.image = "registry.example/shop/svc:1.4.2";
    info.declared.memory_limit = Bytes{256 * k_mib};
    info.cgroup_path = "/docker/" + info.id;
    keys.push_back(*store.upsert_container(info, k_start_ns));
  }
  return keys;
}

// One second of readings for every container.
void fill_batch(std::vector<SampleRow>& rows, const std::vector<std::int64_t>& keys, std::int64_t second,
                std::uint64_t& noise) {
  rows.clear();
  for (std::int64_t key : keys) {
    noise = noise * 6364136223846793005ull + 1442695040888963407ull;
    Sample s;
    s.time_ns = k_start_ns + second * k_interval_ns + static_cast<std::int64_t>(noise % 1'000'000);
    s.inactive_file = Bytes{4 * k_mib + static_cast<std::int64_t>((noise >> 20) % (1 << 20))};
    s.usage = Bytes{64 * k_mib + key * 65536 + static_cast<std::int64_t>((noise >> 8) % (8 << 20))};
    s.working_set = s.usage - s.inactive_file;
    s.rss = s.working_set - Bytes{2 * k_mib};
    s.page_cache = Bytes{6 * k_mib};
    s.peak = Bytes{80 * k_mib};
    s.cpu_usage_ns = second * 20'000'000 + key * 1'000'000'000;
    s.cpu_throttled_periods = second / 50;
    s.cpu_throttled_ns = (second / 50) * 3'000'000;
    rows.push_back({key, s});
  }
}

void BM_AppendBatch(benchmark::State& state) {
  ScratchDir dir;
  auto store = SampleStore::open(dir.file("bench.db"));
  if (!store) {
    state.SkipWithError(store.error().message.c_str());
    return;
  }
  std::vector<std::int64_t> keys = add_containers(*store);
  if (state.range(0) == 1) {
    constexpr std::int64_t k_recorder_page_cache_kib = 256;  // as record_command.cpp
    if (!store->limit_page_cache(k_recorder_page_cache_kib) || !store->skip_key_checks()) {
      state.SkipWithError("cannot apply the recorder's settings");
      return;
    }
  }
  std::vector<SampleRow> rows;
  std::uint64_t noise = 42;
  std::int64_t second = 0;
  for (auto _ : state) {
    state.PauseTiming();
    fill_batch(rows, keys, ++second, noise);
    state.ResumeTiming();
    if (auto written = store->append_samples(rows); !written) {
      state.SkipWithError(written.error().message.c_str());
      return;
    }
  }
  state.counters["rows_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * k_containers), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AppendBatch)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond)->MinTime(3.0)->UseRealTime();

void BM_Footprint1M(benchmark::State& state) {
  constexpr std::int64_t k_seconds = 5000;  // x 200 containers = 1,000,000 rows
  for (auto _ : state) {
    ScratchDir dir;
    std::string path = dir.file("bench.db");
    double write_s = 0;
    double load_s = 0;
    {
      auto store = SampleStore::open(path);
      if (!store) {
        state.SkipWithError(store.error().message.c_str());
        return;
      }
      std::vector<std::int64_t> keys = add_containers(*store);
      std::vector<SampleRow> rows;
      std::uint64_t noise = 7;
      auto t0 = std::chrono::steady_clock::now();
      for (std::int64_t second = 1; second <= k_seconds; ++second) {
        fill_batch(rows, keys, second, noise);
        if (!store->append_samples(rows)) {
          state.SkipWithError("append failed");
          return;
        }
      }
      auto t1 = std::chrono::steady_clock::now();
      auto series = store->load_series(0, INT64_MAX);
      auto t2 = std::chrono::steady_clock::now();
      write_s = std::chrono::duration<double>(t1 - t0).count();
      load_s = std::chrono::duration<double>(t2 - t1).count();
      benchmark::DoNotOptimize(series);
    }  // closing checkpoints the WAL into the file and removes it
    auto bytes = static_cast<double>(std::filesystem::file_size(path));
    state.counters["file_MiB"] = bytes / (1024.0 * 1024.0);
    state.counters["bytes_per_sample"] = bytes / (k_seconds * k_containers);
    state.counters["write_rows_per_s"] = static_cast<double>(k_seconds * k_containers) / write_s;
    state.counters["load_series_s"] = load_s;
  }
}
BENCHMARK(BM_Footprint1M)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
