#include "stackfit/emit/history_report.hpp"

#include <nlohmann/json.hpp>

#include "stackfit/emit/json_fields.hpp"
#include "stackfit/util/text_table.hpp"

namespace stackfit {
namespace {

using Json = nlohmann::ordered_json;

template <class T>
std::string count_or_empty(const std::optional<T>& v) {
  return v ? std::to_string(v->count) : std::string();
}

Json workload_json(const UsageSummary& u) {
  Json out;
  out["namespace"] = u.key.namespace_;
  out["kind"] = u.key.kind;
  out["name"] = u.key.name;
  out["container"] = u.key.container;
  out["instances"] = u.instances;
  out["samples"] = u.samples;
  out["first_ns"] = u.first_ns;
  out["last_ns"] = u.last_ns;
  out["memory"] = usage_memory_json(u);
  Json cpu = {{"samples", u.cpu_samples}};
  cpu.update(usage_cpu_json(u));
  out["cpu"] = std::move(cpu);
  out["oom_kills"] = u.oom_kills;
  out["starts"] = u.starts;
  return out;
}

std::string render_json(const HistoryReport& r) {
  Json out;
  out["schema_version"] = k_history_schema_version;
  out["source"] = r.source;
  out["start_ms"] = r.start_ms;
  out["end_ms"] = r.end_ms;
  out["step_ms"] = r.step_ms;
  out["chunks"] = r.chunks;
  out["queries"] = r.queries;
  out["retries"] = r.retries;
  out["points"] = r.points;
  out["partial"] = !r.warnings.empty();
  out["warnings"] = r.warnings;
  Json workloads = Json::array();
  for (const UsageSummary& u : r.workloads) workloads.push_back(workload_json(u));
  out["workloads"] = std::move(workloads);
  return out.dump(2) + "\n";
}

std::string render_csv(const HistoryReport& r) {
  TextTable t({"namespace", "kind", "name", "container", "instances", "samples", "peak_bytes", "p95_bytes",
               "average_bytes", "limit_bytes", "cpu_samples", "cpu_p95_millicores", "cpu_peak_millicores",
               "oom_kills", "starts"},
              std::vector<Align>(15, Align::left));
  for (const UsageSummary& u : r.workloads) {
    t.add_row({u.key.namespace_, u.key.kind, u.key.name, u.key.container, std::to_string(u.instances),
               std::to_string(u.samples), std::to_string(u.peak_working_set.count),
               std::to_string(u.p95_working_set.count), std::to_string(u.average_working_set.count),
               count_or_empty(u.memory_limit), std::to_string(u.cpu_samples), count_or_empty(u.cpu_p95),
               count_or_empty(u.cpu_peak), std::to_string(u.oom_kills), std::to_string(u.starts)});
  }
  return t.to_csv();
}

}  // namespace

std::string render_history_report(const HistoryReport& r, OutputFormat format) {
  if (format == OutputFormat::json) return render_json(r);
  if (format == OutputFormat::csv) return render_csv(r);
  TextTable t({"NAMESPACE", "WORKLOAD", "CONTAINER", "PODS", "SAMPLES", "PEAK", "P95", "LIMIT", "CPU P95",
               "CPU PEAK", "OOM KILLS", "STARTS"},
              {Align::left, Align::left, Align::left, Align::right, Align::right, Align::right, Align::right,
               Align::right, Align::right, Align::right, Align::right, Align::right});
  for (const UsageSummary& u : r.workloads) {
    t.add_row({u.key.namespace_, u.key.kind + "/" + u.key.name, u.key.container, std::to_string(u.instances),
               std::to_string(u.samples), format_human_bytes(u.peak_working_set),
               format_human_bytes(u.p95_working_set), u.memory_limit ? format_human_bytes(*u.memory_limit) : "-",
               u.cpu_p95 ? format_human_cpu(*u.cpu_p95) : "-", u.cpu_peak ? format_human_cpu(*u.cpu_peak) : "-",
               std::to_string(u.oom_kills), std::to_string(u.starts)});
  }
  std::string text = format == OutputFormat::markdown ? t.to_markdown() : t.to_text();
  for (const std::string& w : r.warnings) text += "PARTIAL DATA (server warning): " + w + "\n";
  return text;
}

}  // namespace stackfit
