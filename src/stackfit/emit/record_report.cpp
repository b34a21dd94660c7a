#include "stackfit/emit/record_report.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

#include "stackfit/emit/json_fields.hpp"
#include "stackfit/util/text_table.hpp"

namespace stackfit {
namespace {

using Json = nlohmann::ordered_json;

std::string percent_of_limit(const UsageSummary& u) {
  if (!u.memory_limit || u.memory_limit->count <= 0) return "-";
  return std::to_string(u.peak_working_set.count * 100 / u.memory_limit->count) + "%";
}

const MeasuredHealthy* healthy_of(const RecordReport& r, const UsageSummary& u) {
  auto it = r.time_to_healthy.find({u.key.namespace_, u.key.name});
  return it == r.time_to_healthy.end() ? nullptr : &it->second;
}

// "2.3 s", or "-" when no start turned healthy.
std::string healthy_cell(const MeasuredHealthy* h) {
  if (h == nullptr) return "-";
  std::int64_t tenths = (h->max_ms + 50) / 100;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " s";
}

// "12.5%" of CFS periods throttled, or "-" when no period elapsed (no CPU limit).
std::string throttled_cell(const UsageSummary& u) {
  auto pct = throttled_percent(u.throttling);
  if (!pct) return "-";
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%", *pct);
  return text;
}

TextTable summary_table(const RecordReport& r) {
  TextTable t({"SERVICE", "SAMPLES", "PEAK", "P95", "AVERAGE", "LIMIT", "PEAK/LIMIT", "CPU P95", "THROTTLED",
               "OOM KILLS", "RESTARTS", "HEALTHY IN"},
              {Align::left, Align::right, Align::right, Align::right, Align::right, Align::right, Align::right,
               Align::right, Align::right, Align::right, Align::right, Align::right});
  for (const UsageSummary& u : r.services) {
    t.add_row({u.key.name, std::to_string(u.samples), format_human_bytes(u.peak_working_set),
               format_human_bytes(u.p95_working_set), format_human_bytes(u.average_working_set),
               u.memory_limit ? format_human_bytes(*u.memory_limit) : "-", percent_of_limit(u),
               u.cpu_p95 ? format_human_cpu(*u.cpu_p95) : "-", throttled_cell(u), std::to_string(u.oom_kills),
               std::to_string(u.restarts), healthy_cell(healthy_of(r, u))});
  }
  return t;
}

Json service_json(const RecordReport& r, const UsageSummary& u) {
  Json out;
  out["name"] = u.key.name;
  out["project"] = u.key.namespace_;
  out["samples"] = u.samples;
  out["first_ns"] = u.first_ns;
  out["last_ns"] = u.last_ns;
  out["memory"] = usage_memory_json(u);
  auto pct = throttled_percent(u.throttling);
  Json cpu = usage_cpu_json(u);
  cpu["periods"] = u.throttling.periods;
  cpu["throttled_periods"] = u.throttling.throttled_periods;
  cpu["throttled_ns"] = u.throttling.throttled_ns;
  cpu["throttled_percent"] = pct ? Json(std::round(*pct * 100) / 100) : Json(nullptr);
  out["cpu"] = std::move(cpu);
  out["oom_kills"] = u.oom_kills;
  out["restarts"] = u.restarts;
  const MeasuredHealthy* h = healthy_of(r, u);
  out["time_to_healthy"] = h == nullptr ? Json(nullptr)
                                        : Json{{"max_ms", h->max_ms},
                                               {"median_ms", h->median_ms},
                                               {"starts", h->starts},
                                               {"never_healthy", h->never_healthy}};
  return out;
}

}  // namespace

std::string render_record_report(const RecordReport& r, OutputFormat format) {
  if (format == OutputFormat::json) {
    Json out;
    out["schema_version"] = k_record_schema_version;
    out["db"] = r.db_path;
    out["from_ns"] = r.from_ns;
    out["to_ns"] = r.to_ns;
    Json services = Json::array();
    for (const UsageSummary& u : r.services) services.push_back(service_json(r, u));
    out["services"] = services;
    return out.dump(2) + "\n";
  }
  TextTable t = summary_table(r);
  if (format == OutputFormat::markdown) return t.to_markdown();
  if (format == OutputFormat::csv) return t.to_csv();
  return t.to_text() + "\nworking set = memory usage - inactive file cache (as docker stats, kubelet and cAdvisor)\n" +
         "samples stored in " + r.db_path + "\n";
}

}  // namespace stackfit
