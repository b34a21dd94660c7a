#include "stackfit/emit/prometheus_metrics.hpp"

#include <cstdio>
#include <functional>

namespace stackfit {
namespace {

struct MetricSpec {
  const char* name;
  const char* type;
  const char* help;
  // Value for one reading; returns false when the metric does not apply.
  std::function<bool(const LiveReading&, std::string&)> value;
};

std::string int_text(std::int64_t v) { return std::to_string(v); }

std::string seconds_text(std::int64_t ns) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.9f", static_cast<double>(ns) / 1e9);
  return buf;
}

// cAdvisor exports the CFS series only for a container with a CPU quota
// (its condition: Spec.Cpu.Quota != 0); periods elapse only under one.
bool has_cpu_quota(const LiveReading& r) { return r.info.declared.cpu_limit.has_value() || r.sample.cpu_periods > 0; }

const std::vector<MetricSpec>& specs() {
  static const std::vector<MetricSpec> k_specs = {
      {"container_memory_working_set_bytes", "gauge", "Current working set (usage minus inactive file) in bytes.",
       [](const LiveReading& r, std::string& v) { return v = int_text(r.sample.working_set.count), true; }},
      {"container_memory_usage_bytes", "gauge", "Current memory usage in bytes, including all memory regardless of when it was accessed.",
       [](const LiveReading& r, std::string& v) { return v = int_text(r.sample.usage.count), true; }},
      {"container_memory_rss", "gauge", "Size of RSS (anonymous memory) in bytes.",
       [](const LiveReading& r, std::string& v) { return v = int_text(r.sample.rss.count), true; }},
      {"container_memory_cache", "gauge", "Number of bytes of page cache memory.",
       [](const LiveReading& r, std::string& v) { return v = int_text(r.sample.page_cache.count), true; }},
      {"container_memory_max_usage_bytes", "gauge", "Maximum memory usage recorded by the kernel in bytes.",
       [](const LiveReading& r, std::string& v) {
         if (!r.sample.peak) return false;
         v = int_text(r.sample.peak->count);
         return true;
       }},
      {"container_spec_memory_limit_bytes", "gauge", "Memory limit for the container in bytes (0 when unlimited).",
       [](const LiveReading& r, std::string& v) { return v = int_text(r.limit ? r.limit->count : 0), true; }},
      {"container_cpu_usage_seconds_total", "counter", "Cumulative CPU time consumed in seconds.",
       [](const LiveReading& r, std::string& v) { return v = seconds_text(r.sample.cpu_usage_ns), true; }},
      {"container_cpu_cfs_periods_total", "counter", "Number of elapsed enforcement period intervals.",
       [](const LiveReading& r, std::string& v) {
         return has_cpu_quota(r) && (v = int_text(r.sample.cpu_periods), true);
       }},
      {"container_cpu_cfs_throttled_periods_total", "counter", "Number of throttled period intervals.",
       [](const LiveReading& r, std::string& v) {
         return has_cpu_quota(r) && (v = int_text(r.sample.cpu_throttled_periods), true);
       }},
      {"container_cpu_cfs_throttled_seconds_total", "counter", "Total time duration the container has been throttled.",
       [](const LiveReading& r, std::string& v) {
         return has_cpu_quota(r) && (v = seconds_text(r.sample.cpu_throttled_ns), true);
       }},
      {"container_oom_events_total", "counter", "Count of out of memory events (OOM kills) observed for the container.",
       [](const LiveReading& r, std::string& v) { return v = int_text(r.sample.oom_kills), true; }},
  };
  return k_specs;
}

// A Kubernetes container gets cAdvisor's labels (container, pod, namespace,
// and id: its cgroup path), which recommend --prometheus reads.
std::string labels(const LiveReading& r) {
  if (const std::optional<KubeLabels>& k = r.info.kube) {
    return "{container=\"" + escape_label_value(k->container) + "\",pod=\"" + escape_label_value(k->pod) +
           "\",namespace=\"" + escape_label_value(k->namespace_) + "\",id=\"" +
           escape_label_value(r.info.cgroup_path) + "\"}";
  }
  return "{name=\"" + escape_label_value(r.info.name) + "\",service=\"" + escape_label_value(r.info.service) +
         "\",project=\"" + escape_label_value(r.info.project) + "\",id=\"" + escape_label_value(r.info.id) + "\"}";
}

}  // namespace

std::string escape_label_value(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string render_prometheus_metrics(const std::vector<LiveReading>& readings) {
  std::string out;
  for (const MetricSpec& spec : specs()) {
    out += std::string("# HELP ") + spec.name + " " + spec.help + "\n";
    out += std::string("# TYPE ") + spec.name + " " + spec.type + "\n";
    std::string value;
    for (const LiveReading& r : readings) {
      if (spec.value(r, value)) out += spec.name + labels(r) + " " + value + "\n";
    }
  }
  return out;
}

}  // namespace stackfit
