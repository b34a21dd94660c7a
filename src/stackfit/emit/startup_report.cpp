#include "stackfit/emit/startup_report.hpp"

#include <nlohmann/json.hpp>

#include "stackfit/emit/json_fields.hpp"
#include "stackfit/util/text_table.hpp"

namespace stackfit {
namespace {

using Json = nlohmann::ordered_json;

std::string join_names(const StartupPlan& plan, const std::vector<std::size_t>& indexes) {
  std::string out;
  for (std::size_t i : indexes) out += (out.empty() ? "" : ", ") + plan.services[i].name;
  return out.empty() ? "-" : out;
}

std::string seconds(std::optional<std::int64_t> ms) {
  if (!ms) return "-";
  std::int64_t tenths = (*ms + 50) / 100;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " s";
}

const StartupOverride* override_of(const StartupReport& r, const std::string& service) {
  for (const StartupOverride& o : r.overrides) {
    if (o.service == service) return &o;
  }
  return nullptr;
}

TextTable waves_table(const StartupReport& r) {
  TextTable t({"WAVE", "SERVICES", "START-UP PEAK", "RUNNING", "EXPECTED PEAK", "CUMULATIVE STEADY", "SETTLES IN",
               "HEALTHY IN", "FITS"},
              {Align::right, Align::left, Align::right, Align::right, Align::right, Align::right, Align::right,
               Align::right, Align::left});
  for (std::size_t k = 0; k < r.plan.waves.size(); ++k) {
    const StartupWave& w = r.plan.waves[k];
    t.add_row({std::to_string(k + 1), join_names(r.plan, w.services), format_human_bytes(w.own_peak),
               format_human_bytes(w.running), format_human_bytes(w.expected_peak),
               format_human_bytes(w.cumulative_steady), seconds(w.settle_ms), seconds(w.healthy_ms),
               r.plan.budget ? (w.fits ? "yes" : "NO") : "-"});
  }
  return t;
}

std::string healthcheck_cell(const StartupService& s, const StartupOverride* o) {
  if (!s.has_healthcheck()) return s.healthcheck ? "disabled" : "none";
  // A check only the image defines: the recording showed it.
  std::string out = s.recorded_healthcheck ? "image's; " : "";
  if (!o || !o->healthcheck) return out + "kept";
  if (o->healthcheck->interval_ms) out += "interval " + seconds(o->healthcheck->interval_ms);
  if (o->healthcheck->start_period_ms) {
    out += (out.empty() || out.back() == ' ' ? "" : ", ") + std::string("start_period ") + seconds(o->healthcheck->start_period_ms);
  }
  return out;
}

TextTable services_table(const StartupReport& r) {
  TextTable t({"SERVICE", "WAVE", "REPLICAS", "START-UP PEAK", "STEADY", "FROM", "SETTLES IN", "HEALTHY IN",
               "HEALTHCHECK", "WAITS FOR"},
              {Align::left, Align::right, Align::right, Align::right, Align::right, Align::left, Align::right,
               Align::right, Align::left, Align::left});
  for (std::size_t i = 0; i < r.plan.services.size(); ++i) {
    const StartupService& s = r.plan.services[i];
    const StartupOverride* o = override_of(r, s.name);
    std::string waits;
    if (o) {
      for (const Dependency& d : o->depends_on) {
        waits += (waits.empty() ? "" : ", ") + d.service + (d.condition == "service_healthy" ? " (healthy)" : " (started)");
      }
    }
    t.add_row({s.name, std::to_string(r.plan.wave_of[i] + 1), std::to_string(s.replicas),
               format_human_bytes(s.startup_peak), format_human_bytes(s.steady), to_string(s.source),
               seconds(s.settle_ms), seconds(s.healthy_ms), healthcheck_cell(s, o), waits.empty() ? "-" : waits});
  }
  return t;
}

// How long Compose is expected to hold the last wave back: the sum of the
// measured times to healthy of the waves before it. Absent when a wave before
// the last has no measured time (or no health check: then nothing waits).
std::optional<std::int64_t> expected_wait_ms(const StartupPlan& p) {
  if (p.waves.size() < 2) return std::nullopt;
  std::int64_t total = 0;
  for (std::size_t k = 0; k + 1 < p.waves.size(); ++k) {
    if (!p.waves[k].healthy_ms) return std::nullopt;
    total += *p.waves[k].healthy_ms;
  }
  return total;
}

std::string summary_text(const StartupReport& r) {
  const StartupPlan& p = r.plan;
  std::string out;
  if (r.target) {
    out += "target: " + r.target->name + ": " + format_human_bytes(r.target->memory) + ", reserve " +
           format_human_bytes(r.target->reserve) + ", " + format_human_bytes(r.target->available()) + " available\n";
  } else {
    out += "target: none (no --budget or --machine): waves follow dependencies only\n";
  }
  out += "history: " + (r.history.empty() ? std::string("none (declared limits stand in for start-up peaks)")
                                          : r.history + ", start-up window " + seconds(r.window_ms)) + "\n";
  out += "all at once: start-up peak " + format_human_bytes(p.all_at_once_peak);
  if (p.budget) out += p.all_at_once_peak <= *p.budget ? " (fits)" : " (does NOT fit)";
  out += ", steady " + format_human_bytes(p.steady_total) + "\n";
  Bytes highest{0};
  for (const StartupWave& w : p.waves) highest = std::max(highest, w.expected_peak);
  out += "staged: " + std::to_string(p.waves.size()) + " wave" + (p.waves.size() == 1 ? "" : "s") +
         ", highest expected peak " + format_human_bytes(highest);
  if (p.budget) out += p.fits ? " (fits)" : " (does NOT fit)";
  if (auto wait = expected_wait_ms(p)) {
    out += ", last wave starts after about " + seconds(wait) + " (measured times to healthy)";
  }
  return out + "\n";
}

std::string notes_text(const StartupReport& r) {
  std::string out;
  for (const std::string& n : r.plan.notes) out += "- " + n + "\n";
  if (!r.written_file.empty()) out += "- wrote " + r.written_file + "\n";
  return out.empty() ? "" : "\nnotes:\n" + out;
}

Json healthcheck_json(const Healthcheck& hc) {
  auto opt = [](std::optional<std::int64_t> v) { return v ? Json(*v) : Json(nullptr); };
  return Json{{"interval_ms", opt(hc.interval_ms)}, {"start_period_ms", opt(hc.start_period_ms)}};
}

Json service_json(const StartupReport& r, std::size_t i) {
  const StartupService& s = r.plan.services[i];
  const StartupOverride* o = override_of(r, s.name);
  Json deps = Json::array();
  if (o) {
    for (const Dependency& d : o->depends_on) deps.push_back({{"service", d.service}, {"condition", d.condition}});
  }
  return Json{{"name", s.name},
              {"wave", r.plan.wave_of[i] + 1},
              {"replicas", s.replicas},
              {"startup_peak_bytes", s.startup_peak.count},
              {"steady_bytes", s.steady.count},
              {"source", to_string(s.source)},
              {"settle_ms", s.settle_ms ? Json(*s.settle_ms) : Json(nullptr)},
              {"starts_observed", s.starts_observed},
              {"healthcheck", s.has_healthcheck()},
              {"healthcheck_source", !s.has_healthcheck()        ? Json(nullptr)
                                     : s.recorded_healthcheck ? Json("recorded")
                                                              : Json("compose")},
              {"healthy_ms", s.healthy_ms ? Json(*s.healthy_ms) : Json(nullptr)},
              {"healthy_starts", s.healthy_starts},
              {"waits_for", deps},
              {"healthcheck_override", o && o->healthcheck ? healthcheck_json(*o->healthcheck) : Json(nullptr)}};
}

std::string render_json(const StartupReport& r) {
  const StartupPlan& p = r.plan;
  Json out;
  out["schema_version"] = k_startup_schema_version;
  out["budget_bytes"] = count_or_null(p.budget);
  out["target"] = r.target ? Json{{"name", r.target->name},
                                  {"memory_bytes", r.target->memory.count},
                                  {"reserve_bytes", r.target->reserve.count},
                                  {"available_bytes", r.target->available().count}}
                           : Json(nullptr);
  out["fits"] = p.fits;
  out["history"] = r.history.empty() ? Json(nullptr) : Json(r.history);
  out["startup_window_ms"] = r.history.empty() ? Json(nullptr) : Json(r.window_ms);
  out["all_at_once_peak_bytes"] = p.all_at_once_peak.count;
  out["all_at_once_fits"] = p.budget ? Json(p.all_at_once_peak <= *p.budget) : Json(nullptr);
  out["steady_bytes"] = p.steady_total.count;
  auto wait = expected_wait_ms(p);
  out["expected_wait_ms"] = wait ? Json(*wait) : Json(nullptr);
  Json waves = Json::array();
  for (std::size_t k = 0; k < p.waves.size(); ++k) {
    const StartupWave& w = p.waves[k];
    Json names = Json::array();
    for (std::size_t s : w.services) names.push_back(p.services[s].name);
    Json at_peak = Json::array();
    for (std::size_t s : w.still_at_peak) at_peak.push_back(p.services[s].name);
    waves.push_back({{"wave", k + 1},
                     {"services", names},
                     {"own_peak_bytes", w.own_peak.count},
                     {"running_bytes", w.running.count},
                     {"expected_peak_bytes", w.expected_peak.count},
                     {"cumulative_steady_bytes", w.cumulative_steady.count},
                     {"still_at_peak_count", w.still_at_peak_count},
                     {"still_at_peak", at_peak},
                     {"settle_ms", w.settle_ms ? Json(*w.settle_ms) : Json(nullptr)},
                     {"healthy_ms", w.healthy_ms ? Json(*w.healthy_ms) : Json(nullptr)},
                     {"fits", w.fits}});
  }
  out["waves"] = waves;
  Json services = Json::array();
  for (std::size_t i = 0; i < p.services.size(); ++i) services.push_back(service_json(r, i));
  out["services"] = services;
  out["oversized"] = p.oversized;
  out["notes"] = p.notes;
  out["override_file"] = r.written_file.empty() ? Json(nullptr) : Json(r.written_file);
  return out.dump(2) + "\n";
}

}  // namespace

std::string render_startup(const StartupReport& report, OutputFormat format) {
  switch (format) {
    case OutputFormat::json: return render_json(report);
    case OutputFormat::markdown: {
      std::string out = "**stackfit start-up plan**\n\n";
      std::string summary = summary_text(report);
      for (std::size_t from = 0, nl; (nl = summary.find('\n', from)) != std::string::npos; from = nl + 1) {
        out += "- " + summary.substr(from, nl - from) + "\n";
      }
      out += "\n" + waves_table(report).to_markdown() + "\n" + services_table(report).to_markdown();
      return out + notes_text(report);
    }
    case OutputFormat::csv: return waves_table(report).to_csv();
    case OutputFormat::table: break;
  }
  return summary_text(report) + "\n" + waves_table(report).to_text() + "\n" + services_table(report).to_text() +
         notes_text(report);
}

}  // namespace stackfit
