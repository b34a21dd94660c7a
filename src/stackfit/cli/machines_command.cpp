// `stackfit machines`: the catalog behind --machine, with prices and reserves.
#include <nlohmann/json.hpp>

#include "stackfit/cli/commands.hpp"
#include "stackfit/emit/output_format.hpp"
#include "stackfit/plan/machine_catalog.hpp"
#include "stackfit/util/text_table.hpp"

namespace stackfit::cli {
namespace {

std::string price_cell(const Machine& m) {
  if (!m.price_per_hour_usd) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", *m.price_per_hour_usd);
  return buf;
}

std::string render(const MachineCatalog& catalog, OutputFormat format) {
  if (format == OutputFormat::json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const Machine& m : catalog.machines()) {
      out.push_back({{"name", m.name},
                     {"description", m.description},
                     {"memory_bytes", m.memory.count},
                     {"cpus_millicores", m.cpus.count},
                     {"os_reserve_bytes", m.os_reserve.count},
                     {"price_per_hour_usd", m.price_per_hour_usd ? nlohmann::ordered_json(*m.price_per_hour_usd)
                                                                 : nlohmann::ordered_json(nullptr)},
                     {"price_source", m.price_source},
                     {"price_as_of", m.price_as_of.empty() ? nlohmann::ordered_json(nullptr)
                                                           : nlohmann::ordered_json(m.price_as_of)},
                     {"max_pods", m.max_pods ? nlohmann::ordered_json(*m.max_pods) : nlohmann::ordered_json(nullptr)}});
    }
    return out.dump(2) + "\n";
  }
  TextTable t({"MACHINE", "MEMORY", "CPUS", "RESERVE", "USD/HOUR", "DESCRIPTION"},
              {Align::left, Align::right, Align::right, Align::right, Align::right, Align::left});
  for (const Machine& m : catalog.machines()) {
    t.add_row({m.name, format_human_bytes(m.memory), format_human_cpu(m.cpus), format_human_bytes(m.os_reserve),
               price_cell(m), m.description});
  }
  if (format == OutputFormat::markdown) return t.to_markdown();
  if (format == OutputFormat::csv) return t.to_csv();
  return t.to_text();
}

class MachinesCommand final : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_option("--catalog", m_catalog, "Extra machines from a YAML file")->type_name("FILE");
    app.add_option("--format", m_format, "table | markdown | json | csv")->type_name("FORMAT");
  }

  Expected<int> run() override {
    auto format = parse_output_format(m_format);
    TRY(format);
    MachineCatalog catalog = MachineCatalog::builtin();
    if (!m_catalog.empty()) {
      TRY(catalog.add_from_file(m_catalog));
    }
    if (!write_stdout(render(catalog, *format))) return make_error(ErrorCode::io, "stdout: write failed");
    return 0;
  }

 private:
  std::string m_catalog;
  std::string m_format = "table";
};

}  // namespace

std::unique_ptr<Command> make_machines_command() { return std::make_unique<MachinesCommand>(); }

}  // namespace stackfit::cli
