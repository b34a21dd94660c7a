#include "stackfit/observe/host_facts_reader.hpp"

#include <sys/statvfs.h>

#include <charconv>
#include <filesystem>
#include <string_view>

#include "stackfit/util/file_io.hpp"

namespace stackfit {
namespace {

constexpr std::size_t k_max_proc_file_bytes = 1u << 20;

std::optional<std::int64_t> parse_int(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::string> read_small(const std::string& path) {
  auto text = read_file(path, k_max_proc_file_bytes);
  if (!text) return std::nullopt;
  return std::move(*text);
}

// "MemTotal:       16314432 kB" -> bytes.
std::optional<Bytes> meminfo_field(const std::string& meminfo, std::string_view key) {
  std::string_view text = meminfo;
  std::size_t at = 0;
  while ((at = text.find(key, at)) != std::string_view::npos) {
    if ((at == 0 || text[at - 1] == '\n') && text.substr(at + key.size()).starts_with(':')) break;
    at += key.size();
  }
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view line = text.substr(at + key.size() + 1);
  line = line.substr(0, line.find('\n'));
  bool kb = line.ends_with(" kB");
  if (kb) line.remove_suffix(3);
  auto value = parse_int(line);
  if (!value || *value < 0 || *value > (INT64_MAX >> 10)) return std::nullopt;
  return Bytes{kb ? *value * 1024 : *value};
}

std::optional<int> small_int_file(const std::string& path) {
  auto text = read_small(path);
  if (!text) return std::nullopt;
  auto value = parse_int(*text);
  if (!value || *value < 0 || *value > 1000) return std::nullopt;
  return static_cast<int>(*value);
}

// /proc/cgroups: "#subsys_name hierarchy num_cgroups enabled", one row per controller.
std::optional<bool> memory_enabled_in_proc_cgroups(const std::string& text) {
  std::string_view rest = text;
  while (!rest.empty()) {
    std::string_view line = rest.substr(0, rest.find('\n'));
    rest.remove_prefix(std::min(rest.size(), line.size() + 1));
    if (!line.starts_with("memory\t") && !line.starts_with("memory ")) continue;
    auto last = line.find_last_of(" \t");
    auto enabled = parse_int(line.substr(last + 1));
    if (!enabled) return std::nullopt;
    return *enabled != 0;
  }
  return std::nullopt;
}

bool lists_word(std::string_view text, std::string_view word) {
  std::size_t at = 0;
  while ((at = text.find(word, at)) != std::string_view::npos) {
    bool starts = at == 0 || text[at - 1] == ' ';
    std::size_t end = at + word.size();
    bool ends = end == text.size() || text[end] == ' ' || text[end] == '\n';
    if (starts && ends) return true;
    at = end;
  }
  return false;
}

}  // namespace

HostFacts read_host_facts(const std::string& root) {
  namespace fs = std::filesystem;
  const std::string base = root.ends_with('/') ? root : root + "/";
  HostFacts facts;
  if (auto meminfo = read_small(base + "proc/meminfo")) {
    facts.mem_total = meminfo_field(*meminfo, "MemTotal");
    facts.swap_total = meminfo_field(*meminfo, "SwapTotal");
  }
  facts.overcommit_memory = small_int_file(base + "proc/sys/vm/overcommit_memory");
  facts.swappiness = small_int_file(base + "proc/sys/vm/swappiness");
  if (auto release = read_small(base + "proc/sys/kernel/osrelease")) {
    facts.kernel_release = release->substr(0, release->find('\n'));
  }
  if (auto cgroups = read_small(base + "proc/cgroups")) facts.memory_controller = memory_enabled_in_proc_cgroups(*cgroups);
  std::error_code ec;
  const std::string cgroup_root = base + "sys/fs/cgroup";
  if (auto controllers = read_small(cgroup_root + "/cgroup.controllers")) {
    facts.cgroup_version = "2";
    facts.memory_controller = lists_word(*controllers, "memory");  // v2: the root's list decides
  } else if (fs::is_directory(cgroup_root + "/memory", ec)) {
    facts.cgroup_version = "1";
  }
  return facts;
}

std::optional<DiskFacts> read_disk_facts(const std::string& path) {
  if (path.empty()) return std::nullopt;
  struct statvfs s {};
  if (::statvfs(path.c_str(), &s) != 0) return std::nullopt;
  DiskFacts facts;
  facts.path = path;
  auto block = static_cast<std::int64_t>(s.f_frsize != 0 ? s.f_frsize : s.f_bsize);
  facts.total = Bytes{static_cast<std::int64_t>(s.f_blocks) * block};
  facts.available = Bytes{static_cast<std::int64_t>(s.f_bavail) * block};
  return facts;
}

}  // namespace stackfit
