#include "stackfit/plan/budget_fit.hpp"

namespace stackfit {
namespace {

// A declared memory limit; 0 means "no limit" to Docker and Compose.
std::optional<Bytes> memory_limit(const Resources& r) {
  if (r.memory_limit && r.memory_limit->count > 0) return r.memory_limit;
  return std::nullopt;
}

std::int64_t copies(const Service& s, std::int64_t nodes) {
  return s.replica_mode == ReplicaMode::per_node ? nodes : s.replicas;
}

void add_bytes(Bytes& total, std::optional<Bytes> each, std::int64_t count) {
  if (each) total = saturating_add(total, saturating_mul(*each, count));
}

void add_cpu(Millicores& total, std::optional<Millicores> each, std::int64_t count) {
  if (each) total = saturating_add(total, saturating_mul(*each, count));
}

std::string where(const Budget& b) {
  std::string out = format_human_bytes(b.available()) + " available on " + b.name;
  if (b.reserve.count > 0) {
    out += " (" + format_human_bytes(b.memory) + " less " + format_human_bytes(b.reserve) + " kept by OS and engine)";
  }
  return out;
}

Finding stack_finding(const char* id, Severity severity, std::string message) {
  return Finding{id, severity, "", std::move(message), SourceLocation{}};
}

void memory_findings(const StackTotals& t, const Budget& b, std::vector<Finding>& out) {
  Bytes available = b.available();
  if (t.memory_committed > available) {
    out.push_back(stack_finding("budget-exceeded", Severity::failure,
                                "committed memory " + format_human_bytes(t.memory_committed) + " does not fit the " +
                                    where(b) + ": " + format_human_bytes(t.memory_committed - available) + " short"));
  }
  if (t.memory_limit > available && t.memory_request <= available) {
    out.push_back(stack_finding("limits-overcommit", Severity::warning,
                                "memory limits total " + format_human_bytes(t.memory_limit) + " exceed the " +
                                    where(b) + " while the requests (" + format_human_bytes(t.memory_request) +
                                    ") fit: services can be OOM-killed when they peak together"));
  }
  if (t.memory_request > available && t.memory_limit.count > 0 && t.memory_limit <= available) {
    out.push_back(stack_finding("requests-exceed-limits-budget", Severity::failure,
                                "memory requests total " + format_human_bytes(t.memory_request) + " exceed the " +
                                    where(b) + " although the limits (" + format_human_bytes(t.memory_limit) +
                                    ") fit: requests without limits, or above them, reserve more than the limits"));
  }
}

// Services that add nothing to the committed total: the verdict cannot vouch for them.
void unbounded_finding(const Stack& stack, std::vector<Finding>& out) {
  std::string names;
  std::size_t count = 0;
  for (const Service& s : stack.services) {
    if (copies(s, 1) <= 0 || memory_limit(s.resources) || s.resources.memory_request) continue;
    names += (names.empty() ? "" : ", ") + s.name;
    ++count;
  }
  if (count == 0) return;
  out.push_back(stack_finding("budget-unbounded", Severity::warning,
                              std::to_string(count) + (count == 1 ? " service declares" : " services declare") +
                                  " neither memory limit nor request and " + (count == 1 ? "counts" : "count") +
                                  " as 0 B in this fit: " + names));
}

}  // namespace

StackTotals compute_totals(const Stack& stack, std::int64_t nodes) {
  StackTotals t;
  for (const Service& s : stack.services) {
    std::int64_t n = copies(s, nodes);
    if (n <= 0) continue;  // scaled to zero: nothing runs
    const Resources& r = s.resources;
    auto limit = memory_limit(r);
    add_bytes(t.memory_request, r.memory_request, n);
    add_bytes(t.memory_limit, limit, n);
    add_bytes(t.memory_committed, limit ? limit : r.memory_request, n);
    add_cpu(t.cpu_request, r.cpu_request, n);
    add_cpu(t.cpu_limit, r.cpu_limit, n);
    if (!limit) t.unbounded_memory.push_back(s.name);
  }
  return t;
}

FitResult fit_budget(const Stack& stack, const Budget& budget) {
  FitResult r;
  r.budget = budget;
  r.totals = compute_totals(stack, 1);  // one machine: each DaemonSet pod once
  Bytes available = budget.available();
  r.fits = r.totals.memory_committed <= available;
  r.headroom = r.fits ? available - r.totals.memory_committed : Bytes{0};
  r.shortfall = r.fits ? Bytes{0} : r.totals.memory_committed - available;
  memory_findings(r.totals, budget, r.findings);
  unbounded_finding(stack, r.findings);
  if (budget.cpus && r.totals.cpu_limit > *budget.cpus) {
    r.findings.push_back(stack_finding("cpu-exceeds-budget", Severity::warning,
                                       "CPU limits total " + format_human_cpu(r.totals.cpu_limit) + " exceed the " +
                                           format_human_cpu(*budget.cpus) + " CPUs of " + budget.name +
                                           ": services are throttled when they are busy together"));
  }
  return r;
}

}  // namespace stackfit
