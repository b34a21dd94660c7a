#include "stackfit/observe/cgroup_file.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

namespace stackfit {

CgroupFile::CgroupFile(int fd, std::string path)
    : m_fd(fd), m_on_cgroup_fs(fd >= 0 && on_cgroup_fs(fd)), m_path(std::move(path)) {}

bool CgroupFile::on_cgroup_fs(int fd) {
  struct statfs fs {};
  if (::fstatfs(fd, &fs) != 0) return false;
  return fs.f_type == CGROUP_SUPER_MAGIC || fs.f_type == CGROUP2_SUPER_MAGIC;
}

CgroupFile::~CgroupFile() { close_fd(); }

CgroupFile::CgroupFile(CgroupFile&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)),
      m_on_cgroup_fs(other.m_on_cgroup_fs),
      m_path(std::move(other.m_path)) {}

CgroupFile& CgroupFile::operator=(CgroupFile&& other) noexcept {
  if (this != &other) {
    close_fd();
    m_fd = std::exchange(other.m_fd, -1);
    m_on_cgroup_fs = other.m_on_cgroup_fs;
    m_path = std::move(other.m_path);
  }
  return *this;
}

void CgroupFile::close_fd() noexcept {
  if (m_fd >= 0) ::close(m_fd);
  m_fd = -1;
}

Expected<CgroupFile> CgroupFile::open(const std::string& cgroup_dir, std::string_view name, FilePresence presence) {
  std::string path = cgroup_dir;
  path += '/';
  path += name;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) return CgroupFile(fd, std::move(path));
  int err = errno;
  if (err == ENOENT && presence == FilePresence::optional) return CgroupFile(-1, std::move(path));
  if (err == ENOENT) {
    // The cgroup may have been removed since the caller checked its folder.
    TRY(require_cgroup_dir(cgroup_dir));
    std::string_view controller = name.substr(0, name.find('.'));
    return make_error(ErrorCode::bad_input,
                      cgroup_dir + ": not a " + std::string(controller) + " cgroup (no " + std::string(name) + ")");
  }
  return make_error(ErrorCode::io, path + ": open: " + std::strerror(err));
}

Expected<std::string_view> CgroupFile::read(std::span<char> buffer) const {
  for (;;) {
    ssize_t n = ::pread(m_fd, buffer.data(), buffer.size(), 0);
    if (n >= 0) {
      if (static_cast<std::size_t>(n) == buffer.size()) {
        return make_error(ErrorCode::bad_input, m_path + ": larger than " + std::to_string(buffer.size()) + " bytes");
      }
      return std::string_view(buffer.data(), static_cast<std::size_t>(n));
    }
    int err = errno;
    if (err == EINTR) continue;
    // Reading a file of a removed cgroup fails with ENODEV (kernfs).
    if (err == ENODEV || err == ENOENT) return tl::unexpected<Error>(vanished_error());
    return make_error(ErrorCode::io, m_path + ": read: " + std::strerror(err));
  }
}

Expected<std::int64_t> CgroupFile::read_integer(std::span<char> buffer) const {
  auto text = read(buffer);
  TRY(text);
  return parse_cgroup_integer(*text, m_path);
}

Expected<std::optional<std::int64_t>> CgroupFile::read_limit(std::span<char> buffer) const {
  auto text = read(buffer);
  TRY(text);
  return parse_cgroup_limit(*text, m_path);
}

Expected<void> CgroupFile::read_keyed(std::span<char> buffer, std::span<KeyedField> fields) const {
  auto text = read(buffer);
  TRY(text);
  return parse_flat_keyed(*text, fields, m_path);
}

bool CgroupFile::unlinked() const {
  if (m_on_cgroup_fs) return false;
  struct stat st {};
  return ::fstat(m_fd, &st) == 0 && st.st_nlink == 0;
}

Error CgroupFile::vanished_error() const {
  return Error{ErrorCode::unavailable, m_path.substr(0, m_path.find_last_of('/')) + ": cgroup vanished"};
}

Expected<std::string> cgroup_dir_path(const std::string& root, const std::string& relative_path) {
  std::string_view rest = relative_path;
  while (!rest.empty()) {
    std::size_t slash = rest.find('/');
    if (rest.substr(0, slash) == "..") {
      return make_error(ErrorCode::bad_input, relative_path + ": not a cgroup path (\"..\" component)");
    }
    rest.remove_prefix(slash == std::string_view::npos ? rest.size() : slash + 1);
  }
  std::string dir = root;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (!relative_path.empty() && relative_path.front() != '/') dir += '/';
  dir += relative_path;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

Expected<void> require_cgroup_dir(const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return {};
  return make_error(ErrorCode::not_found, dir + ": no such cgroup");
}

Expected<void> read_oom_and_peak(const CgroupFile& oom_file, const CgroupFile& peak_file, bool read_oom,
                                 bool read_peak, std::span<char> buffer, std::int64_t& oom_kills,
                                 std::optional<std::int64_t>& peak) {
  bool oom_moved = false;
  if (read_oom) {
    std::array<KeyedField, 1> oom{{{"oom_kill", {}}}};
    if (auto ok = oom_file.read_keyed(buffer, oom); !ok) return ok;
    std::int64_t kills = oom[0].value.value_or(0);
    oom_moved = kills != oom_kills;
    oom_kills = kills;
  }
  if ((read_peak || oom_moved) && peak_file.is_open()) {
    auto value = peak_file.read_integer(buffer);
    TRY(value);
    peak = *value;
  }
  return {};
}

Expected<void> open_cgroup_files(const std::string& dir, std::span<const WantedCgroupFile> wanted) {
  TRY(require_cgroup_dir(dir));
  for (const WantedCgroupFile& w : wanted) {
    auto file = CgroupFile::open(dir, w.name, w.presence);
    TRY(file);
    *w.file = std::move(*file);
  }
  return {};
}

}  // namespace stackfit
