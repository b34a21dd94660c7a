// Prometheus text exposition (format 0.0.4) of the latest readings, with
// cAdvisor-compatible metric names so existing dashboards and recording rules
// work unchanged: container_memory_working_set_bytes, container_memory_usage_bytes,
// container_memory_rss, container_memory_cache, container_memory_max_usage_bytes,
// container_spec_memory_limit_bytes, container_cpu_usage_seconds_total,
// container_oom_events_total. Labels: name, service, project, id.
#pragma once

#include <string>
#include <vector>

#include "stackfit/model/sample.hpp"

namespace stackfit {

[[nodiscard]] std::string render_prometheus_metrics(const std::vector<LiveReading>& readings);

// Escapes a label value: backslash, double quote and newline.
[[nodiscard]] std::string escape_label_value(const std::string& value);

}  // namespace stackfit
