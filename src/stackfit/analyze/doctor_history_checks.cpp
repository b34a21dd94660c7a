#include "stackfit/analyze/doctor_history_checks.hpp"

#include <algorithm>

#include "stackfit/util/clock.hpp"

namespace stackfit {
namespace {

constexpr std::size_t k_max_named = 5;   // services in one message, then "and N more"
constexpr std::size_t k_max_times = 3;   // times per service, then "…"
constexpr int k_stack_warn_percent = 90;

std::string who(const RecordedService& s) { return s.project.empty() ? s.service : s.service + " (" + s.project + ")"; }

// "a, b and 4 more"
std::string listed(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < k_max_named; ++i) out += (i == 0 ? "" : "; ") + items[i];
  if (items.size() > k_max_named) out += " and " + std::to_string(items.size() - k_max_named) + " more";
  return out;
}

// "hog (sfdoc) x2 at 2026-12-07T03:58:12Z, 2026-12-07T03:58:40Z"
std::string with_times(const RecordedService& s, std::int64_t count, const std::vector<std::int64_t>& times_ns) {
  std::string out = who(s) + (count > 1 ? " x" + std::to_string(count) : "");
  for (std::size_t i = 0; i < times_ns.size() && i < k_max_times; ++i) {
    out += (i == 0 ? " at " : ", ") + format_utc(times_ns[i]);
  }
  if (times_ns.size() > k_max_times) out += ", ...";
  return out;
}

std::string window(const RecordedHistory& h) {
  return (h.project.empty() ? "" : "of project " + h.project + " ") + "in the last " + h.since_text + " (" + h.db_path + ")";
}

}  // namespace

DoctorCheck recorded_oom_kills_check(const RecordedHistory& h) {
  std::vector<std::string> named;
  std::int64_t total = 0;
  for (const RecordedService& s : h.services) {
    if (s.oom_kills == 0) continue;
    total += s.oom_kills;
    named.push_back(with_times(s, s.oom_kills, s.oom_kill_ns));
  }
  if (total == 0) return {"recorded-oom-kills", CheckStatus::ok, "no OOM kills recorded " + window(h), ""};
  return {"recorded-oom-kills", CheckStatus::fail,
          std::to_string(total) + " OOM kills recorded " + window(h) + ": " + listed(named),
          "raise their memory limits: `stackfit recommend --db " + h.db_path + "`"};
}

DoctorCheck recorded_restarts_check(const RecordedHistory& h) {
  std::vector<std::string> named;
  bool loop = false;
  for (const RecordedService& s : h.services) {
    if (s.restarts == 0) continue;
    loop = loop || s.restarts >= k_restart_loop_count;
    named.push_back(with_times(s, s.restarts, s.restart_ns));
  }
  if (named.empty()) return {"recorded-restarts", CheckStatus::ok, "no restarts recorded " + window(h), ""};
  return {"recorded-restarts", loop ? CheckStatus::fail : CheckStatus::warn,
          "restarts recorded " + window(h) + ": " + listed(named),
          "read their last logs (`docker logs --tail 50 NAME`); `stackfit report --db " + h.db_path +
              "` draws when they happened"};
}

DoctorCheck recorded_headroom_check(const RecordedHistory& h) {
  struct Tight {
    std::int64_t left_permille;
    std::string text;
  };
  std::vector<Tight> tight;
  std::size_t judged = 0;
  bool over = false;
  for (const RecordedService& s : h.services) {
    if (!s.memory_limit || !s.peak_working_set || s.memory_limit->count <= 0) continue;
    ++judged;
    const Bytes limit = *s.memory_limit;
    const Bytes left = limit - *s.peak_working_set;
    std::int64_t permille = left.count * 1000 / limit.count;
    if (permille >= k_headroom_warn_percent * 10) continue;
    over = over || permille < k_headroom_fail_percent * 10;
    std::string margin = left.count >= 0 ? format_human_bytes(left) + " left, " + std::to_string(permille / 10) + "%"
                                         : format_human_bytes(Bytes{-left.count}) + " over";
    tight.push_back({permille, who(s) + ": peak " + format_human_bytes(*s.peak_working_set) + " of its " +
                                   format_human_bytes(limit) + " limit (" + margin + ")"});
  }
  std::size_t unlimited = h.services.size() - judged;
  std::string without = unlimited ? "; " + std::to_string(unlimited) + " without a limit or a reading not judged" : "";
  if (tight.empty()) {
    return {"recorded-headroom", CheckStatus::ok,
            std::to_string(judged) + " services peaked at least " + std::to_string(k_headroom_warn_percent) +
                "% below their memory limit " + window(h) + without, ""};
  }
  std::stable_sort(tight.begin(), tight.end(), [](const Tight& a, const Tight& b) { return a.left_permille < b.left_permille; });
  std::vector<std::string> texts;
  for (const Tight& t : tight) texts.push_back(t.text);
  return {"recorded-headroom", over ? CheckStatus::fail : CheckStatus::warn,
          "recorded peaks near the memory limit " + window(h) + ": " + listed(texts) + without,
          "raise those limits: `stackfit recommend --db " + h.db_path + "` sizes them from the recording"};
}

DoctorCheck recorded_stack_fit_check(const RecordedHistory& h, Bytes have) {
  DoctorCheck c{"recorded-stack-fit", CheckStatus::ok, "", ""};
  if (!h.stack_peak) {
    c.message = "no working-set readings recorded " + window(h);
    if (!h.project.empty() && !h.recorded_projects.empty()) {
      std::string others;
      for (const std::string& p : h.recorded_projects) others += (others.empty() ? "" : ", ") + p;
      c.message += "; it has projects " + others + " (-p names the stack's)";
    }
    return c;
  }
  const Bytes peak = *h.stack_peak;
  c.message = "the recorded stack peaked at " + format_human_bytes(peak) + " at " + format_utc(h.stack_peak_ns) +
              " (peak of the summed working set, " + std::to_string(h.bucket_ns / 1'000'000'000) +
              " s buckets; sum of the services' peaks " + format_human_bytes(h.sum_of_peaks) + ") of the engine's " +
              format_human_bytes(have);
  if (peak > have) {
    c.status = CheckStatus::fail;
    c.message += ": " + format_human_bytes(peak - have) + " over";
  } else if (peak.count * 100 > have.count * k_stack_warn_percent) {
    c.status = CheckStatus::warn;
    c.message += ": only " + format_human_bytes(have - peak) + " left for the OS and the engine";
  } else {
    c.message += ": fits with " + format_human_bytes(have - peak) + " to spare";
  }
  if (c.status != CheckStatus::ok) c.fix = "give the engine more memory (engine-memory), or fit the stack to it: `stackfit plan -f STACK --db " +
                                         h.db_path + " --budget " + format_human_bytes(have) + "`";
  return c;
}

}  // namespace stackfit
