// Time to load a long Kubernetes YAML stream with load_kubernetes_text.
//
//   kube_load_bench                       run the benchmarks (prints figures)
//   kube_load_bench --write-stream FILE [--objects N]
//                                         write the generated stream (default
//                                         10000 objects) to FILE and exit, so
//                                         whole-process time and peak RSS can
//                                         be measured: /usr/bin/time -v
//                                         stackfit inspect -k FILE
//
// The stream mixes, per group of four objects, two Deployments (two app
// containers and one init container each, with requests, limits, env, probes
// and volumes), one Service and one ConfigMap, like `helm template` output.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "stackfit/load/kube/kube_loader.hpp"
#include "stackfit/load/yaml_node.hpp"
#include "stackfit/util/file_io.hpp"

namespace {

std::string deployment(int i) {
  std::string n = std::to_string(i);
  return "---\n# Source: shop/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
         "  name: svc-" + n + "\n  namespace: shop\n  labels:\n    app.kubernetes.io/name: svc-" + n +
         "\n    app.kubernetes.io/part-of: shop\nspec:\n  replicas: " + std::to_string(1 + i % 3) +
         "\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: svc-" + n +
         "\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: svc-" + n +
         "\n    spec:\n      serviceAccountName: shop\n      initContainers:\n      - name: migrate\n"
         "        image: registry.example.com/shop/migrate:1.4." + n +
         "\n        command: [\"/migrate\", \"--up\"]\n        resources:\n          requests: {cpu: 50m, memory: 64Mi}\n"
         "          limits: {cpu: 200m, memory: 128Mi}\n      containers:\n      - name: app\n"
         "        image: registry.example.com/shop/svc:2.1." + n +
         "\n        args: [\"--port=8080\", \"--log-level=info\"]\n        ports:\n        - {name: http, containerPort: 8080}\n"
         "        env:\n        - name: JAVA_TOOL_OPTIONS\n          value: \"-Xmx384m -XX:+UseG1GC\"\n"
         "        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef: {name: db, key: password}\n"
         "        readinessProbe:\n          httpGet: {path: /ready, port: http}\n          periodSeconds: 10\n"
         "        resources:\n          requests:\n            cpu: 250m\n            memory: 512Mi\n"
         "          limits:\n            cpu: \"1\"\n            memory: 768Mi\n"
         "        volumeMounts:\n        - {name: config, mountPath: /etc/svc}\n"
         "      - name: envoy\n        image: envoyproxy/envoy:v1.30.1\n        args: [\"-c\", \"/etc/envoy/envoy.yaml\"]\n"
         "        resources:\n          requests: {cpu: 50m, memory: 64Mi}\n          limits: {memory: 128Mi}\n"
         "      volumes:\n      - name: config\n        configMap:\n          name: svc-" + n + "-config\n";
}

std::string service(int i) {
  std::string n = std::to_string(i);
  return "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-" + n +
         "\n  namespace: shop\nspec:\n  type: ClusterIP\n  selector:\n    app.kubernetes.io/name: svc-" + n +
         "\n  ports:\n  - {name: http, port: 80, targetPort: http}\n";
}

std::string config_map(int i) {
  std::string n = std::to_string(i);
  return "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: svc-" + n +
         "-config\n  namespace: shop\ndata:\n  app.properties: |\n    server.port=8080\n"
         "    feature.flags=a,b,c\n    cache.size=128\n  LOG_FORMAT: json\n";
}

// `objects` objects: per group of four, two Deployments, a Service, a ConfigMap.
std::string make_stream(int objects) {
  std::string out;
  out.reserve(static_cast<std::size_t>(objects) * 900);
  for (int i = 0; i < objects; ++i) {
    switch (i % 4) {
      case 0:
      case 1: out += deployment(i); break;
      case 2: out += service(i); break;
      default: out += config_map(i); break;
    }
  }
  return out;
}

const auto k_file = std::make_shared<const std::string>("bench.yaml");

void load_kube_stream(benchmark::State& state) {
  const int objects = static_cast<int>(state.range(0));
  const std::string text = make_stream(objects);
  std::size_t services = 0;
  for (auto _ : state) {
    stackfit::Stack stack;
    auto ok = stackfit::load_kubernetes_text(text, k_file, stack);
    if (!ok) {
      state.SkipWithError(ok.error().message.c_str());
      return;
    }
    services = stack.services.size();
    benchmark::DoNotOptimize(stack);
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["objects"] = objects;
  state.counters["services"] = static_cast<double>(services);
  state.counters["input_MiB"] = static_cast<double>(text.size()) / (1024.0 * 1024.0);
  state.counters["peak_rss_MiB"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * objects);
}
BENCHMARK(load_kube_stream)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

// The YAML layer alone (libfyaml events -> yaml::Node per document), to show
// how much of load_kube_stream is parsing and how much is the loader.
void parse_yaml_only(benchmark::State& state) {
  const std::string text = make_stream(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    std::size_t documents = 0;
    auto ok = stackfit::yaml::for_each_document(text, k_file, [&](stackfit::yaml::Node&& doc) {
      benchmark::DoNotOptimize(doc);
      ++documents;
      return stackfit::Expected<void>{};
    });
    if (!ok) {
      state.SkipWithError(ok.error().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(documents);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(parse_yaml_only)->Arg(10000)->Unit(benchmark::kMillisecond);

int write_stream(int argc, char** argv) {
  const char* path = argv[2];
  int objects = 10000;
  if (argc >= 5 && std::strcmp(argv[3], "--objects") == 0) objects = std::atoi(argv[4]);
  if (objects <= 0 || objects > 10'000'000) {
    std::fprintf(stderr, "--objects must be 1..10000000\n");
    return 2;
  }
  auto ok = stackfit::write_file_atomic(path, make_stream(objects), stackfit::Overwrite::yes);
  if (!ok) {
    std::fprintf(stderr, "%s\n", ok.error().message.c_str());
    return 1;
  }
  std::printf("wrote %d objects to %s\n", objects, path);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 3 && std::strcmp(argv[1], "--write-stream") == 0) return write_stream(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
