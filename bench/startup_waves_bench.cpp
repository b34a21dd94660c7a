// Start-up waves (plan/startup_waves) for large stacks: n services, each
// depending on up to two earlier ones, start-up peaks 50-500 MiB settling to
// 10-100 MiB, 70% with a health check, against a budget that forces many
// waves. Rerun: cmake --build build --target startup_waves_bench &&
// build/bench/startup_waves_bench
#include <benchmark/benchmark.h>

#include <random>

#include "stackfit/plan/startup_waves.hpp"

namespace {

std::vector<stackfit::StartupService> make_services(int n) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<std::int64_t> peak_mib(50, 500);
  std::uniform_int_distribution<std::int64_t> steady_mib(10, 100);
  std::uniform_int_distribution<int> percent(0, 99);
  std::vector<stackfit::StartupService> out;
  for (int i = 0; i < n; ++i) {
    stackfit::StartupService s;
    s.name = "svc" + std::to_string(i);
    s.startup_peak = stackfit::Bytes{peak_mib(rng) << 20};
    s.steady = stackfit::Bytes{steady_mib(rng) << 20};
    s.source = stackfit::StartupSource::measured;
    if (percent(rng) < 70) s.healthcheck = stackfit::Healthcheck{};
    for (int d = 0; d < 2 && i > 0; ++d) {
      if (percent(rng) < 30) s.depends_on.push_back("svc" + std::to_string(std::uniform_int_distribution<int>(0, i - 1)(rng)));
    }
    out.push_back(std::move(s));
  }
  return out;
}

void BM_PlanStartup(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  auto services = make_services(n);
  // Steady usage of everything plus room for about 4 GiB of peaks.
  std::int64_t steady = 0;
  for (const auto& s : services) steady += s.steady.count;
  const stackfit::Bytes budget{steady + (std::int64_t{4} << 30)};
  std::size_t waves = 0;
  for (auto _ : state) {
    auto plan = stackfit::plan_startup(services, budget);
    waves = plan ? plan->waves.size() : 0;
    benchmark::DoNotOptimize(plan);
  }
  state.counters["waves"] = static_cast<double>(waves);
}
BENCHMARK(BM_PlanStartup)->Arg(50)->Arg(500)->Arg(2000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
