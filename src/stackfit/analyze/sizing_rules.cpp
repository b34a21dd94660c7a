#include "stackfit/analyze/sizing_rules.hpp"

#include <cmath>
#include <cstdio>
#include <map>

namespace stackfit {
namespace {

// Percentages of the limit (docs/rules.md explains each threshold).
constexpr long double k_jvm_heap_max_percent = 75;
constexpr long double k_shared_buffers_warn_percent = 25;
constexpr long double k_shared_buffers_fail_percent = 40;
constexpr std::size_t k_storm_min_services = 3;
// Interval the engine uses when a health check sets none (ms): Compose 30 s,
// Kubernetes probe periodSeconds 10 s.
constexpr std::int64_t k_compose_default_interval_ms = 30'000;
constexpr std::int64_t k_kube_default_interval_ms = 10'000;

const std::vector<RuleInfo> k_rules{
    {"memory-limit-missing", Severity::warning, "a service declares no memory limit"},
    {"memory-request-missing", Severity::warning, "Kubernetes: a workload declares neither memory request nor limit"},
    {"cpu-request-missing", Severity::warning, "Kubernetes: a workload declares neither CPU request nor limit"},
    {"request-above-limit", Severity::failure, "a memory or CPU request is above its limit"},
    {"limit-below-engine-minimum", Severity::failure, "a memory limit is below the 6 MiB the engine accepts"},
    {"jvm-heap-too-large", Severity::failure, "JVM max heap above 75% of the container's memory limit"},
    {"jvm-heap-uncapped", Severity::warning, "a JVM under a memory limit sets neither -Xmx nor MaxRAMPercentage"},
    {"postgres-shared-buffers-too-large", Severity::warning,
     "PostgreSQL shared_buffers above 25% of the memory limit (failure above 40%)"},
    {"redis-maxmemory-missing", Severity::warning, "Redis under a memory limit without maxmemory"},
    {"redis-maxmemory-above-limit", Severity::failure, "Redis maxmemory above the container's memory limit"},
    {"node-heap-above-limit", Severity::failure, "Node.js --max-old-space-size above the memory limit"},
    {"healthcheck-storm", Severity::warning, "3 or more services share one health check interval"},
};

// A container the per-container rules look at, with the prefix its messages
// get when the service has several containers ("container app: ").
struct Subject {
  std::string prefix;
  const Resources* resources;
  const RuntimeHints* hints;
};

bool declares_anything(const Resources& r) {
  return r.memory_request || r.memory_limit || r.cpu_request || r.cpu_limit;
}

std::vector<Subject> subjects_of(const Service& s) {
  if (s.containers.empty()) return {{"", &s.resources, &s.hints}};
  if (s.containers.size() == 1) {
    // Compose: the container is the service; loaders may fill either.
    const Container& c = s.containers.front();
    return {{"", declares_anything(c.resources) ? &c.resources : &s.resources,
             c.hints.empty() ? &s.hints : &c.hints}};
  }
  std::vector<Subject> out;
  for (const Container& c : s.containers) out.push_back({"container " + c.name + ": ", &c.resources, &c.hints});
  return out;
}

// A memory limit of 0 means "no limit" to Docker and Compose.
std::optional<Bytes> memory_limit(const Resources& r) {
  if (r.memory_limit && r.memory_limit->count > 0) return r.memory_limit;
  return std::nullopt;
}

bool above_percent(Bytes part, Bytes whole, long double percent) {
  return static_cast<long double>(part.count) * 100 > static_cast<long double>(whole.count) * percent;
}

// "88%"; one decimal when rounding would show the threshold itself ("75.3%").
std::string percent_text(long double percent, long double threshold) {
  long double rounded = std::round(percent);
  char buf[32];
  if (rounded == threshold && percent > threshold) std::snprintf(buf, sizeof buf, "%.1Lf%%", percent);
  else std::snprintf(buf, sizeof buf, "%.0Lf%%", rounded);
  return buf;
}

std::string percent_of(Bytes part, Bytes whole, long double threshold) {
  return percent_text(static_cast<long double>(part.count) * 100 / static_cast<long double>(whole.count), threshold);
}

std::string number_text(long double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1Lf", value);
  std::string s = buf;
  if (s.ends_with(".0")) s.resize(s.size() - 2);
  return s;
}

// "30 s", "1.5 s", "500 ms".
std::string interval_text(std::int64_t ms) {
  if (ms < 1000) return std::to_string(ms) + " ms";
  return number_text(static_cast<long double>(ms) / 1000) + " s";
}

class RuleRunner {
 public:
  RuleRunner(const Stack& stack, std::vector<Finding>& out) : m_stack(stack), m_out(out) {}

  void run_service(const Service& s) {
    m_service = &s;
    limits_declared(s.resources);
    requests_within_limits(s);
    for (const Subject& subject : subjects_of(s)) run_subject(subject);
  }

  void run_stack() { healthcheck_storm(); }

 private:
  void add(const char* id, Severity severity, std::string message) {
    m_out.push_back(Finding{id, severity, m_service ? m_service->name : "", std::move(message),
                            m_service ? m_service->declared_at : SourceLocation{}});
  }

  void limits_declared(const Resources& r) {
    bool kube = m_stack.kind == StackKind::kubernetes;
    if (!memory_limit(r)) {
      add("memory-limit-missing", Severity::warning,
          kube ? "no memory limit declared: a container can take all the memory of its node"
               : "no memory limit declared: the service can take all the memory of the host");
    }
    if (!kube) return;
    // Kubernetes copies a limit into a missing request, so only "neither" is missing.
    if (!r.memory_request && !r.memory_limit) {
      add("memory-request-missing", Severity::warning,
          "no memory request declared: the scheduler places the pod as if it needed no memory");
    }
    if (!r.cpu_request && !r.cpu_limit) {
      add("cpu-request-missing", Severity::warning,
          "no CPU request declared: the scheduler places the pod as if it needed no CPU");
    }
  }

  void requests_within_limits(const Service& s) {
    for (const Subject& subject : subjects_of(s)) {
      const Resources& r = *subject.resources;
      auto limit = memory_limit(r);
      if (r.memory_request && limit && *r.memory_request > *limit) {
        add("request-above-limit", Severity::failure,
            subject.prefix + "memory request " + format_human_bytes(*r.memory_request) +
                " is above the memory limit " + format_human_bytes(*limit));
      }
      if (r.cpu_request && r.cpu_limit && r.cpu_limit->count > 0 && *r.cpu_request > *r.cpu_limit) {
        add("request-above-limit", Severity::failure,
            subject.prefix + "CPU request " + format_human_cpu(*r.cpu_request) + " is above the CPU limit " +
                format_human_cpu(*r.cpu_limit));
      }
      if (limit && limit->count < k_engine_min_memory_bytes) {
        add("limit-below-engine-minimum", Severity::failure,
            subject.prefix + "memory limit " + format_human_bytes(*limit) + " is below the " +
                format_human_bytes(Bytes{k_engine_min_memory_bytes}) + " minimum the container engine accepts");
      }
    }
  }

  void run_subject(const Subject& subject) {
    auto limit = memory_limit(*subject.resources);
    const RuntimeHints& h = *subject.hints;
    switch (h.kind) {
      case RuntimeKind::jvm:
      case RuntimeKind::elasticsearch:
      case RuntimeKind::neo4j: jvm_heap(subject.prefix, h, limit); break;
      case RuntimeKind::postgres: shared_buffers(subject.prefix, h, limit); break;
      case RuntimeKind::redis: redis_maxmemory(subject.prefix, h, limit); break;
      case RuntimeKind::node: node_heap(subject.prefix, h, limit); break;
      case RuntimeKind::unknown:
        if (h.jvm_max_heap || h.jvm_max_ram_percentage) jvm_heap(subject.prefix, h, limit);
        break;
    }
  }

  void jvm_heap(const std::string& prefix, const RuntimeHints& h, std::optional<Bytes> limit) {
    if (!limit) return;
    std::optional<Bytes> heap = h.jvm_max_heap ? h.jvm_max_heap : h.neo4j_heap_max;
    if (heap) {
      if (above_percent(*heap, *limit, k_jvm_heap_max_percent)) {
        add("jvm-heap-too-large", Severity::failure,
            prefix + "JVM max heap " + format_human_bytes(*heap) + " is " +
                percent_of(*heap, *limit, k_jvm_heap_max_percent) + " of the " + format_human_bytes(*limit) +
                " memory limit (keep it at or below 75%)");
      }
      return;
    }
    if (h.jvm_max_ram_percentage) {
      if (*h.jvm_max_ram_percentage > static_cast<double>(k_jvm_heap_max_percent)) {
        add("jvm-heap-too-large", Severity::failure,
            prefix + "JVM -XX:MaxRAMPercentage=" + number_text(*h.jvm_max_ram_percentage) +
                " sizes the heap at " + number_text(*h.jvm_max_ram_percentage) + "% of the " +
                format_human_bytes(*limit) + " memory limit (keep it at or below 75%)");
      }
      return;
    }
    add("jvm-heap-uncapped", Severity::warning,
        prefix + "JVM sets neither -Xmx nor -XX:MaxRAMPercentage under the " + format_human_bytes(*limit) +
            " memory limit: its default heap depends on the JVM version (set it explicitly)");
  }

  void shared_buffers(const std::string& prefix, const RuntimeHints& h, std::optional<Bytes> limit) {
    if (!limit || !h.postgres_shared_buffers) return;
    Bytes sb = *h.postgres_shared_buffers;
    bool fail = above_percent(sb, *limit, k_shared_buffers_fail_percent);
    if (!fail && !above_percent(sb, *limit, k_shared_buffers_warn_percent)) return;
    long double threshold = fail ? k_shared_buffers_fail_percent : k_shared_buffers_warn_percent;
    add("postgres-shared-buffers-too-large", fail ? Severity::failure : Severity::warning,
        prefix + "PostgreSQL shared_buffers " + format_human_bytes(sb) + " is " + percent_of(sb, *limit, threshold) +
            " of the " + format_human_bytes(*limit) + " memory limit (keep it at or below 25%)");
  }

  void redis_maxmemory(const std::string& prefix, const RuntimeHints& h, std::optional<Bytes> limit) {
    if (!limit) return;
    if (!h.redis_maxmemory || h.redis_maxmemory->count == 0) {
      add("redis-maxmemory-missing", Severity::warning,
          prefix + "Redis has no maxmemory under the " + format_human_bytes(*limit) +
              " memory limit: it grows until the container is OOM-killed (set --maxmemory below the limit)");
    } else if (*h.redis_maxmemory > *limit) {
      add("redis-maxmemory-above-limit", Severity::failure,
          prefix + "Redis maxmemory " + format_human_bytes(*h.redis_maxmemory) + " is above the " +
              format_human_bytes(*limit) + " memory limit (keep it well below: Redis needs room beyond its data)");
    }
  }

  void node_heap(const std::string& prefix, const RuntimeHints& h, std::optional<Bytes> limit) {
    if (!limit || !h.node_max_old_space || *h.node_max_old_space <= *limit) return;
    add("node-heap-above-limit", Severity::failure,
        prefix + "Node.js --max-old-space-size " + format_human_bytes(*h.node_max_old_space) + " is above the " +
            format_human_bytes(*limit) + " memory limit");
  }

  void healthcheck_storm() {
    m_service = nullptr;
    std::int64_t fallback =
        m_stack.kind == StackKind::kubernetes ? k_kube_default_interval_ms : k_compose_default_interval_ms;
    std::map<std::int64_t, std::vector<std::string>> by_interval;
    for (const Service& s : m_stack.services) {
      if (!s.healthcheck || s.healthcheck->disabled) continue;
      by_interval[s.healthcheck->interval_ms.value_or(fallback)].push_back(s.name);
    }
    for (const auto& [interval, names] : by_interval) {
      if (names.size() < k_storm_min_services) continue;
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      add("healthcheck-storm", Severity::warning,
          std::to_string(names.size()) + " services check health every " + interval_text(interval) +
              " in step: " + list + " (stagger intervals or start periods so the checks do not pile up at start-up)");
    }
  }

  const Stack& m_stack;
  std::vector<Finding>& m_out;
  const Service* m_service = nullptr;
};

}  // namespace

const std::vector<RuleInfo>& sizing_rules() { return k_rules; }

std::vector<Finding> run_sizing_rules(const Stack& stack) {
  std::vector<Finding> out;
  RuleRunner runner(stack, out);
  for (const Service& s : stack.services) runner.run_service(s);
  runner.run_stack();
  return out;
}

}  // namespace stackfit
