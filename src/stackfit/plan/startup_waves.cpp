#include "stackfit/plan/startup_waves.hpp"

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace stackfit {

const char* to_string(StartupSource s) {
  switch (s) {
    case StartupSource::measured: return "measured";
    case StartupSource::limit: return "limit";
    case StartupSource::request: return "request";
    case StartupSource::none: return "none";
  }
  return "none";
}

namespace {

constexpr std::int64_t k_ns_per_ms = 1'000'000;

// Engine nanoseconds (0 = the engine's default) as a Compose timing.
std::optional<std::int64_t> timing_ms(std::int64_t ns) {
  if (ns <= 0) return std::nullopt;
  return (ns + k_ns_per_ms - 1) / k_ns_per_ms;
}

Healthcheck healthcheck_of(const RecordedHealthcheck& r) {
  Healthcheck out;
  out.interval_ms = timing_ms(r.interval_ns);
  out.timeout_ms = timing_ms(r.timeout_ns);
  out.start_period_ms = timing_ms(r.start_period_ns);
  if (r.retries > 0) out.retries = r.retries;
  return out;
}

StartupService startup_service(const Service& s, const std::map<std::string, MeasuredStartup>& measured,
                               const std::map<std::string, RecordedHealth>& health) {
  StartupService out;
  out.name = s.name;
  out.declared_at = s.declared_at;
  out.replicas = s.replica_mode == ReplicaMode::per_node ? 1 : std::max<std::int64_t>(s.replicas, 0);
  for (const Dependency& d : s.depends_on) out.depends_on.push_back(d.service);
  out.healthcheck = s.healthcheck;
  if (auto h = health.find(s.name); h != health.end()) {
    if (h->second.time_to_healthy) {
      out.healthy_ms = h->second.time_to_healthy->max_ms;
      out.healthy_starts = h->second.time_to_healthy->starts;
    }
    if (!s.healthcheck && h->second.healthcheck) {
      out.recorded_healthcheck = healthcheck_of(*h->second.healthcheck);
      out.recorded_test = h->second.healthcheck->test;
    }
  }
  if (auto m = measured.find(s.name); m != measured.end()) {
    out.source = StartupSource::measured;
    out.startup_peak = m->second.startup_peak;
    out.steady = m->second.steady;
    out.settle_ms = m->second.settle_ms;
    out.starts_observed = m->second.starts;
    return out;
  }
  const Resources& r = s.resources;
  if (r.memory_limit) {
    out.source = StartupSource::limit;
    out.startup_peak = *r.memory_limit;
  } else if (r.memory_request) {
    out.source = StartupSource::request;
    out.startup_peak = *r.memory_request;
  }
  out.steady = r.memory_request ? *r.memory_request : out.startup_peak;
  return out;
}

// Depth-first search for a cycle; fills `level` for every service on success.
class LevelFinder {
 public:
  explicit LevelFinder(std::vector<StartupService>& services) : m_services(services) {
    for (std::size_t i = 0; i < services.size(); ++i) m_index[services[i].name] = i;
    m_state.assign(services.size(), State::unvisited);
  }

  Expected<void> run() {
    for (std::size_t i = 0; i < m_services.size(); ++i) {
      if (m_state[i] == State::unvisited) {
        if (auto ok = visit(i); !ok) return ok;
      }
    }
    return {};
  }

 private:
  enum class State { unvisited, on_path, done };

  // Iterative, so a long depends_on chain cannot overflow the call stack:
  // m_path holds the services being visited, m_next the next dependency
  // each of them will look at.
  Expected<void> visit(std::size_t root) {
    enter(root);
    while (!m_path.empty()) {
      std::size_t i = m_path.back();
      const auto& deps = m_services[i].depends_on;
      if (m_next.back() == deps.size()) {
        m_state[i] = State::done;
        m_path.pop_back();
        m_next.pop_back();
        // i was entered as a dependency of the service below it on the path.
        if (!m_path.empty()) {
          std::size_t parent = m_path.back();
          m_services[parent].level = std::max(m_services[parent].level, m_services[i].level + 1);
        }
        continue;
      }
      auto it = m_index.find(deps[m_next.back()++]);
      if (it == m_index.end()) continue;  // not in this stack (the loader already refused unknown names)
      std::size_t d = it->second;
      if (m_state[d] == State::on_path) return cycle_error(d);
      if (m_state[d] == State::unvisited) {
        enter(d);
        continue;
      }
      m_services[i].level = std::max(m_services[i].level, m_services[d].level + 1);
    }
    return {};
  }

  void enter(std::size_t i) {
    m_state[i] = State::on_path;
    m_services[i].level = 0;
    m_path.push_back(i);
    m_next.push_back(0);
  }

  // The path from `start` back to itself: "a → b → c → a".
  Expected<void> cycle_error(std::size_t start) const {
    auto from = std::find(m_path.begin(), m_path.end(), start);
    std::string text;
    for (auto it = from; it != m_path.end(); ++it) text += m_services[*it].name + " → ";
    text += m_services[start].name;
    return make_error(ErrorCode::bad_input,
                      m_services[start].declared_at.to_string() + ": depends_on cycle: " + text);
  }

  std::vector<StartupService>& m_services;
  std::unordered_map<std::string, std::size_t> m_index;
  std::vector<State> m_state;
  std::vector<std::size_t> m_path;
  std::vector<std::size_t> m_next;
};

bool wave_has_healthcheck(const StartupPlan& plan, const StartupWave& w) {
  return std::any_of(w.services.begin(), w.services.end(),
                     [&](std::size_t s) { return plan.services[s].has_healthcheck(); });
}

// Whether the list of placed services of each wave is worth keeping: the
// per-wave lists of services still at their peak are only built at the end.
enum class PeakLists { skip, build };

// Recomputes every wave's figures from its services. While wave j starts, a
// service of wave i < j counts at its peak until `settled`, the first wave
// that starts after a health-gated wait following its own start (see
// plan_startup), and at its steady usage from there on.
void compute_wave_figures(StartupPlan& plan, PeakLists lists = PeakLists::skip) {
  const std::size_t n = plan.waves.size();
  // next_checked[m]: the first wave >= m with a health-checked service (n if none).
  std::vector<std::size_t> next_checked(n + 1, n);
  for (std::size_t m = n; m-- > 0;) next_checked[m] = wave_has_healthcheck(plan, plan.waves[m]) ? m : next_checked[m + 1];
  // Differences: added at a wave, removed after the range ends.
  std::vector<std::int64_t> delta(n + 1, 0);
  Bytes steady_so_far{0};
  for (std::size_t i = 0; i < n; ++i) {
    StartupWave& w = plan.waves[i];
    w.own_peak = Bytes{0};
    w.still_at_peak.clear();
    w.still_at_peak_count = 0;
    w.settle_ms.reset();
    w.healthy_ms.reset();
    for (std::size_t s : w.services) {
      const StartupService& svc = plan.services[s];
      w.own_peak = saturating_add(w.own_peak, svc.total_peak());
      steady_so_far = saturating_add(steady_so_far, svc.total_steady());
      if (svc.settle_ms) w.settle_ms = std::max(w.settle_ms.value_or(0), *svc.settle_ms);
      if (svc.healthy_ms && svc.has_healthcheck()) w.healthy_ms = std::max(w.healthy_ms.value_or(0), *svc.healthy_ms);
      std::size_t settled = svc.has_healthcheck() ? i + 1 : std::min(n, next_checked[i + 1] + 1);
      const std::int64_t peak = svc.total_peak().count;
      const std::int64_t steady = svc.total_steady().count;
      delta[i + 1] += peak;
      delta[settled] += steady - peak;
    }
    w.cumulative_steady = steady_so_far;
  }
  std::int64_t running = 0;
  for (std::size_t j = 0; j < n; ++j) {
    running += delta[j];
    StartupWave& w = plan.waves[j];
    w.running = Bytes{running};
    w.expected_peak = saturating_add(w.own_peak, w.running);
    w.fits = !plan.budget || w.expected_peak <= *plan.budget;
  }
  if (lists == PeakLists::skip) return;
  // Counts from differences; names only up to k_still_at_peak_names per wave,
  // so a long chain without health checks stays linear in memory.
  std::vector<std::int64_t> count_delta(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t s : plan.waves[i].services) {
      std::size_t settled =
          plan.services[s].has_healthcheck() ? i + 1 : std::min(n, next_checked[i + 1] + 1);
      if (settled <= i + 1) continue;
      count_delta[i + 1] += 1;
      count_delta[settled] -= 1;
      for (std::size_t j = i + 1; j < settled && plan.waves[j].still_at_peak.size() < k_still_at_peak_names; ++j) {
        plan.waves[j].still_at_peak.push_back(s);
      }
    }
  }
  std::int64_t count = 0;
  for (std::size_t j = 0; j < n; ++j) plan.waves[j].still_at_peak_count = static_cast<std::size_t>(count += count_delta[j]);
}

// Whether adding service `s` to wave `j` keeps wave j and every later wave
// that fits now within the budget. Waves already over stay flagged.
bool fits_in_wave(StartupPlan& plan, std::size_t s, std::size_t j) {
  // Adding s raises wave j by its peak and every later wave by at most its
  // peak (a health check of s can only lower what others count for): decide
  // from the current figures when they suffice, recompute only when not.
  const Bytes peak = plan.services[s].total_peak();
  const Bytes budget = *plan.budget;
  if (saturating_add(plan.waves[j].expected_peak, peak) > budget) return false;
  bool surely = true;
  for (std::size_t m = j + 1; surely && m < plan.waves.size(); ++m) {
    surely = !plan.waves[m].fits || saturating_add(plan.waves[m].expected_peak, peak) <= budget;
  }
  if (surely) return true;
  std::vector<bool> fitted;
  for (const StartupWave& w : plan.waves) fitted.push_back(w.fits);
  plan.waves[j].services.push_back(s);
  compute_wave_figures(plan);
  bool ok = plan.waves[j].fits;
  for (std::size_t m = j + 1; ok && m < plan.waves.size(); ++m) ok = plan.waves[m].fits || !fitted[m];
  plan.waves[j].services.pop_back();
  compute_wave_figures(plan);
  return ok;
}

// Order of placement: level, then larger total peak first, then declaration.
std::vector<std::size_t> placement_order(const std::vector<StartupService>& services) {
  std::vector<std::size_t> order(services.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (services[a].level != services[b].level) return services[a].level < services[b].level;
    return services[a].total_peak() > services[b].total_peak();
  });
  return order;
}

void place(StartupPlan& plan, std::size_t s, const std::unordered_map<std::string, std::size_t>& index) {
  std::size_t earliest = 0;
  for (const std::string& dep : plan.services[s].depends_on) {
    if (auto d = index.find(dep); d != index.end()) earliest = std::max(earliest, plan.wave_of[d->second] + 1);
  }
  for (std::size_t j = earliest; j < plan.waves.size(); ++j) {
    // Without a budget nothing is ever split: the earliest allowed wave.
    if (!plan.budget || fits_in_wave(plan, s, j)) {
      plan.waves[j].services.push_back(s);
      plan.wave_of[s] = j;
      if (plan.budget) compute_wave_figures(plan);  // the next fit checks read them
      return;
    }
  }
  plan.waves.emplace_back();
  plan.waves.back().services.push_back(s);
  plan.wave_of[s] = plan.waves.size() - 1;
  if (plan.budget) compute_wave_figures(plan);
}

void add_notes(StartupPlan& plan) {
  const Bytes budget = *plan.budget;
  for (const StartupService& s : plan.services) {
    if (s.total_peak() > budget) {
      plan.oversized.push_back(s.name);
      plan.notes.push_back(s.name + ": its start-up peak alone (" + format_human_bytes(s.total_peak()) +
                           ") exceeds the budget (" + format_human_bytes(budget) +
                           "); no order of start-up can fit it");
    }
  }
  if (plan.steady_total > budget) {
    plan.notes.push_back("the stack's steady usage (" + format_human_bytes(plan.steady_total) +
                         ") exceeds the budget (" + format_human_bytes(budget) +
                         ") even after start-up; staging cannot make it fit (see `stackfit plan`)");
  }
  bool any_healthcheck = std::any_of(plan.services.begin(), plan.services.end(),
                                     [](const StartupService& s) { return s.has_healthcheck(); });
  if (!any_healthcheck && plan.waves.size() > 1) {
    plan.notes.push_back("no service has a health check: nothing makes a wave wait until the previous one has "
                         "settled, so every service counts at its start-up peak; add health checks");
  }
}

}  // namespace

std::vector<StartupService> startup_services(const Stack& stack, const std::map<std::string, MeasuredStartup>& measured,
                                             const std::map<std::string, RecordedHealth>& health) {
  std::vector<StartupService> out;
  out.reserve(stack.services.size());
  for (const Service& s : stack.services) out.push_back(startup_service(s, measured, health));
  return out;
}

Expected<void> check_depends_on_acyclic(const Stack& stack) {
  std::vector<StartupService> services = startup_services(stack, {});
  return LevelFinder(services).run();
}

Expected<StartupPlan> plan_startup(std::vector<StartupService> services, std::optional<Bytes> budget) {
  TRY(LevelFinder(services).run());
  StartupPlan plan;
  plan.services = std::move(services);
  plan.budget = budget;
  plan.wave_of.assign(plan.services.size(), 0);
  for (const StartupService& s : plan.services) {
    plan.all_at_once_peak = saturating_add(plan.all_at_once_peak, s.total_peak());
    plan.steady_total = saturating_add(plan.steady_total, s.total_steady());
  }
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < plan.services.size(); ++i) index.emplace(plan.services[i].name, i);
  for (std::size_t s : placement_order(plan.services)) place(plan, s, index);
  compute_wave_figures(plan, PeakLists::build);
  plan.fits = std::all_of(plan.waves.begin(), plan.waves.end(), [](const StartupWave& w) { return w.fits; });
  if (budget) add_notes(plan);
  for (const StartupService& s : plan.services) {
    if (s.source == StartupSource::none) {
      plan.notes.push_back(s.name + ": no memory limit or request and no recording: counted as 0 B");
    }
    if (s.recorded_healthcheck) {
      plan.notes.push_back(s.name + ": no health check in the Compose files; the recorded container ran one " +
                           "(from its image): " + s.recorded_test + ", used for the waves");
    }
  }
  return plan;
}

namespace {

std::int64_t round_up_to_second(std::int64_t ms) { return (ms + 999) / 1000 * 1000; }

// Staggered timings for the health-checked services of one wave.
void stagger_wave(const StartupPlan& plan, const StartupWave& w,
                  std::unordered_map<std::size_t, Healthcheck>& changed) {
  std::vector<std::size_t> checked;
  for (std::size_t s : w.services) {
    if (plan.services[s].has_healthcheck()) checked.push_back(s);
  }
  const auto n = static_cast<std::int64_t>(checked.size());
  for (std::int64_t i = 0; i < n; ++i) {
    const StartupService& svc = plan.services[checked[static_cast<std::size_t>(i)]];
    Healthcheck hc = *svc.running_healthcheck();
    std::int64_t interval = hc.interval_ms.value_or(k_default_healthcheck_interval_ms);
    std::int64_t step = std::max(k_stagger_step_min_ms, interval / (2 * n) / 100 * 100);
    std::int64_t start_period = hc.start_period_ms.value_or(0);
    if (svc.settle_ms) start_period = std::max(start_period, round_up_to_second(*svc.settle_ms));
    if (svc.healthy_ms) start_period = std::max(start_period, round_up_to_second(*svc.healthy_ms));
    Healthcheck out;
    if (i > 0) out.interval_ms = interval + i * step;
    if (i > 0 || start_period != hc.start_period_ms.value_or(0)) out.start_period_ms = start_period + i * step;
    if (out.interval_ms || out.start_period_ms) changed[checked[static_cast<std::size_t>(i)]] = out;
  }
}

}  // namespace

std::vector<StartupOverride> startup_overrides(const StartupPlan& plan) {
  std::unordered_map<std::size_t, Healthcheck> timings;
  for (const StartupWave& w : plan.waves) stagger_wave(plan, w, timings);
  std::vector<StartupOverride> out;
  for (std::size_t s = 0; s < plan.services.size(); ++s) {
    StartupOverride o;
    o.service = plan.services[s].name;
    std::size_t k = plan.wave_of[s];
    if (k > 0) {
      const StartupWave& previous = plan.waves[k - 1];
      bool healthy = wave_has_healthcheck(plan, previous);
      std::vector<std::size_t> deps = previous.services;
      std::sort(deps.begin(), deps.end());  // declaration order
      for (std::size_t d : deps) {
        if (healthy && !plan.services[d].has_healthcheck()) continue;
        o.depends_on.push_back(
            Dependency{plan.services[d].name, healthy ? "service_healthy" : "service_started", true});
      }
    }
    if (auto t = timings.find(s); t != timings.end()) o.healthcheck = t->second;
    if (!o.depends_on.empty() || o.healthcheck) out.push_back(std::move(o));
  }
  return out;
}

}  // namespace stackfit
