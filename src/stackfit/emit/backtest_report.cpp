#include "stackfit/emit/backtest_report.hpp"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "stackfit/model/quantity.hpp"
#include "stackfit/util/text_table.hpp"

namespace stackfit {
namespace {

using Json = nlohmann::ordered_json;

std::string percent_text(double ratio) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", ratio * 100);
  return buf;
}

// A duration as the flags take it: "1d", "12h", "90m", "30s".
std::string duration_text(std::int64_t ns) {
  const std::int64_t s = ns / 1'000'000'000;
  if (s > 0 && s % 86400 == 0) return std::to_string(s / 86400) + "d";
  if (s > 0 && s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s > 0 && s % 60 == 0) return std::to_string(s / 60) + "m";
  return std::to_string(s) + "s";
}

std::vector<std::string> score_cells(const ReplayScore& s) {
  return {std::to_string(s.oom_events), std::to_string(s.series_with_oom), percent_text(s.slack_ratio()),
          s.limit_bytes > 0 ? format_human_bytes(Bytes{std::llround(s.mean_limit_bytes())}) : "-",
          std::to_string(s.limit_changes)};
}

std::string name_cell(const BacktestResult& r, std::size_t k) {
  return r.strategies[k] + (r.strategies[k] == r.default_strategy ? " (default)" : "");
}

TextTable table(const BacktestReport& report) {
  const BacktestResult& r = report.result;
  std::vector<std::string> head = {"STRATEGY", "OOM KILLS", "SERIES KILLED", "SLACK", "MEAN LIMIT", "LIMIT CHANGES"};
  std::vector<Align> align = {Align::left, Align::right, Align::right, Align::right, Align::right, Align::right};
  if (report.per_series) {
    head.insert(head.begin(), "SERIES");
    align.insert(align.begin(), Align::left);
  }
  TextTable t(head, align);
  for (std::size_t k = 0; k < r.strategies.size(); ++k) {
    std::vector<std::string> cells = score_cells(r.totals[k]);
    cells.insert(cells.begin(), name_cell(r, k));
    if (report.per_series) cells.insert(cells.begin(), "(all)");
    t.add_row(cells);
  }
  if (!report.per_series) return t;
  for (const BacktestSeriesResult& s : r.series) {
    t.add_separator();
    for (std::size_t k = 0; k < r.strategies.size(); ++k) {
      std::vector<std::string> cells = score_cells(s.scores[k]);
      cells.insert(cells.begin(), {s.id, r.strategies[k]});
      t.add_row(cells);
    }
  }
  return t;
}

std::string header_line(const BacktestReport& report) {
  const BacktestResult& r = report.result;
  return "backtest of " + std::to_string(r.series.size()) + " series (" + std::to_string(r.series_evaluated) +
         " past the warm-up), " + std::to_string(r.points) + " readings from " + report.source_kind + " " +
         report.location + "; warm-up " + duration_text(r.options.warmup_ns) + ", a recommendation every " +
         duration_text(r.options.every_ns) + " and after each OOM kill\n";
}

Json score_json(const std::string& name, const ReplayScore& s) {
  Json j;
  j["name"] = name;
  j["oom_events"] = s.oom_events;
  j["series_with_oom"] = s.series_with_oom;
  j["slack_ratio"] = s.slack_ratio();
  j["mean_limit_bytes"] = s.limit_bytes > 0 ? Json(std::llround(s.mean_limit_bytes())) : Json(nullptr);
  j["limit_changes"] = s.limit_changes;
  j["evaluated_points"] = s.evaluated_points;
  j["unlimited_points"] = s.unlimited_points;
  j["recommendations"] = s.recommendations;
  return j;
}

std::string json(const BacktestReport& report) {
  const BacktestResult& r = report.result;
  Json root;
  root["schema"] = k_backtest_schema;
  root["source"] = {{"kind", report.source_kind}, {"location", report.location}};
  root["warmup_s"] = r.options.warmup_ns / 1'000'000'000;
  root["every_s"] = r.options.every_ns / 1'000'000'000;
  root["points"] = r.points;
  root["series_evaluated"] = r.series_evaluated;
  Json strategies = Json::array();
  for (std::size_t k = 0; k < r.strategies.size(); ++k) {
    Json s = score_json(r.strategies[k], r.totals[k]);
    s["default"] = r.strategies[k] == r.default_strategy;
    strategies.push_back(std::move(s));
  }
  root["strategies"] = std::move(strategies);
  Json series = Json::array();
  for (const BacktestSeriesResult& s : r.series) {
    Json one;
    one["id"] = s.id;
    one["points"] = s.points;
    Json scores = Json::array();
    for (std::size_t k = 0; k < r.strategies.size(); ++k) scores.push_back(score_json(r.strategies[k], s.scores[k]));
    one["strategies"] = std::move(scores);
    series.push_back(std::move(one));
  }
  root["series"] = std::move(series);
  return root.dump(2) + "\n";
}

}  // namespace

std::string render_backtest_report(const BacktestReport& report, OutputFormat format) {
  switch (format) {
    case OutputFormat::json: return json(report);
    case OutputFormat::csv: return table(report).to_csv();
    case OutputFormat::markdown: return header_line(report) + "\n" + table(report).to_markdown();
    case OutputFormat::table: break;
  }
  return header_line(report) + "\n" + table(report).to_text();
}

}  // namespace stackfit
