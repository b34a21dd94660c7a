#include "stackfit/emit/html_report.hpp"

#include <algorithm>
#include <cstdio>
#include <type_traits>

#include "stackfit/emit/recommend_report.hpp"
#include "stackfit/emit/svg_chart.hpp"

namespace stackfit {
namespace {

constexpr const char* k_style = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fff}
h1{font-size:1.5em;margin:0 0 .2em}h2{margin-top:1.6em;border-bottom:1px solid #ccc}h3{margin:.8em 0 .2em;font-size:1.05em}
.meta{color:#555}.pair{display:flex;flex-wrap:wrap;gap:12px}
svg{background:#fafafa;border:1px solid #ddd}svg text{font:10px sans-serif;fill:#444}
.grid{stroke:#e4e4e4}.memory,.cpu{fill:none;stroke:#1f6fb2;stroke-width:1.4}.cpu{stroke:#2a9d4b}
.dot{fill:#1f6fb2}.cpu.dot{fill:#2a9d4b}
.level line{stroke-width:1.2}.limit line{stroke:#c0392b;stroke-dasharray:6 3}.request line{stroke:#8e44ad;stroke-dasharray:2 3}
.recommended line{stroke:#e67e22}.budget line{stroke:#c0392b;stroke-width:2}
.startup{fill:#f3d9a4;opacity:.55}.marker line{stroke-width:1.5}.oom line{stroke:#c0392b}.oom circle{fill:#c0392b}
.restart line{stroke:#7f8c8d;stroke-dasharray:3 2}.restart circle{fill:#7f8c8d}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}
th{background:#f0f0f0}td.n{text-align:right}.legend span{display:inline-block;margin-right:10px}
.swatch{display:inline-block;width:10px;height:10px;margin-right:3px}
.no{color:#c0392b;font-weight:bold}.yes{color:#2a7d2a}
)";

std::string workload_name(const WorkloadKey& key) {
  std::string name = key.namespace_.empty() || key.kind == "service" ? "" : key.namespace_ + "/";
  name += key.name;
  if (!key.container.empty()) name += "/" + key.container;
  return name;
}

std::string color_of(std::size_t i) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "hsl(%zu,55%%,%d%%)", (i * 137) % 360, 55 + static_cast<int>(i % 3) * 8);
  return buf;
}

std::string opt_bytes(const std::optional<Bytes>& b) { return b ? format_human_bytes(*b) : "-"; }
std::string opt_cpu(const std::optional<Millicores>& m) { return m ? format_human_cpu(*m) : "-"; }
std::string cell(const std::string& text, bool numeric = false) {
  return std::string(numeric ? "<td class=\"n\">" : "<td>") + html_escape(text) + "</td>";
}

const Recommendation* find_recommendation(const RecommendReport& report, const WorkloadKey& key) {
  for (const Recommendation& r : report.services)
    if (r.key == key) return &r;
  return nullptr;
}

// The top of a value axis: 8 % above the largest of `values` (-1: none).
double top_of(std::initializer_list<std::int64_t> values) {
  double top = 0;
  for (std::int64_t v : values) top = std::max(top, static_cast<double>(v));
  return top > 0 ? top * 1.08 : 1;
}

// A horizontal level labelled "WHAT 64 MiB" (class "level WHAT"), when there is a value.
template <typename Quantity>
void draw_level(SvgChart& chart, const std::optional<Quantity>& value, const std::string& what) {
  if (!value.has_value()) return;
  std::string text;
  if constexpr (std::is_same_v<Quantity, Bytes>) text = format_human_bytes(value.value());
  else text = format_human_cpu(value.value());
  chart.level(static_cast<double>(value.value().count), "level " + what, what + " " + text);
}

std::string memory_chart(const ReportTimelines& all, const WorkloadTimeline& t, const Recommendation* r,
                         std::int64_t startup_window_ns) {
  std::optional<Bytes> limit = r && r->declared.memory_limit ? r->declared.memory_limit : t.memory_limit;
  std::optional<Bytes> request = r ? r->declared.memory_request : std::nullopt;
  std::optional<Bytes> recommended = r ? r->recommended.memory_limit : std::nullopt;
  auto count = [](const std::optional<Bytes>& b) { return b.value_or(Bytes{-1}).count; };
  auto peak = t.peak();
  ChartFrame frame{all.first_ns, all.bucket_ns, all.buckets,
                   top_of({count(peak), count(limit), count(request), count(recommended)}), true};
  std::string name = workload_name(t.key);
  SvgChart chart(frame, "chart memory-chart", name + ": working set");
  for (const auto* starts : {&t.start_ns, &t.restart_ns})
    for (std::int64_t s : *starts) chart.span(s, s + startup_window_ns, "startup", "start-up window");
  chart.line(t.memory_bytes, "memory");
  draw_level(chart, request, "request");
  draw_level(chart, limit, "limit");
  draw_level(chart, recommended, "recommended");
  // Kills drawn last: a restart right after a kill must not hide it.
  for (std::int64_t s : t.restart_ns) chart.marker(s, "restart", "restart");
  for (std::int64_t k : t.oom_kill_ns) chart.marker(k, "oom", "OOM kill");
  return chart.text();
}

std::string cpu_chart(const ReportTimelines& all, const WorkloadTimeline& t, const Recommendation* r) {
  std::int64_t peak = -1;  // none: a workload with no reading at all has no buckets
  for (std::int64_t v : t.cpu_millicores) peak = std::max(peak, v);
  std::optional<Millicores> limit = r && r->declared.cpu_limit ? r->declared.cpu_limit : t.cpu_limit;
  std::optional<Millicores> recommended = r ? r->recommended.cpu_request : std::nullopt;
  auto count = [](const std::optional<Millicores>& m) { return m.value_or(Millicores{-1}).count; };
  // An idle service's axis still spans 0.1 CPU, so its flat line reads as idle.
  ChartFrame frame{all.first_ns, all.bucket_ns, all.buckets,
                   std::max(top_of({peak, count(limit), count(recommended)}), 100.0), false};
  SvgChart chart(frame, "chart cpu-chart", workload_name(t.key) + ": CPU");
  chart.line(t.cpu_millicores, "cpu");
  draw_level(chart, limit, "limit");
  draw_level(chart, recommended, "recommended");
  return chart.text();
}

std::string stack_section(const HtmlReportInput& in) {
  const ReportTimelines& all = *in.timelines;
  std::vector<std::int64_t> lower(all.buckets, 0);
  std::int64_t top = 0;
  for (const WorkloadTimeline& t : all.workloads)
    for (std::size_t i = 0; i < all.buckets; ++i) lower[i] += std::max<std::int64_t>(t.memory_bytes[i], 0);
  for (std::int64_t v : lower) top = std::max(top, v);
  std::int64_t budget = in.budget ? in.budget->after_reserve.count : -1;
  ChartFrame frame{all.first_ns, all.bucket_ns, all.buckets, top_of({top, budget}), true};
  SvgChart chart(frame, "chart stack-chart", "the stack's working set, stacked by service", 1140, 300);
  std::fill(lower.begin(), lower.end(), 0);
  std::string legend;
  for (std::size_t s = 0; s < all.workloads.size(); ++s) {
    const WorkloadTimeline& t = all.workloads[s];
    std::vector<std::int64_t> upper = lower;
    for (std::size_t i = 0; i < all.buckets; ++i) upper[i] += std::max<std::int64_t>(t.memory_bytes[i], 0);
    chart.band(lower, upper, "area", color_of(s), workload_name(t.key));
    legend += "<span><i class=\"swatch\" style=\"background:" + color_of(s) + "\"></i>" +
              html_escape(workload_name(t.key)) + "</span>";
    lower = std::move(upper);
  }
  if (in.budget) {
    chart.level(static_cast<double>(budget), "level budget",
                in.budget->name + " after reserve: " + format_human_bytes(in.budget->after_reserve));
  }
  return "<section id=\"stack\"><h2>The stack</h2><p>Working set of every service, stacked (each bucket holds "
         "each service's largest reading in it, so the total is an upper bound).</p>" +
         chart.text() + "<p class=\"legend\">" + legend + "</p></section>";
}

std::string recommendation_table(const RecommendReport& report) {
  std::string out =
      "<section id=\"recommendation\"><h2>Recommendation</h2><table><tr><th>service</th><th>status</th>"
      "<th>peak</th><th>declared request</th><th>declared limit</th><th>recommended request</th>"
      "<th>recommended limit</th><th>CPU p95</th><th>recommended CPU</th><th>OOM kills</th><th>restarts</th></tr>";
  for (const Recommendation& r : report.services) {
    out += "<tr>" + cell(workload_name(r.key)) + cell(to_string(r.status)) + cell(opt_bytes(r.peak), true) +
           cell(opt_bytes(r.declared.memory_request), true) + cell(opt_bytes(r.declared.memory_limit), true) +
           cell(opt_bytes(r.recommended.memory_request), true) + cell(opt_bytes(r.recommended.memory_limit), true) +
           cell(opt_cpu(r.cpu_p95), true) + cell(opt_cpu(r.recommended.cpu_request), true) +
           cell(format_count(r.oom_kills), true) + cell(format_count(r.restarts), true) + "</tr>";
  }
  out += "</table>";
  for (const std::string& note : report.notes) out += "<p class=\"meta\">" + html_escape(note) + "</p>";
  return out + "</section>";
}

std::string plan_tables(const Plan& plan) {
  std::string out = "<section id=\"plan\"><h2>Plan for " + html_escape(plan.target_name) + "</h2><p>Committed " +
                    html_escape(format_human_bytes(plan.committed)) + " of " +
                    html_escape(format_human_bytes(plan.usable)) + " usable: " +
                    (plan.fits ? "<span class=\"yes\">fits</span>" : "<span class=\"no\">does not fit</span>") +
                    "</p>";
  for (const std::string& note : plan.notes) out += "<p class=\"meta\">" + html_escape(note) + "</p>";
  if (plan.options.empty()) return out + "</section>";
  out += "<table class=\"options\"><tr><th>option</th><th>what</th><th>fits</th><th>committed</th><th>saves</th>"
         "<th>machine</th><th>risk</th><th>changes</th></tr>";
  for (const PlanOption& o : plan.options) {
    std::string changes;
    for (const PlanChange& c : o.changes) {
      changes += (changes.empty() ? "" : "; ") + c.service + " " + format_human_bytes(c.committed_before) + " -> " +
                 format_human_bytes(c.committed_after);
    }
    out += "<tr>" + cell(o.id) + cell(o.title) + cell(o.fits ? "yes" : "no") +
           cell(format_human_bytes(o.committed), true) + cell(format_human_bytes(o.saved), true) +
           cell(o.machine ? o.machine->name : "-") + cell(std::string(to_string(o.risk)) + ": " + o.risk_reason) +
           cell(changes) + "</tr>";
  }
  return out + "</table></section>";
}

std::string startup_table(const StartupPlan& plan) {
  std::string out = "<section id=\"startup\"><h2>Start-up waves</h2><p>All at once: " +
                    html_escape(format_human_bytes(plan.all_at_once_peak)) + " at the start-up peaks, " +
                    html_escape(format_human_bytes(plan.steady_total)) + " once steady" +
                    (plan.budget ? ", budget " + html_escape(format_human_bytes(*plan.budget)) : std::string()) +
                    " (as <code>stackfit plan --startup --db</code>).</p><table class=\"waves\"><tr><th>wave</th>"
                    "<th>services</th><th>expected peak</th><th>fits</th></tr>";
  for (std::size_t w = 0; w < plan.waves.size(); ++w) {
    std::string names;
    for (std::size_t i : plan.waves[w].services) names += (names.empty() ? "" : ", ") + plan.services[i].name;
    out += "<tr>" + cell(std::to_string(w + 1), true) + cell(names) +
           cell(format_human_bytes(plan.waves[w].expected_peak), true) + cell(plan.waves[w].fits ? "yes" : "no") +
           "</tr>";
  }
  out += "</table>";
  for (const std::string& note : plan.notes) out += "<p class=\"meta\">" + html_escape(note) + "</p>";
  return out + "</section>";
}

std::string services_section(const HtmlReportInput& in) {
  std::string out = "<section id=\"services\"><h2>Services</h2><p class=\"meta\">Shaded: start-up windows; "
                    "red marks: OOM kills; grey marks: restarts; dashed red: limit; orange: recommended.</p>";
  for (const WorkloadTimeline& t : in.timelines->workloads) {
    const Recommendation* r = find_recommendation(*in.recommend, t.key);
    std::string name = workload_name(t.key);
    out += "<div class=\"service\" data-service=\"" + html_escape(name) + "\" data-oom-kills=\"" +
           std::to_string(t.oom_kills) + "\"><h3>" + html_escape(name) + "</h3><p class=\"meta\">peak " +
           html_escape(opt_bytes(t.peak())) + ", " + std::to_string(t.memory_points) + " readings, " +
           format_count(t.oom_kills) + " OOM kills, " + format_count(t.restarts) + " restarts</p>" +
           "<div class=\"pair\">" + memory_chart(*in.timelines, t, r, in.startup_window_ns) +
           cpu_chart(*in.timelines, t, r) + "</div></div>";
  }
  return out + "</section>";
}

}  // namespace

std::string render_html_report(const HtmlReportInput& in) {
  const RecommendReport& rec = *in.recommend;
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width\">"
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                    "style-src 'unsafe-inline'; img-src data:\"><title>stackfit report: " +
                    html_escape(in.title) + "</title><style>" + k_style + "</style></head><body>";
  out += "<h1>stackfit report: " + html_escape(in.title) + "</h1><p class=\"meta\">History from " +
         html_escape(rec.source_kind + " " + rec.location) + ", " + html_escape(format_utc(rec.from_ns)) + " to " +
         html_escape(format_utc(rec.to_ns)) + "; one bucket = " +
         std::to_string(in.timelines->bucket_ns / 1'000'000'000) + " s (the largest reading in it).</p>";
  out += stack_section(in) + services_section(in) + recommendation_table(rec);
  if (in.plan) out += plan_tables(*in.plan);
  if (in.startup) out += startup_table(*in.startup);
  return out + "<p class=\"meta\">Made by stackfit report; no network needed to view it.</p></body></html>\n";
}

}  // namespace stackfit
