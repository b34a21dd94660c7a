// One cgroup control file, opened once and re-read from offset 0 with pread
// into a caller's buffer: a reading costs one syscall and no allocation.
// Internal to the cgroup readers (cgroup_v1_reader.cpp, cgroup_v2_reader.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "stackfit/observe/cgroup_format.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

// Largest cgroup file read (bytes). memory.stat, the largest file read, is
// about 1.5 KiB on v1 and 2 KiB on v2 (6.x kernels).
inline constexpr std::size_t k_cgroup_read_buffer_bytes = 8192;

enum class FilePresence { required, optional };

class CgroupFile {
 public:
  CgroupFile() = default;
  ~CgroupFile();
  CgroupFile(CgroupFile&& other) noexcept;
  CgroupFile& operator=(CgroupFile&& other) noexcept;
  CgroupFile(const CgroupFile&) = delete;
  CgroupFile& operator=(const CgroupFile&) = delete;

  // Opens `cgroup_dir`/`name` (O_RDONLY | O_CLOEXEC). A missing optional file
  // gives a closed CgroupFile (is_open() false). Errors: a missing required
  // file is bad_input "<cgroup_dir>: not a <controller> cgroup (no <name>)",
  // <controller> being the name up to its first dot; any other failure is io
  // "<file>: open: <strerror>".
  [[nodiscard]] static Expected<CgroupFile> open(const std::string& cgroup_dir, std::string_view name,
                                                 FilePresence presence);

  [[nodiscard]] bool is_open() const { return m_fd >= 0; }
  [[nodiscard]] const std::string& path() const { return m_path; }

  // Reads the whole file into `buffer` and returns the text (a view into
  // `buffer`). Errors: unavailable "<cgroup_dir>: cgroup vanished" when the
  // kernel removed the cgroup (ENODEV/ENOENT); io "<file>: read: <strerror>";
  // bad_input "<file>: larger than <n> bytes" when the buffer is too small.
  [[nodiscard]] Expected<std::string_view> read(std::span<char> buffer) const;

  // read() then parse_cgroup_integer / parse_cgroup_limit / parse_flat_keyed.
  [[nodiscard]] Expected<std::int64_t> read_integer(std::span<char> buffer) const;
  [[nodiscard]] Expected<std::optional<std::int64_t>> read_limit(std::span<char> buffer) const;
  [[nodiscard]] Expected<void> read_keyed(std::span<char> buffer, std::span<KeyedField> fields) const;

  // True when the file was unlinked since open (its link count is 0). On a
  // cgroup file system the kernel reports a removed cgroup through ENODEV on
  // read instead, so this is false there without a syscall; elsewhere (trees
  // of regular files: fixtures) it costs one fstat.
  [[nodiscard]] bool unlinked() const;

  // The error a reader returns for a vanished cgroup.
  [[nodiscard]] Error vanished_error() const;

 private:
  CgroupFile(int fd, std::string path);
  [[nodiscard]] static bool on_cgroup_fs(int fd);
  void close_fd() noexcept;

  int m_fd = -1;
  bool m_on_cgroup_fs = false;  // cgroup or cgroup2 file system (kernfs)
  std::string m_path;  // <cgroup_dir>/<name>: the folder is its part before the last slash
};

// The folder of the cgroup `relative_path` (as in /proc/<pid>/cgroup:
// "/docker/<id>", "/" for the root; a missing leading '/' is added) under the
// controller mount `root`. Error bad_input "<relative_path>: not a cgroup path
// (\"..\" component)" so a path cannot leave the mount.
[[nodiscard]] Expected<std::string> cgroup_dir_path(const std::string& root, const std::string& relative_path);

// Error not_found "<dir>: no such cgroup" unless `dir` is a folder.
[[nodiscard]] Expected<void> require_cgroup_dir(const std::string& dir);

// A file a reader keeps open: where it goes, its name, whether it must exist.
struct WantedCgroupFile {
  CgroupFile* file;
  std::string_view name;
  FilePresence presence;
};

// require_cgroup_dir(dir), then CgroupFile::open of each wanted file into its
// place. Errors: the first of those.
[[nodiscard]] Expected<void> open_cgroup_files(const std::string& dir, std::span<const WantedCgroupFile> wanted);

// The OOM-kill counter (the "oom_kill" line of `oom_file`: memory.oom_control
// on v1, memory.events on v2; 0 when the line is absent) when `read_oom`, and
// the peak (`peak_file`, when open) when `read_peak` or the counter moved:
// a kill means usage reached the limit. Updates `oom_kills` and `peak` in
// place. Shared by the v1 and v2 readers.
[[nodiscard]] Expected<void> read_oom_and_peak(const CgroupFile& oom_file, const CgroupFile& peak_file, bool read_oom,
                                               bool read_peak, std::span<char> buffer, std::int64_t& oom_kills,
                                               std::optional<std::int64_t>& peak);

}  // namespace stackfit
