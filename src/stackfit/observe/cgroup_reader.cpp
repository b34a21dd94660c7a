// Layout detection, /proc/<pid>/cgroup parsing, child listing and the
// dispatch to the v1 or v2 reader.
#include "stackfit/observe/cgroup_reader.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <span>

#include "stackfit/observe/cgroup_file.hpp"
#include "stackfit/observe/cgroup_format.hpp"
#include "stackfit/observe/cgroup_v1_reader.hpp"
#include "stackfit/observe/cgroup_v2_reader.hpp"
#include "stackfit/util/file_io.hpp"

namespace stackfit {
namespace {

// cgroup.controllers is one line of names; no host lists more than a few dozen.
constexpr std::size_t k_controllers_file_max_bytes = 4096;

bool has_word(std::string_view list, std::string_view word, char separator) {
  while (!list.empty()) {
    std::size_t end = list.find(separator);
    if (list.substr(0, end) == word) return true;
    list.remove_prefix(end == std::string_view::npos ? list.size() : end + 1);
  }
  return false;
}

// The first of `root`/<candidate> that holds `probe_file`, else "".
std::string first_mount_with(const std::string& root, std::span<const char* const> candidates, const char* probe_file) {
  for (const char* candidate : candidates) {
    std::string dir = root + "/" + candidate;
    if (file_exists(dir + "/" + probe_file)) return dir;
  }
  return {};
}

Expected<CgroupMounts> detect_unified(const std::string& root) {
  auto controllers = read_file(root + "/cgroup.controllers", k_controllers_file_max_bytes);
  TRY(controllers);
  std::string_view text = *controllers;
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  if (!has_word(text, "memory", ' ')) {
    return make_error(ErrorCode::unavailable, root + ": cgroup v2 without the memory controller");
  }
  return CgroupMounts{CgroupVersion::v2, root, "", ""};
}

// Splits "<id>:<controllers>:<path>"; the path may itself hold colons.
struct ProcCgroupLine {
  std::string_view id;
  std::string_view controllers;
  std::string_view path;
};

std::optional<ProcCgroupLine> split_proc_cgroup_line(std::string_view line) {
  std::size_t first = line.find(':');
  if (first == std::string_view::npos) return std::nullopt;
  std::size_t second = line.find(':', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  return ProcCgroupLine{line.substr(0, first), line.substr(first + 1, second - first - 1), line.substr(second + 1)};
}

bool is_wanted_line(const ProcCgroupLine& line, CgroupVersion version) {
  if (version == CgroupVersion::v2) return line.id == "0" && line.controllers.empty();
  return has_word(line.controllers, "memory", ',');
}

bool is_directory_entry(const std::string& dir, const dirent& entry) {
  if (entry.d_type == DT_DIR) return true;
  if (entry.d_type != DT_UNKNOWN) return false;
  struct stat st {};
  return ::stat((dir + "/" + entry.d_name).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

Expected<CgroupMounts> detect_cgroup_mounts(const std::string& sys_fs_cgroup) {
  std::string root = sys_fs_cgroup;
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  if (file_exists(root + "/cgroup.controllers")) return detect_unified(root);
  if (!file_exists(root + "/memory/memory.usage_in_bytes")) {
    // Hybrid hosts mount cgroup2 at <root>/unified; rarely with memory on it.
    if (auto unified = detect_unified(root + "/unified"); unified) return unified;
    return make_error(ErrorCode::unavailable, root +
                                                  ": no cgroup memory controller (neither cgroup.controllers "
                                                  "nor memory/memory.usage_in_bytes)");
  }
  // Hosts mount cpuacct alone, or together with cpu as "cpu,cpuacct" (often
  // with "cpu" and "cpuacct" symlinks to it).
  constexpr std::array<const char*, 3> k_cpuacct_dirs{"cpuacct", "cpu,cpuacct", "cpuacct,cpu"};
  constexpr std::array<const char*, 3> k_cpu_dirs{"cpu", "cpu,cpuacct", "cpuacct,cpu"};
  return CgroupMounts{CgroupVersion::v1, root + "/memory", first_mount_with(root, k_cpuacct_dirs, "cpuacct.usage"),
                      first_mount_with(root, k_cpu_dirs, "cpu.stat")};
}

Expected<std::unique_ptr<CgroupReader>> open_cgroup(const CgroupMounts& mounts, const std::string& relative_path) {
  if (mounts.version == CgroupVersion::v2) return CgroupV2Reader::open(mounts, relative_path);
  return CgroupV1Reader::open(mounts, relative_path);
}

Expected<std::string> parse_proc_cgroup(const std::string& proc_cgroup_text, CgroupVersion version) {
  std::string_view text = proc_cgroup_text;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    std::string_view line = take_line(text);
    auto fields = split_proc_cgroup_line(line);
    if (!fields) {
      return make_error(ErrorCode::bad_input, "line " + std::to_string(line_number) +
                                                  ": expected \"<id>:<controllers>:<path>\", got \"" +
                                                  std::string(line.substr(0, 80)) + "\"");
    }
    if (is_wanted_line(*fields, version)) return std::string(fields->path);
  }
  return make_error(ErrorCode::not_found, version == CgroupVersion::v2 ? "no \"0::\" line (cgroup v2)"
                                                                       : "no \"memory\" controller line (cgroup v1)");
}

Expected<std::vector<std::string>> list_child_cgroups(const CgroupMounts& mounts, const std::string& relative_path) {
  auto dir = cgroup_dir_path(mounts.memory_root, relative_path);
  TRY(dir);
  DIR* handle = ::opendir(dir->c_str());
  if (!handle) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR) return make_error(ErrorCode::not_found, *dir + ": no such cgroup");
    return make_error(ErrorCode::io, *dir + ": opendir: " + std::strerror(err));
  }
  std::string prefix = relative_path;
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  if (!prefix.empty() && prefix.front() != '/') prefix.insert(prefix.begin(), '/');
  std::vector<std::string> children;
  while (const dirent* entry = ::readdir(handle)) {
    std::string_view name = entry->d_name;
    if (name == "." || name == ".." || !is_directory_entry(*dir, *entry)) continue;
    children.push_back(prefix + "/" + std::string(name));
  }
  ::closedir(handle);
  std::sort(children.begin(), children.end());
  return children;
}

}  // namespace stackfit
