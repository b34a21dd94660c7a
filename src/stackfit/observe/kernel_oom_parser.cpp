#include "stackfit/observe/kernel_oom_parser.hpp"

#include <charconv>

namespace stackfit {
namespace {

// Control characters of a hostile log are shown as '?', and the text is cut.
std::string clean(std::string_view text, std::size_t max_bytes) {
  std::string out(text.substr(0, max_bytes));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// A positive decimal pid ("%5d" pads it with spaces); nullopt otherwise.
std::optional<std::int64_t> parse_pid(std::string_view text) {
  text = trim(text);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

// "CONSTRAINT_MEMCG" -> "memcg", "CONSTRAINT_NONE" -> "system", others lower-cased.
std::string constraint_name(std::string_view text) {
  if (text == "CONSTRAINT_MEMCG") return "memcg";
  if (text == "CONSTRAINT_NONE") return "system";
  if (text.starts_with("CONSTRAINT_")) text.remove_prefix(11);
  std::string out = clean(text, 32);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

// The value of `key` (",task_memcg=") up to the start of `next_key`, both
// searched from the end (the fixed tail "task=..,pid=..,uid=.." is last, and
// a cgroup path or a comm may itself hold commas). nullopt when absent.
std::optional<std::string_view> between(std::string_view text, std::string_view key, std::string_view next_key) {
  auto end = next_key.empty() ? text.size() : text.rfind(next_key);
  if (end == std::string_view::npos) return std::nullopt;
  auto start = text.rfind(key, end);
  if (start == std::string_view::npos) return std::nullopt;
  start += key.size();
  if (start > end) return std::nullopt;
  return text.substr(start, end - start);
}

// "123kB" at the start of `text` in bytes; nullopt otherwise.
std::optional<Bytes> kilobytes(std::string_view text) {
  std::int64_t kb = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), kb);
  if (ec != std::errc() || kb < 0 || kb > (INT64_MAX >> 10)) return std::nullopt;
  if (std::string_view(end, static_cast<std::size_t>(text.data() + text.size() - end)).substr(0, 2) != "kB") {
    return std::nullopt;
  }
  return Bytes{kb * 1024};
}

}  // namespace

void KernelOomParser::push(OomKill kill) {
  if (m_kills.size() >= k_max_oom_kills) {
    m_kills.erase(m_kills.begin());
    ++m_dropped;
  }
  m_kills.push_back(std::move(kill));
}

// "oom-kill:constraint=C,nodemask=M,cpuset=S,mems_allowed=A[,oom_memcg=P,task_memcg=Q],task=COMM,pid=N,uid=U"
bool KernelOomParser::on_summary(std::int64_t time_unix_ms, std::string_view message) {
  constexpr std::string_view k_prefix = "oom-kill:constraint=";
  if (!message.starts_with(k_prefix)) return false;
  auto uid = message.rfind(",uid=");
  auto pid = between(message, ",pid=", ",uid=");
  auto task = between(message, ",task=", ",pid=");
  if (uid == std::string_view::npos || !pid || !task) return true;  // cut or foreign: ignored
  auto pid_value = parse_pid(*pid);
  if (!pid_value) return true;
  if (m_pending) push(std::move(*m_pending));
  OomKill kill;
  kill.time_unix_ms = time_unix_ms;
  kill.pid = *pid_value;
  kill.process = clean(*task, k_max_oom_process_bytes);
  std::string_view rest = message.substr(k_prefix.size());
  kill.constraint = constraint_name(rest.substr(0, rest.find(',')));
  if (auto memcg = between(message.substr(0, message.rfind(",task=")), ",task_memcg=", "")) {
    kill.cgroup = clean(*memcg, k_max_oom_cgroup_bytes);
  }
  if (kill.cgroup.empty()) kill.cgroup = m_task_in_cgroup;
  m_pending = std::move(kill);
  return true;
}

// "[Memory cgroup out of memory: |Out of memory: ]Killed process N (COMM) total-vm:..., anon-rss:NkB, ..."
// and RHEL 6's "Killed process N, UID U, (COMM) total-vm:...".
bool KernelOomParser::on_killed(std::int64_t time_unix_ms, std::string_view message) {
  constexpr std::string_view k_killed = "Killed process ";
  auto at = message.find(k_killed);
  if (at == std::string_view::npos) return false;
  std::string_view prefix = message.substr(0, at);
  // Only the OOM killer's own prefixes ("Memory cgroup out of memory: ",
  // "Out of memory: ", "Out of memory (oom_kill_allocating_task): "), or none.
  if (!prefix.empty() && (!prefix.ends_with(": ") || prefix.find("ut of memory") == std::string_view::npos)) {
    return false;
  }
  std::string_view rest = message.substr(at + k_killed.size());
  auto open = rest.find('(');
  if (open == std::string_view::npos) return true;
  std::string_view digits = rest.substr(0, open);
  digits = digits.substr(0, digits.find(','));  // RHEL 6: "N, UID U, (COMM)"
  auto pid = parse_pid(digits);
  if (!pid) return true;
  auto vm = rest.find(") total-vm:", open);
  auto close = vm != std::string_view::npos ? vm : rest.rfind(')');
  if (close == std::string_view::npos || close < open) return true;
  OomKill kill;
  if (m_pending && m_pending->pid == *pid) {
    kill = std::move(*m_pending);
  } else {
    if (m_pending) push(std::move(*m_pending));
    kill.time_unix_ms = time_unix_ms;
    kill.pid = *pid;
    kill.process = clean(rest.substr(open + 1, close - open - 1), k_max_oom_process_bytes);
    kill.cgroup = m_task_in_cgroup;
    bool memcg = prefix.starts_with("Memory cgroup") || !m_task_in_cgroup.empty();
    kill.constraint = memcg ? "memcg" : "system";
  }
  m_pending.reset();
  if (auto anon = rest.find("anon-rss:", close); anon != std::string_view::npos) {
    kill.anon_rss = kilobytes(rest.substr(anon + 9));
  }
  m_task_in_cgroup.clear();
  push(std::move(kill));
  return true;
}

void KernelOomParser::feed(std::int64_t time_unix_ms, std::string_view message) {
  message = trim(message.substr(0, k_max_kernel_message_bytes));
  if (message.empty()) return;
  if (on_summary(time_unix_ms, message)) return;
  if (on_killed(time_unix_ms, message)) return;
  constexpr std::string_view k_task_in = "Task in ";
  if (message.starts_with(k_task_in)) {
    std::string_view path = message.substr(k_task_in.size());
    path = path.substr(0, path.find(" killed"));
    m_task_in_cgroup = clean(path, k_max_oom_cgroup_bytes);
    return;
  }
  // "X invoked oom-killer: ..." starts a new kill: what an earlier one left is stale.
  if (message.find(" invoked oom-killer:") != std::string_view::npos) m_task_in_cgroup.clear();
}

std::vector<OomKill> KernelOomParser::finish() {
  if (m_pending) push(std::move(*m_pending));
  m_pending.reset();
  return std::move(m_kills);
}

}  // namespace stackfit
