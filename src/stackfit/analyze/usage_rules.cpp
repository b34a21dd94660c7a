#include "stackfit/analyze/usage_rules.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <tuple>

namespace stackfit {
namespace {

std::string percent_of(double value, double of) {
  return std::to_string(static_cast<int>(std::lround(100 * value / of))) + "%";
}

std::string share_text(double share) { return std::to_string(static_cast<int>(std::lround(share * 100))) + "%"; }

// "7m30s", "45s": whole seconds.
std::string duration_text(std::int64_t ns) {
  std::int64_t s = ns / 1'000'000'000;
  if (s < 60) return std::to_string(s) + "s";
  std::string out = std::to_string(s / 60) + "m";
  return s % 60 == 0 ? out : out + std::to_string(s % 60) + "s";
}

Finding finding(const char* rule, Severity severity, const std::string& service, std::string message) {
  return Finding{rule, severity, service, std::move(message), {}};
}

}  // namespace

void UsageRuleChecker::container(std::int64_t key, const std::string& service, const Resources& declared) {
  Container& c = m_containers[key];
  c.service = service;
  c.declared = declared;
}

void UsageRuleChecker::sample(std::int64_t key, const Sample& s) {
  auto it = m_containers.find(key);
  if (it == m_containers.end()) return;
  Container& c = it->second;
  c.peak = std::max(c.peak, s.working_set);
  if (!c.has_previous) c.first_ns = s.time_ns;
  track_cpu(c, s);
  c.has_previous = true;
  c.previous_ns = s.time_ns;
  c.previous_cpu_ns = s.cpu_usage_ns;
}

// A run is consecutive readings whose rate since the previous reading is at
// or above the share of the limit; it lasts from the start of its first
// interval to the end of its last. A counter reset or a reading below ends it.
void UsageRuleChecker::track_cpu(Container& c, const Sample& s) {
  if (!c.has_previous || s.time_ns <= c.previous_ns || s.cpu_usage_ns < c.previous_cpu_ns) {
    c.run_start_ns.reset();
    return;
  }
  std::int64_t dt = s.time_ns - c.previous_ns;
  std::int64_t dcpu = s.cpu_usage_ns - c.previous_cpu_ns;
  c.cpu_ns += dcpu;
  c.cpu_span_ns += dt;
  const auto& limit = c.declared.cpu_limit;
  bool above = limit && limit->count > 0 &&
               static_cast<double>(dcpu) * 1000 >= m_options.cpu_limit_share * static_cast<double>(limit->count) *
                                                       static_cast<double>(dt);
  if (!above) {
    c.run_start_ns.reset();
    return;
  }
  if (!c.run_start_ns) c.run_start_ns = c.previous_ns;
  c.longest_run_ns = std::max(c.longest_run_ns, s.time_ns - *c.run_start_ns);
}

void UsageRuleChecker::add_findings(const Container& c, std::vector<Finding>& out) const {
  const UsageRuleOptions& o = m_options;
  const Resources& d = c.declared;
  if (d.cpu_limit && c.longest_run_ns >= o.sustained_ns) {
    out.push_back(finding("cpu-near-limit", Severity::warning, c.service,
                          "CPU at or above " + share_text(o.cpu_limit_share) + " of its " +
                              format_human_cpu(*d.cpu_limit) + " limit for " + duration_text(c.longest_run_ns) +
                              " in a row (sustained window " + duration_text(o.sustained_ns) +
                              "): it is throttled when busy; raise the limit (stackfit recommend)"));
  }
  if (d.memory_limit && d.memory_limit->count > 0 &&
      static_cast<double>(c.peak.count) >= o.memory_limit_share * static_cast<double>(d.memory_limit->count)) {
    out.push_back(finding("memory-near-limit", Severity::warning, c.service,
                          "peak working set " + format_human_bytes(c.peak) + " is " +
                              percent_of(static_cast<double>(c.peak.count), static_cast<double>(d.memory_limit->count)) +
                              " of its " + format_human_bytes(*d.memory_limit) + " limit (within " +
                              share_text(1 - o.memory_limit_share) + "): the next spike is an OOM kill"));
  }
  if (c.previous_ns - c.first_ns < o.sustained_ns) return;  // too short to call a reservation oversized
  if (d.memory_request && d.memory_request->count > 0 &&
      static_cast<double>(c.peak.count) < o.reservation_share * static_cast<double>(d.memory_request->count)) {
    out.push_back(finding("usage-below-reservation", Severity::info, c.service,
                          "peak working set " + format_human_bytes(c.peak) + " is under " +
                              share_text(o.reservation_share) + " of its " + format_human_bytes(*d.memory_request) +
                              " memory request: scale the request down"));
  }
  if (d.cpu_request && d.cpu_request->count > 0 && c.cpu_span_ns > 0) {
    double average = static_cast<double>(c.cpu_ns) * 1000 / static_cast<double>(c.cpu_span_ns);
    if (average < o.reservation_share * static_cast<double>(d.cpu_request->count)) {
      out.push_back(finding("usage-below-reservation", Severity::info, c.service,
                            "average CPU " + format_human_cpu(Millicores{std::llround(average)}) + " is under " +
                                share_text(o.reservation_share) + " of its " + format_human_cpu(*d.cpu_request) +
                                " CPU request: scale the request down"));
    }
  }
}

std::vector<Finding> UsageRuleChecker::findings() const {
  std::vector<Finding> out;
  for (const auto& [key, c] : m_containers) {
    if (c.has_previous) add_findings(c, out);
  }
  // One finding per service, rule and resource (a message's first word:
  // "CPU", "peak", "average"): replicas say the same; the first container's is kept.
  auto kind = [](const Finding& f) { return std::tie(f.service, f.rule_id); };
  auto word = [](const Finding& f) { return f.message.substr(0, f.message.find(' ')); };
  std::stable_sort(out.begin(), out.end(), [&](const Finding& a, const Finding& b) {
    return kind(a) < kind(b) || (kind(a) == kind(b) && word(a) < word(b));
  });
  auto same = [&](const Finding& a, const Finding& b) { return kind(a) == kind(b) && word(a) == word(b); };
  out.erase(std::unique(out.begin(), out.end(), same), out.end());
  return out;
}

}  // namespace stackfit
