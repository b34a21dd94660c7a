// `stackfit plan` figures (docs/plan.md): planning a 500-service stack
// against the whole catalog (aim: under 100 ms; also with inference of
// unlabelled candidates and a --keep core), packing 5,000 pods with
// first-fit decreasing (aim: under 1 s), the whole cluster plan including
// pricing every node type, and the exact ILP on small cases.
// Run: build/bench/plan_bench --benchmark_min_time=0.5s
#include <benchmark/benchmark.h>

#include <random>

#include "stackfit/plan/cluster_plan.hpp"
#include "stackfit/plan/core_stack.hpp"
#include "stackfit/plan/fit_plan.hpp"
#include "stackfit/plan/pack_ilp.hpp"
#include "stackfit/plan/pod_packing.hpp"
#include "stackfit/plan/optional_inference.hpp"
#include "stackfit/plan/startup_waves.hpp"

namespace stackfit {
namespace {

// 500 services: a third optional, some replicated, a quarter with a JVM heap
// (so option A has work), limits 64 MiB .. 2 GiB.
Stack big_stack(std::size_t count) {
  std::mt19937 rng(500);
  Stack st;
  for (std::size_t i = 0; i < count; ++i) {
    Service s;
    s.name = "svc-" + std::to_string(i);
    s.kind = "service";
    s.resources.memory_limit = Bytes{static_cast<std::int64_t>(64 + rng() % 1984) * k_mib};
    s.resources.cpu_request = Millicores{static_cast<std::int64_t>(10 + rng() % 200)};
    s.priority = i % 3 == 0 ? Priority::optional : (i % 7 == 0 ? Priority::critical : Priority::normal);
    s.replicas = i % 5 == 0 ? 3 : 1;
    if (i % 4 == 0) {
      s.hints.kind = RuntimeKind::jvm;
      s.hints.jvm_max_heap = Bytes{s.resources.memory_limit->count / 4};
    }
    st.services.push_back(std::move(s));
  }
  return st;
}

void BM_PlanMachine500Services(benchmark::State& state) {
  Stack st = big_stack(500);
  MachineCatalog catalog = MachineCatalog::builtin();
  // A target it does not fit, so every option (A, B, C, A+B, A+C) is computed.
  PlanTarget target{"m6i.8xlarge", Bytes{128 * k_gib}, Bytes{2 * k_gib}, Millicores{32000}, 1.536};
  for (auto _ : state) {
    Plan p = make_plan(st, target, catalog, {}, PlanSettings{0.10});
    benchmark::DoNotOptimize(p.options.data());
  }
  state.counters["services"] = 500;
  state.counters["catalog"] = static_cast<double>(catalog.machines().size());
}
BENCHMARK(BM_PlanMachine500Services)->Unit(benchmark::kMillisecond);

// 500 unlabelled services as a Compose user has them: images from the UI
// catalog and datastores, profile-only services, groups of identical
// workers, depends_on chains; `--keep` of ten services. Inference, the
// knapsack over its groups, the merge options and the core.
Stack unlabelled_stack(std::size_t count) {
  static const char* const k_images[] = {"ghcr.io/x/app:1", "redis:7",          "postgres:16", "mher/flower:2",
                                         "grafana/grafana",  "prom/prometheus", "nginx:1",     "ghcr.io/x/worker:1"};
  std::mt19937 rng(13);
  Stack st;
  for (std::size_t i = 0; i < count; ++i) {
    Service s;
    s.name = "svc-" + std::to_string(i);
    s.kind = "service";
    s.image = k_images[i % 8];
    bool worker = i % 8 == 7;
    s.resources.memory_limit = Bytes{static_cast<std::int64_t>(worker ? 320 : 64 + rng() % 1984) * k_mib};
    Container c;
    c.name = s.name;
    c.image = s.image;
    c.command = {"run", worker ? "worker" : s.name};
    s.containers.push_back(c);
    if (i % 5 == 0) s.profiles = {"extra"};
    if (i >= 8 && !worker) s.depends_on.push_back(Dependency{"svc-" + std::to_string(i - 8), "service_started", true});
    st.services.push_back(std::move(s));
  }
  return st;
}

void BM_PlanInferAndKeep500Services(benchmark::State& state) {
  Stack st = unlabelled_stack(500);
  MachineCatalog catalog = MachineCatalog::builtin();
  PlanTarget target{"m6i.4xlarge", Bytes{64 * k_gib}, Bytes{2 * k_gib}, Millicores{16000}, 0.768};
  std::vector<std::string> keep;
  for (int i = 0; i < 10; ++i) keep.push_back("svc-" + std::to_string(400 + i * 9));
  std::size_t options = 0;
  for (auto _ : state) {
    auto core = core_stack(st, keep);
    auto acyclic = check_depends_on_acyclic(st);
    Plan p = make_plan(st, target, catalog, {}, PlanSettings{0.10, true, &*core, ""});
    options = p.options.size();
    benchmark::DoNotOptimize(acyclic);
    benchmark::DoNotOptimize(p.options.data());
  }
  OptionalInference inf = infer_optional(st);
  state.counters["options"] = static_cast<double>(options);
  state.counters["drop_groups"] = static_cast<double>(inf.drops.size());
  state.counters["identical_groups"] = static_cast<double>(inf.identical.size());
  state.counters["merges"] = static_cast<double>(inf.merges.size());
}
BENCHMARK(BM_PlanInferAndKeep500Services)->Unit(benchmark::kMillisecond);

std::vector<PodSize> random_pods(std::size_t count) {
  std::mt19937 rng(5000);
  std::vector<PodSize> pods;
  for (std::size_t i = 0; i < count; ++i) {
    pods.push_back(PodSize{Bytes{static_cast<std::int64_t>(64 + rng() % 2000) * k_mib},
                           Millicores{static_cast<std::int64_t>(50 + rng() % 950)}, 0});
  }
  return pods;
}

void BM_Ffd5000Pods(benchmark::State& state) {
  std::vector<PodSize> pods = random_pods(5000);
  NodeCapacity node{Bytes{30 * k_gib}, Millicores{7900}};
  std::int64_t nodes = 0;
  for (auto _ : state) {
    Packing p = first_fit_decreasing(pods, node);
    nodes = p.nodes;
    benchmark::DoNotOptimize(p.node_of.data());
  }
  state.counters["nodes"] = static_cast<double>(nodes);
  state.counters["lower_bound"] = static_cast<double>(packing_lower_bound(pods, node));
}
BENCHMARK(BM_Ffd5000Pods)->Unit(benchmark::kMillisecond);

void BM_ClusterPlan5000PodsAllNodeTypes(benchmark::State& state) {
  Stack st;
  std::mt19937 rng(77);
  for (int i = 0; i < 500; ++i) {
    Service s;
    s.name = "w" + std::to_string(i);
    s.kind = "Deployment";
    s.replicas = 10;
    s.resources.memory_request = Bytes{static_cast<std::int64_t>(64 + rng() % 2000) * k_mib};
    s.resources.cpu_request = Millicores{static_cast<std::int64_t>(50 + rng() % 950)};
    st.services.push_back(std::move(s));
  }
  MachineCatalog catalog = MachineCatalog::builtin();
  const Machine& node = *catalog.find("m6i.2xlarge");
  for (auto _ : state) {
    ClusterPlan p = plan_cluster(st, node, catalog, ClusterSettings{});
    benchmark::DoNotOptimize(p.nodes_needed);
  }
}
BENCHMARK(BM_ClusterPlan5000PodsAllNodeTypes)->Unit(benchmark::kMillisecond);

void BM_IlpSmall(benchmark::State& state) {
  std::vector<PodSize> pods = random_pods(static_cast<std::size_t>(state.range(0)));
  NodeCapacity node{Bytes{4 * k_gib}, Millicores{2000}};
  Packing ffd = first_fit_decreasing(pods, node);
  IlpResult r;
  for (auto _ : state) {
    r = solve_packing_ilp(pods, node, ffd.nodes, IlpLimits{5000, 4000});
    benchmark::DoNotOptimize(r.nodes);
  }
  state.counters["ffd_nodes"] = static_cast<double>(ffd.nodes);
  state.counters["ilp_nodes"] = static_cast<double>(r.nodes);
  state.counters["optimal"] = r.status == IlpStatus::optimal ? 1 : 0;
}
BENCHMARK(BM_IlpSmall)->Arg(8)->Arg(12)->Arg(16)->Arg(24)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace stackfit

BENCHMARK_MAIN();
