#include "stackfit/analyze/doctor_runtime_checks.hpp"

#include <map>

namespace stackfit {

namespace {

constexpr std::int64_t k_gib = 1024LL * 1024 * 1024;
constexpr std::int64_t k_disk_fail_bytes = 1 * k_gib;  // free space below either: fail
constexpr int k_disk_fail_percent = 5;
constexpr std::int64_t k_disk_warn_bytes = 5 * k_gib;  // below either: warn
constexpr int k_disk_warn_percent = 10;
constexpr std::size_t k_max_named = 5;  // names shown in one message, then "and N more"

// "a, b, c and 4 more"
std::string name_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < k_max_named; ++i) out += (i == 0 ? "" : ", ") + names[i];
  if (names.size() > k_max_named) out += " and " + std::to_string(names.size() - k_max_named) + " more";
  return out;
}

// "api (shop) x2" per victim, in first-seen order.
std::string victims(const std::vector<OomKill>& kills) {
  std::vector<std::string> order;
  std::map<std::string, int> counts;
  for (const OomKill& k : kills) {
    std::string who = !k.service.empty() ? k.service : !k.container_name.empty() ? k.container_name
                      : !k.container_id.empty() ? "container " + k.container_id.substr(0, 12)
                                                : "outside containers (" + k.process + ")";
    if (!k.project.empty()) who += " (" + k.project + ")";
    if (counts[who]++ == 0) order.push_back(who);
  }
  std::vector<std::string> shown;
  for (const std::string& who : order) shown.push_back(who + (counts[who] > 1 ? " x" + std::to_string(counts[who]) : ""));
  return name_list(shown);
}

}  // namespace

DoctorCheck oom_kills_check(const KernelLogFacts& log) {
  DoctorCheck c{"oom-kills", CheckStatus::ok, "", ""};
  if (!log.readable) {
    c.status = CheckStatus::warn;
    c.message = "kernel log unreadable, OOM kills unknown: " + log.problem;
    c.fix = "run as root, or allow reading it: sysctl kernel.dmesg_restrict=0, or the adm/systemd-journal group";
    return c;
  }
  if (log.kills.empty()) {
    c.message = "no OOM kills in the kernel log (" + log.source + ") in the last " + log.since_text;
    return c;
  }
  c.status = CheckStatus::fail;
  c.message = std::to_string(log.kills.size()) + " OOM kills in the last " + log.since_text + ": " + victims(log.kills);
  c.fix = "raise the killed services' memory limits: `stackfit record` then `stackfit recommend`";
  return c;
}

DoctorCheck engine_oom_check(const std::vector<ContainerLifecycle>& containers) {
  std::vector<std::string> killed;
  for (const ContainerLifecycle& c : containers) {
    if (c.oom_killed) killed.push_back(c.name);
  }
  if (killed.empty()) return {"engine-oom", CheckStatus::ok, "no container's main process was OOM-killed (State.OOMKilled)", ""};
  return {"engine-oom", CheckStatus::fail,
          std::to_string(killed.size()) + " containers exited OOM-killed (State.OOMKilled): " + name_list(killed),
          "raise their memory limits, or lower the runtime's heap (`stackfit recommend` sizes both)"};
}

DoctorCheck restart_loops_check(const std::vector<ContainerLifecycle>& containers) {
  std::vector<std::string> looping;
  for (const ContainerLifecycle& c : containers) {
    if (c.state == "restarting" || c.restart_count >= k_restart_loop_count) {
      looping.push_back(c.name + " (" + std::to_string(c.restart_count) + " restarts" +
                        (c.state == "restarting" ? ", restarting now)" : ")"));
    }
  }
  if (looping.empty()) return {"restart-loops", CheckStatus::ok, "no container in a restart loop", ""};
  return {"restart-loops", CheckStatus::fail, "restart loops: " + name_list(looping),
          "read their last logs (`docker logs --tail 50 NAME`); an OOM kill shows as exit 137"};
}

DoctorCheck disk_check(const DoctorInput& in) {
  DoctorCheck c{"disk", CheckStatus::ok, "", ""};
  std::string reclaim = "; `stackfit cleanup` would reclaim " + format_human_bytes(in.reclaimable);
  if (!in.disk) {
    c.message = "data root " + in.engine.data_root + " is not on this host (the engine's VM): free space unknown" + reclaim;
    return c;
  }
  const DiskFacts& d = *in.disk;
  int percent = d.total.count > 0 ? static_cast<int>(d.available.count * 100 / d.total.count) : 0;
  c.message = "data root " + d.path + ": " + format_human_bytes(d.available) + " free of " + format_human_bytes(d.total) +
              " (" + std::to_string(percent) + "%)" + reclaim;
  if (d.available.count < k_disk_fail_bytes || percent < k_disk_fail_percent) {
    c.status = CheckStatus::fail;
  } else if (d.available.count < k_disk_warn_bytes || percent < k_disk_warn_percent) {
    c.status = CheckStatus::warn;
  }
  if (c.status != CheckStatus::ok) c.fix = "`stackfit cleanup` (a dry run), then `stackfit cleanup --force`";
  return c;
}

}  // namespace stackfit
