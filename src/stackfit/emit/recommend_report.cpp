#include "stackfit/emit/recommend_report.hpp"

#include <cmath>
#include <ctime>

#include <nlohmann/json.hpp>

#include "stackfit/emit/json_fields.hpp"
#include "stackfit/util/text_table.hpp"

namespace stackfit {
namespace {

using Json = nlohmann::ordered_json;

std::string mem(const std::optional<Bytes>& b) { return b ? format_human_bytes(*b) : "-"; }
std::string cpu(const std::optional<Millicores>& m) { return m ? format_k8s_cpu(*m) : "-"; }

template <class T, class F>
std::string change(const std::optional<T>& declared, const std::optional<T>& recommended, F show) {
  return show(declared) + " -> " + show(recommended);
}

std::string confidence_text(const Recommendation& r) {
  return std::to_string(static_cast<int>(std::lround(r.confidence * 100))) + "%";
}

std::string name_of(const Recommendation& r) {
  if (r.key.container.empty()) return r.key.name;
  return r.key.name + "/" + r.key.container;
}

// "0.1 -> 0.12" when the limit changes, "0.5 (kept)" or "-" (no limit).
std::string cpu_limit_cell(const Recommendation& r) {
  const CpuLimitAdvice& a = r.cpu_limit_advice;
  if (a.limit) return change(a.limit_in_force, a.limit, cpu);
  if (a.limit_in_force) return cpu(a.limit_in_force) + " (kept)";
  return cpu(r.declared.cpu_limit);
}

TextTable table(const RecommendReport& report) {
  TextTable t({"SERVICE", "MEMORY REQUEST", "MEMORY LIMIT", "CPU REQUEST", "CPU LIMIT", "CONFIDENCE", "STATUS"},
              {Align::left, Align::right, Align::right, Align::right, Align::right, Align::right, Align::left});
  for (const Recommendation& r : report.services) {
    t.add_row({name_of(r), change(r.declared.memory_request, r.recommended.memory_request, mem),
               change(r.declared.memory_limit, r.recommended.memory_limit, mem),
               change(r.declared.cpu_request, r.recommended.cpu_request, cpu), cpu_limit_cell(r),
               confidence_text(r), to_string(r.status)});
  }
  return t;
}

std::string reasons_text(const RecommendReport& report, const std::string& bullet) {
  std::string out;
  for (const Recommendation& r : report.services) {
    out += "\n" + name_of(r) + " (" + to_string(r.strategy) + ", " + std::to_string(r.samples) + " samples, " +
           std::to_string(r.oom_kills) + " OOM kills, " + std::to_string(r.restarts) + " restarts):\n";
    for (const std::string& reason : r.reasons) out += bullet + reason + "\n";
  }
  if (!report.notes.empty()) out += "\n";
  for (const std::string& note : report.notes) out += "note: " + note + "\n";
  return out;
}

// The adaptive strategy's winning model (null for the other strategies).
Json model_json(const Recommendation& r) {
  if (!r.adaptive) return nullptr;
  const AdaptiveChoice& c = *r.adaptive;
  return {{"name", c.model_name()},         {"base_model", c.base_model},
          {"window_hours", c.window_hours}, {"margin", c.margin},
          {"headroom_bytes", c.headroom_bytes},
          {"scored_hours", c.scored_hours}, {"overrun_hours", c.overrun_hours},
          {"startup_peak_bytes", c.startup_bytes > 0 ? Json(c.startup_bytes) : Json(nullptr)},
          {"oom_floor_bytes", c.oom_floor_bytes > 0 ? Json(c.oom_floor_bytes) : Json(nullptr)}};
}

Json throttling_json(const CpuLimitAdvice& a) {
  const auto& ratio = a.throttled_ratio;
  return {{"periods", a.periods},
          {"throttled_periods", a.throttled_periods},
          {"throttled_percent", ratio ? Json(std::round(*ratio * 10000) / 100) : Json(nullptr)},
          {"limit_in_force_millicores", count_or_null(a.limit_in_force)},
          {"limit_change", to_string(a.change)}};
}

Json service_json(const Recommendation& r) {
  Json s;
  s["name"] = r.key.name;
  s["kind"] = r.key.kind;
  s["namespace"] = r.key.namespace_;
  s["container"] = r.key.container;
  s["status"] = to_string(r.status);
  s["strategy"] = to_string(r.strategy);
  s["samples"] = r.samples;
  s["history_seconds"] = r.history_ns / 1'000'000'000;
  s["confidence"] = std::round(r.confidence * 100) / 100;
  s["memory"] = {{"request_bytes", count_or_null(r.recommended.memory_request)},
                 {"limit_bytes", count_or_null(r.recommended.memory_limit)},
                 {"declared_request_bytes", count_or_null(r.declared.memory_request)},
                 {"declared_limit_bytes", count_or_null(r.declared.memory_limit)},
                 {"peak_bytes", count_or_null(r.peak)},
                 {"p95_bytes", count_or_null(r.p95)},
                 {"startup_peak_bytes", count_or_null(r.startup_peak)},
                 {"steady_peak_bytes", count_or_null(r.steady_peak)},
                 {"trend_bytes_per_hour", r.trend_bytes_per_hour
                                              ? Json(static_cast<std::int64_t>(std::llround(*r.trend_bytes_per_hour)))
                                              : Json(nullptr)}};
  s["cpu"] = {{"request_millicores", count_or_null(r.recommended.cpu_request)},
              {"limit_millicores", count_or_null(r.recommended.cpu_limit)},
              {"declared_request_millicores", count_or_null(r.declared.cpu_request)},
              {"declared_limit_millicores", count_or_null(r.declared.cpu_limit)},
              {"p95_millicores", count_or_null(r.cpu_p95)},
              {"peak_millicores", count_or_null(r.cpu_peak)},
              {"throttling", throttling_json(r.cpu_limit_advice)}};
  Json knobs = Json::array();
  for (const RuntimeKnobValue& k : r.knobs) {
    Json j;
    j["knob"] = to_string(k.knob);
    j["bytes"] = k.value.count;
    j["policy"] = k.policy.empty() ? Json(nullptr) : Json(k.policy);
    j["reason"] = k.reason;
    knobs.push_back(j);
  }
  s["runtime"] = knobs;
  s["oom_kills"] = r.oom_kills;
  s["restarts"] = r.restarts;
  s["model"] = model_json(r);
  s["reasons"] = r.reasons;
  return s;
}

std::string render_json(const RecommendReport& report) {
  Json out;
  out["schema"] = k_recommend_schema;
  out["source"] = {{"kind", report.source_kind},
                   {"location", report.location},
                   {"from", format_utc(report.from_ns)},
                   {"to", format_utc(report.to_ns)}};
  out["strategy"] = to_string(report.strategy);
  out["profile"] = to_string(report.profile);
  Json services = Json::array();
  for (const Recommendation& r : report.services) services.push_back(service_json(r));
  out["services"] = services;
  out["notes"] = report.notes;
  return out.dump(2) + "\n";
}

std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string render_csv(const RecommendReport& report) {
  auto n = [](const auto& v) { return v ? std::to_string(v->count) : std::string(); };
  std::string out =
      "service,status,strategy,samples,confidence,memory_request_bytes,memory_limit_bytes,cpu_request_millicores,"
      "declared_memory_request_bytes,declared_memory_limit_bytes,declared_cpu_request_millicores,peak_bytes,"
      "oom_kills,restarts,reasons\n";
  for (const Recommendation& r : report.services) {
    std::string reasons;
    for (const std::string& reason : r.reasons) reasons += (reasons.empty() ? "" : "; ") + reason;
    char conf[16];
    std::snprintf(conf, sizeof conf, "%.2f", r.confidence);
    out += csv_cell(name_of(r)) + "," + to_string(r.status) + "," + to_string(r.strategy) + "," +
           std::to_string(r.samples) + "," + conf + "," + n(r.recommended.memory_request) + "," +
           n(r.recommended.memory_limit) + "," + n(r.recommended.cpu_request) + "," + n(r.declared.memory_request) +
           "," + n(r.declared.memory_limit) + "," + n(r.declared.cpu_request) + "," + n(r.peak) + "," +
           std::to_string(r.oom_kills) + "," + std::to_string(r.restarts) + "," + csv_cell(reasons) + "\n";
  }
  return out;
}

}  // namespace

std::string render_recommend_report(const RecommendReport& report, OutputFormat format) {
  switch (format) {
    case OutputFormat::json: return render_json(report);
    case OutputFormat::csv: return render_csv(report);
    case OutputFormat::markdown: return table(report).to_markdown() + reasons_text(report, "- ");
    case OutputFormat::table: break;
  }
  std::string header = "from " + report.location + ", " + format_utc(report.from_ns) + " to " +
                       format_utc(report.to_ns) + "; strategy " + to_string(report.strategy) + ", profile " +
                       to_string(report.profile) + "\n\n";
  return header + table(report).to_text() + reasons_text(report, "  - ");
}

}  // namespace stackfit
