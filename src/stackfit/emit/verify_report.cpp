#include "stackfit/emit/verify_report.hpp"

#include <nlohmann/json.hpp>

#include "stackfit/util/text_table.hpp"

namespace stackfit {
namespace {

using Json = nlohmann::ordered_json;

std::string value_text(VerifyField field, const std::optional<std::int64_t>& v) {
  if (!v) return "not set";
  if (field == VerifyField::cpu_limit) return format_human_cpu(Millicores{*v});
  return format_human_bytes(Bytes{*v});
}

TextTable problems_table(const VerifyOutcome& o) {
  TextTable t({"service", "container", "problem", "declared", "running"},
              {Align::left, Align::left, Align::left, Align::right, Align::right});
  for (const VerifyMismatch& m : o.mismatches) {
    t.add_row({m.service, m.container, to_string(m.field), value_text(m.field, m.declared),
               value_text(m.field, m.running)});
  }
  for (const std::string& s : o.not_running) t.add_row({s, "-", "not running", "declared", "-"});
  for (const VerifyContainer& c : o.undeclared) t.add_row({c.service, c.container, "not declared", "-", "running"});
  return t;
}

std::string summary_line(const VerifyOutcome& o) {
  if (o.matches()) {
    return "stackfit verify: project " + o.project + ": " + std::to_string(o.checked.size()) +
           " running containers carry the declared memory limit, reservation and CPU limit\n";
  }
  return "stackfit verify: project " + o.project + ": MISMATCH (" + std::to_string(o.mismatches.size()) +
         " differing values, " + std::to_string(o.not_running.size()) + " services not running, " +
         std::to_string(o.undeclared.size()) + " containers of undeclared services)\n";
}

Json opt(const std::optional<std::int64_t>& v) { return v ? Json(*v) : Json(nullptr); }

Json container_json(const VerifyContainer& c) {
  return {{"service", c.service}, {"container", c.container}, {"id", c.container_id}};
}

std::string render_json(const VerifyOutcome& o) {
  Json out;
  out["schema_version"] = k_verify_schema_version;
  out["project"] = o.project;
  out["matches"] = o.matches();
  Json checked = Json::array();
  for (const VerifyContainer& c : o.checked) checked.push_back(container_json(c));
  out["checked"] = checked;
  Json mismatches = Json::array();
  for (const VerifyMismatch& m : o.mismatches) {
    mismatches.push_back({{"service", m.service},
                          {"container", m.container},
                          {"id", m.container_id},
                          {"field", to_string(m.field)},
                          {"unit", unit_of(m.field)},
                          {"declared", opt(m.declared)},
                          {"running", opt(m.running)}});
  }
  out["mismatches"] = mismatches;
  out["not_running"] = o.not_running;
  Json undeclared = Json::array();
  for (const VerifyContainer& c : o.undeclared) undeclared.push_back(container_json(c));
  out["undeclared"] = undeclared;
  return out.dump(2) + "\n";
}

}  // namespace

std::string render_verify(const VerifyOutcome& outcome, OutputFormat format) {
  switch (format) {
    case OutputFormat::json: return render_json(outcome);
    case OutputFormat::markdown: {
      std::string out = "**" + summary_line(outcome).substr(0, summary_line(outcome).size() - 1) + "**\n";
      if (!outcome.matches()) out += "\n" + problems_table(outcome).to_markdown();
      return out;
    }
    case OutputFormat::csv: return problems_table(outcome).to_csv();
    case OutputFormat::table: break;
  }
  std::string out = summary_line(outcome);
  if (!outcome.matches()) out += "\n" + problems_table(outcome).to_text();
  return out;
}

}  // namespace stackfit
