#include "stackfit/emit/doctor_report.hpp"

#include <nlohmann/json.hpp>

#include "stackfit/emit/recommend_report.hpp"
#include "stackfit/util/text_table.hpp"

namespace stackfit {
namespace {

using Json = nlohmann::ordered_json;

template <class T>
Json opt(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}
Json opt_bytes(const std::optional<Bytes>& v) { return v ? Json(v->count) : Json(nullptr); }

std::string summary_line(const std::vector<DoctorCheck>& checks) {
  int counts[3] = {0, 0, 0};
  for (const DoctorCheck& c : checks) ++counts[static_cast<int>(c.status)];
  return "stackfit doctor: " + std::to_string(counts[2]) + " fail, " + std::to_string(counts[1]) + " warn, " +
         std::to_string(counts[0]) + " ok\n";
}

TextTable checks_table(const std::vector<DoctorCheck>& checks) {
  TextTable t({"status", "check", "message", "fix"}, {Align::left, Align::left, Align::left, Align::left});
  for (const DoctorCheck& c : checks) t.add_row({to_string(c.status), c.id, c.message, c.fix});
  return t;
}

// The table for a terminal: status, check and message; each fix on a line of its own below.
std::string checks_text(const std::vector<DoctorCheck>& checks) {
  TextTable t({"status", "check", "message"}, {Align::left, Align::left, Align::left});
  for (const DoctorCheck& c : checks) t.add_row({to_string(c.status), c.id, c.message});
  std::string out = t.to_text();
  std::string fixes;
  for (const DoctorCheck& c : checks) {
    if (!c.fix.empty()) fixes += "  " + c.id + ": " + c.fix + "\n";
  }
  return fixes.empty() ? out : out + "\nfixes:\n" + fixes;
}

TextTable kills_table(const std::vector<OomKill>& kills) {
  TextTable t({"time", "service", "project", "container", "process", "pid"},
              {Align::left, Align::left, Align::left, Align::left, Align::left, Align::right});
  for (const OomKill& k : kills) {
    std::string container = !k.container_name.empty() ? k.container_name : k.container_id.substr(0, 12);
    t.add_row({format_utc(k.time_unix_ms * 1'000'000), k.service.empty() ? "-" : k.service,
               k.project.empty() ? "-" : k.project, container.empty() ? "-" : container, k.process, std::to_string(k.pid)});
  }
  return t;
}

Json engine_json(const std::string& socket, const EngineFacts& e) {
  return {{"socket", socket}, {"name", e.name}, {"server_version", e.server_version},
          {"operating_system", e.operating_system}, {"kernel_version", e.kernel_version},
          {"platform", to_string(e.platform)}, {"podman", e.podman}, {"mem_total_bytes", e.mem_total.count},
          {"cpus", e.cpus}, {"cgroup_version", e.cgroup_version}, {"cgroup_driver", e.cgroup_driver},
          {"memory_limit", e.memory_limit}, {"swap_limit", e.swap_limit}, {"data_root", e.data_root},
          {"warnings", e.warnings}};
}

Json host_json(const HostFacts& h) {
  return {{"mem_total_bytes", opt_bytes(h.mem_total)}, {"swap_total_bytes", opt_bytes(h.swap_total)},
          {"overcommit_memory", opt(h.overcommit_memory)}, {"swappiness", opt(h.swappiness)},
          {"kernel_release", h.kernel_release}, {"cgroup_version", h.cgroup_version},
          {"memory_controller", opt(h.memory_controller)}};
}

Json kill_json(const OomKill& k) {
  return {{"time", format_utc(k.time_unix_ms * 1'000'000)}, {"time_unix_ms", k.time_unix_ms}, {"pid", k.pid},
          {"process", k.process}, {"container", k.container_id}, {"container_name", k.container_name},
          {"service", k.service}, {"project", k.project}, {"pod", k.pod}, {"cgroup", k.cgroup},
          {"constraint", k.constraint}, {"anon_rss_bytes", opt_bytes(k.anon_rss)}};
}

Json times_json(const std::vector<std::int64_t>& times_ns) {
  Json out = Json::array();
  for (std::int64_t t : times_ns) out.push_back(format_utc(t));
  return out;
}

Json history_json(const RecordedHistory& h) {
  Json services = Json::array();
  for (const RecordedService& s : h.services) {
    std::optional<Bytes> headroom;
    if (s.memory_limit && s.peak_working_set) headroom = *s.memory_limit - *s.peak_working_set;
    services.push_back({{"project", s.project}, {"service", s.service}, {"oom_kills", s.oom_kills},
                        {"oom_kill_times", times_json(s.oom_kill_ns)}, {"restarts", s.restarts},
                        {"restart_times", times_json(s.restart_ns)}, {"peak_working_set_bytes", opt_bytes(s.peak_working_set)},
                        {"memory_limit_bytes", opt_bytes(s.memory_limit)}, {"headroom_bytes", opt_bytes(headroom)}});
  }
  return {{"db", h.db_path}, {"since", h.since_text}, {"project", h.project}, {"stack_peak_bytes", opt_bytes(h.stack_peak)},
          {"stack_peak_time", h.stack_peak ? Json(format_utc(h.stack_peak_ns)) : Json(nullptr)},
          {"stack_peak_method", "peak of the summed working set"}, {"bucket_seconds", h.bucket_ns / 1'000'000'000},
          {"sum_of_peaks_bytes", h.sum_of_peaks.count}, {"services", services}};
}

// The recording's services: kills, restarts, peak against limit.
TextTable history_table(const RecordedHistory& h) {
  TextTable t({"service", "project", "OOM kills", "restarts", "peak", "limit", "headroom"},
              {Align::left, Align::left, Align::right, Align::right, Align::right, Align::right, Align::right});
  auto bytes = [](const std::optional<Bytes>& b) { return b ? format_human_bytes(*b) : std::string("-"); };
  for (const RecordedService& s : h.services) {
    std::string headroom = "-";
    if (s.memory_limit && s.peak_working_set) {
      Bytes left = *s.memory_limit - *s.peak_working_set;
      headroom = left.count >= 0 ? format_human_bytes(left) : "-" + format_human_bytes(Bytes{-left.count});
    }
    t.add_row({s.service, s.project.empty() ? "-" : s.project, std::to_string(s.oom_kills), std::to_string(s.restarts),
               bytes(s.peak_working_set), bytes(s.memory_limit), headroom});
  }
  return t;
}

std::string render_json(const DoctorReport& r) {
  const DoctorInput& in = r.input;
  Json out;
  out["schema_version"] = k_doctor_schema_version;
  out["ok"] = doctor_exit_code(r.checks) == 0;
  Json checks = Json::array();
  for (const DoctorCheck& c : r.checks) {
    checks.push_back({{"id", c.id}, {"status", to_string(c.status)}, {"message", c.message}, {"fix", c.fix}});
  }
  out["checks"] = checks;
  out["engine"] = engine_json(r.socket, in.engine);
  out["host"] = host_json(in.host);
  out["stack"] = in.stack ? Json{{"name", in.stack->name}, {"committed_bytes", in.stack->committed.count},
                                 {"unbounded", in.stack->unbounded}}
                          : Json(nullptr);
  out["disk"] = in.disk ? Json{{"path", in.disk->path}, {"total_bytes", in.disk->total.count},
                               {"available_bytes", in.disk->available.count}}
                        : Json(nullptr);
  out["reclaimable_bytes"] = in.reclaimable.count;
  out["kernel_log"] = {{"readable", in.kernel_log.readable}, {"source", in.kernel_log.source},
                       {"problem", in.kernel_log.problem}, {"since", in.kernel_log.since_text}};
  Json kills = Json::array();
  for (const OomKill& k : in.kernel_log.kills) kills.push_back(kill_json(k));
  out["oom_kills"] = kills;
  out["history"] = in.history ? history_json(*in.history) : Json(nullptr);
  return out.dump(2) + "\n";
}

}  // namespace

std::string render_doctor(const DoctorReport& report, OutputFormat format) {
  const std::vector<OomKill>& kills = report.input.kernel_log.kills;
  switch (format) {
    case OutputFormat::json: return render_json(report);
    case OutputFormat::csv: return checks_table(report.checks).to_csv();
    case OutputFormat::markdown: {
      std::string out = "**" + summary_line(report.checks).substr(0, summary_line(report.checks).size() - 1) + "**\n\n" +
                        checks_table(report.checks).to_markdown();
      if (!kills.empty()) out += "\nOOM kills:\n\n" + kills_table(kills).to_markdown();
      if (report.input.history) out += "\nRecorded:\n\n" + history_table(*report.input.history).to_markdown();
      return out;
    }
    case OutputFormat::table: break;
  }
  std::string out = summary_line(report.checks) + "\n" + checks_text(report.checks);
  if (!kills.empty()) out += "\nOOM kills (" + report.input.kernel_log.source + "):\n" + kills_table(kills).to_text();
  const std::optional<RecordedHistory>& history = report.input.history;
  if (history && !history->services.empty()) {
    out += "\nRecorded in the last " + history->since_text + " (" + history->db_path + "):\n" +
           history_table(*history).to_text();
  }
  return out;
}

}  // namespace stackfit
