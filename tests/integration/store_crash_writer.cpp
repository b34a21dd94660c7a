// Helper for store_crash_test.sh: writes batches of samples to a store as
// fast as it can and prints "committed N" (flushed) after each batch N is
// committed, so the test can kill -9 it at any moment and then check that
// every reported batch is in the file.
//
// usage: store_crash_writer DB MAX_BATCHES ROWS_PER_BATCH
// Stops after MAX_BATCHES or 120 s, whichever comes first. On a store error
// prints its one line to stderr and exits with the documented exit code.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "stackfit/store/sample_store.hpp"

namespace {

constexpr std::int64_t k_start_ns = 1'700'000'000'000'000'000;
constexpr std::int64_t k_interval_ns = 1'000'000'000;
constexpr auto k_max_run_time = std::chrono::seconds(120);

int fail(const stackfit::Error& error) {
  std::fprintf(stderr, "%s\n", error.message.c_str());
  return stackfit::exit_code_for(error.code);
}

std::vector<stackfit::SampleRow> batch_at(const std::vector<std::int64_t>& keys, std::int64_t batch) {
  std::vector<stackfit::SampleRow> rows;
  rows.reserve(keys.size());
  for (std::int64_t key : keys) {
    stackfit::Sample s;
    s.time_ns = k_start_ns + batch * k_interval_ns;
    s.usage = stackfit::Bytes{64 * stackfit::k_mib + key * 4096 + batch};
    s.inactive_file = stackfit::Bytes{4 * stackfit::k_mib};
    s.working_set = s.usage - s.inactive_file;
    s.rss = stackfit::Bytes{50 * stackfit::k_mib};
    s.page_cache = stackfit::Bytes{10 * stackfit::k_mib};
    s.cpu_usage_ns = batch * 3'000'000;
    rows.push_back({key, s});
  }
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: store_crash_writer DB MAX_BATCHES ROWS_PER_BATCH\n");
    return 2;
  }
  std::int64_t max_batches = std::atoll(argv[2]);
  std::int64_t rows_per_batch = std::atoll(argv[3]);
  auto store = stackfit::SampleStore::open(argv[1]);
  if (!store) return fail(store.error());
  std::vector<std::int64_t> keys;
  for (std::int64_t i = 0; i < rows_per_batch; ++i) {
    stackfit::ContainerInfo info;
    info.id = "container-" + std::to_string(i);
    info.name = info.id;
    info.project = "crash";
    info.service = "svc-" + std::to_string(i % 10);
    auto key = store->upsert_container(info, k_start_ns);
    if (!key) return fail(key.error());
    keys.push_back(*key);
  }
  auto deadline = std::chrono::steady_clock::now() + k_max_run_time;
  for (std::int64_t batch = 1; batch <= max_batches && std::chrono::steady_clock::now() < deadline; ++batch) {
    if (auto written = store->append_samples(batch_at(keys, batch)); !written) return fail(written.error());
    std::printf("committed %lld\n", static_cast<long long>(batch));
    std::fflush(stdout);
  }
  return 0;
}
