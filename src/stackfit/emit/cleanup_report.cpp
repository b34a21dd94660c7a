#include "stackfit/emit/cleanup_report.hpp"

#include <nlohmann/json.hpp>

#include "stackfit/util/text_table.hpp"

namespace stackfit {
namespace {

using Json = nlohmann::ordered_json;

bool removed(const CleanupReport& r, std::size_t i) { return !r.dry_run && i < r.errors.size() && r.errors[i].empty(); }

std::string summary_line(const CleanupReport& r) {
  const std::size_t n = r.plan.items.size();
  if (r.dry_run) {
    return "stackfit cleanup: dry run: " + std::to_string(n) + " items, " + format_human_bytes(r.plan.total) +
           " reclaimable (nothing removed; --force removes them)\n";
  }
  std::size_t done = 0;
  for (std::size_t i = 0; i < n; ++i) done += removed(r, i) ? 1 : 0;
  return "stackfit cleanup: removed " + std::to_string(done) + " of " + std::to_string(n) + " items, reclaimed " +
         format_human_bytes(r.reclaimed) + "\n";
}

TextTable items_table(const CleanupReport& r) {
  std::vector<std::string> headers = {"kind", "name", "id", "size"};
  std::vector<Align> aligns = {Align::left, Align::left, Align::left, Align::right};
  if (!r.dry_run) {
    headers.push_back("result");
    aligns.push_back(Align::left);
  }
  TextTable t(headers, aligns);
  for (std::size_t i = 0; i < r.plan.items.size(); ++i) {
    const CleanupItem& item = r.plan.items[i];
    std::string id = item.id.starts_with("sha256:") ? item.id.substr(7, 12) : item.id.substr(0, 12);
    std::vector<std::string> row = {to_string(item.kind), item.name, id, format_human_bytes(item.bytes)};
    if (!r.dry_run) row.push_back(removed(r, i) ? "removed" : "refused");
    t.add_row(std::move(row));
  }
  return t;
}

std::string render_json(const CleanupReport& r) {
  Json out;
  out["schema_version"] = k_cleanup_schema_version;
  out["dry_run"] = r.dry_run;
  Json items = Json::array();
  for (std::size_t i = 0; i < r.plan.items.size(); ++i) {
    const CleanupItem& item = r.plan.items[i];
    Json j = {{"kind", to_string(item.kind)}, {"id", item.id}, {"name", item.name}, {"bytes", item.bytes.count}};
    if (!r.dry_run) {
      j["removed"] = removed(r, i);
      j["error"] = removed(r, i) ? Json(nullptr) : Json(i < r.errors.size() ? r.errors[i] : "");
    }
    items.push_back(std::move(j));
  }
  out["items"] = items;
  out["reclaimable_bytes"] = r.plan.total.count;
  out["reclaimed_bytes"] = r.dry_run ? Json(nullptr) : Json(r.reclaimed.count);
  return out.dump(2) + "\n";
}

}  // namespace

std::string render_cleanup(const CleanupReport& report, OutputFormat format) {
  switch (format) {
    case OutputFormat::json: return render_json(report);
    case OutputFormat::csv: return items_table(report).to_csv();
    case OutputFormat::markdown: return "**" + summary_line(report).substr(0, summary_line(report).size() - 1) + "**\n\n" +
                                        items_table(report).to_markdown();
    case OutputFormat::table: break;
  }
  std::string out = summary_line(report);
  if (!report.plan.items.empty()) out += "\n" + items_table(report).to_text();
  return out;
}

}  // namespace stackfit
