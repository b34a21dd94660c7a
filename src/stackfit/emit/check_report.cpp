#include "stackfit/emit/check_report.hpp"

#include <nlohmann/json.hpp>

#include "stackfit/emit/json_fields.hpp"
#include "stackfit/util/text_table.hpp"

namespace stackfit {
namespace {

using Json = nlohmann::ordered_json;

const char* severity_label(Severity s) {
  switch (s) {
    case Severity::failure: return "FAIL";
    case Severity::warning: return "WARN";
    case Severity::info: return "INFO";
  }
  return "INFO";
}

std::size_t count(const std::vector<Finding>& findings, Severity s) {
  std::size_t n = 0;
  for (const Finding& f : findings) n += f.severity == s ? 1 : 0;
  return n;
}

TextTable findings_table(const std::vector<Finding>& findings) {
  TextTable t({"SEVERITY", "RULE", "SERVICE", "MESSAGE"}, {Align::left, Align::left, Align::left, Align::left});
  for (const Finding& f : findings) {
    t.add_row({severity_label(f.severity), f.rule_id, f.service.empty() ? "-" : f.service, f.message});
  }
  return t;
}

std::string render_fit(const FitResult& fit) {
  const Budget& b = fit.budget;
  std::string out = "target: " + b.name + ": " + format_human_bytes(b.memory) + ", reserve " +
                    format_human_bytes(b.reserve) + " for OS and engine, " + format_human_bytes(b.available()) +
                    " available";
  if (b.cpus) out += ", " + format_human_cpu(*b.cpus) + " CPUs";
  out += "\ncommitted memory: " + format_human_bytes(fit.totals.memory_committed) +
         " (limit where set, else request, x replicas)";
  out += fit.fits ? "\nfits: yes, headroom " + format_human_bytes(fit.headroom)
                  : "\nfits: NO, short by " + format_human_bytes(fit.shortfall);
  std::size_t unbounded = fit.totals.unbounded_memory.size();
  if (unbounded > 0) {
    // Without a limit the figure is a floor, not a bound: say so next to the verdict.
    out += " (" + std::to_string(unbounded) + " service" + (unbounded == 1 ? "" : "s") +
           " without a memory limit counted at their request or 0 B)";
  }
  return out + "\n\n";
}

std::string render_text(const CheckOutcome& o) {
  std::string out = o.fit ? render_fit(*o.fit)
                          : "committed memory: " + format_human_bytes(o.totals.memory_committed) +
                                " (no --budget or --machine given: rules only)\n\n";
  if (o.usage_db) out = "usage rules judged the history recorded in " + *o.usage_db + "\n" + out;
  if (o.findings.empty()) {
    out += "no findings\n";
  } else {
    out += findings_table(o.findings).to_text();
  }
  out += "\nresult: " + std::string(o.passed ? "PASS" : "FAIL") + " (" +
         std::to_string(count(o.findings, Severity::failure)) + " failures, " +
         std::to_string(count(o.findings, Severity::warning)) + " warnings)\n";
  return out;
}

Json target_json(const FitResult& fit) {
  Json target;
  target["name"] = fit.budget.name;
  target["memory_bytes"] = fit.budget.memory.count;
  target["reserve_bytes"] = fit.budget.reserve.count;
  target["available_bytes"] = fit.budget.available().count;
  target["cpus_millicores"] = count_or_null(fit.budget.cpus);
  return target;
}

std::string render_json(const CheckOutcome& o) {
  Json out;
  out["schema_version"] = k_check_schema_version;
  out["passed"] = o.passed;
  out["fail_on"] = to_string(o.fail_on);
  out["target"] = o.fit ? target_json(*o.fit) : Json(nullptr);
  out["committed_memory_bytes"] = o.totals.memory_committed.count;
  out["fits"] = o.fit ? Json(o.fit->fits) : Json(nullptr);
  out["headroom_bytes"] = o.fit ? Json(o.fit->headroom.count) : Json(nullptr);
  out["shortfall_bytes"] = o.fit ? Json(o.fit->shortfall.count) : Json(nullptr);
  out["usage_db"] = o.usage_db ? Json(*o.usage_db) : Json(nullptr);
  Json findings = Json::array();
  for (const Finding& f : o.findings) {
    findings.push_back({{"rule", f.rule_id},
                        {"severity", to_string(f.severity)},
                        {"service", f.service.empty() ? Json(nullptr) : Json(f.service)},
                        {"message", f.message},
                        {"location", f.where.line ? Json(f.where.to_string()) : Json(nullptr)}});
  }
  out["findings"] = findings;
  return out.dump(2) + "\n";
}

}  // namespace

std::string render_check(const CheckOutcome& outcome, OutputFormat format) {
  switch (format) {
    case OutputFormat::json: return render_json(outcome);
    case OutputFormat::markdown:
      return std::string("**stackfit check: ") + (outcome.passed ? "PASS" : "FAIL") + "**\n\n" +
             findings_table(outcome.findings).to_markdown();
    case OutputFormat::csv: return findings_table(outcome.findings).to_csv();
    case OutputFormat::table: break;
  }
  return render_text(outcome);
}

}  // namespace stackfit
