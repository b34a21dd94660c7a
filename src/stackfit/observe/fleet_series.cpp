#include "stackfit/observe/fleet_series.hpp"

namespace stackfit {
namespace {

std::string label_set(const PromSeries& s) {
  std::string out;
  for (const auto& [k, v] : s.labels) {
    out += k;
    out += '=';
    out += v;
    out += '\0';
  }
  return out;
}

}  // namespace

bool is_kubernetes_series(const PromSeries& s) { return !s.label("container").empty(); }

std::optional<FleetSeries> FleetGrouping::identify(const PromSeries& s) {
  const std::string_view service = s.label("service");
  if (service.empty()) {
    m_no_service.insert(label_set(s));
    return std::nullopt;
  }
  std::string name(service);
  if (!m_host_label.empty()) {
    const std::string_view host = s.label(m_host_label);
    if (host.empty()) {
      m_no_host.insert(label_set(s));
      return std::nullopt;
    }
    name += '@';
    name += host;
  }
  std::string_view id = s.label("id");
  if (id.empty()) id = s.label("name");
  std::string instance = std::string(s.label("instance")) + "/" + std::string(id);
  FleetSeries out{WorkloadKey{std::string(s.label("project")), "service", std::move(name), ""}, instance,
                  '\x01' + instance};
  m_containers.insert(out.id);
  return out;
}

}  // namespace stackfit
