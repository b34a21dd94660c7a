#include "stackfit/util/file_io.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace stackfit {
namespace {

std::string errno_text(int err) { return std::strerror(err); }

Expected<std::string> read_fd(int fd, const std::string& name, std::size_t max_bytes) {
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(ErrorCode::io, name + ": read: " + errno_text(errno));
    }
    if (out.size() + static_cast<std::size_t>(n) > max_bytes) {
      return make_error(ErrorCode::bad_input,
                        name + ": input larger than " + std::to_string(max_bytes / (1024 * 1024)) +
                            " MiB, refused");
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace

Expected<RegularFile> open_regular_file(const std::string& path) {
  // O_NONBLOCK: opening a FIFO without a writer returns at once instead of
  // waiting; the fstat below then refuses it before any read.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    int err = errno;
    return make_error(err == ENOENT ? ErrorCode::not_found : ErrorCode::io, path + ": " + errno_text(err));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    const bool dir = S_ISDIR(st.st_mode);
    ::close(fd);
    return make_error(ErrorCode::io, path + (dir ? ": is a directory" : ": not a regular file"));
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return RegularFile{fd, static_cast<std::int64_t>(st.st_size)};
}

Expected<std::string> read_file(const std::string& path, std::size_t max_bytes) {
  auto file = open_regular_file(path);
  if (!file) return tl::unexpected(file.error());
  const int fd = file->fd;
  if (static_cast<std::size_t>(file->size_bytes) > max_bytes) {
    ::close(fd);
    return make_error(ErrorCode::bad_input,
                      path + ": file larger than " + std::to_string(max_bytes / (1024 * 1024)) + " MiB, refused");
  }
  auto result = read_fd(fd, path, max_bytes);
  ::close(fd);
  return result;
}

Expected<std::string> read_stdin(std::size_t max_bytes) { return read_fd(0, "<stdin>", max_bytes); }

Expected<void> read_chunks(const std::string& path, std::size_t chunk_bytes,
                           const std::function<Expected<void>(std::string_view)>& consume) {
  const bool stdin_input = path == "-";
  const std::string name = stdin_input ? "<stdin>" : path;
  int fd = 0;
  if (!stdin_input) {
    auto file = open_regular_file(path);
    if (!file) {
      // read_chunks' callers name a folder "not a regular file" too.
      if (file.error().message == path + ": is a directory") return make_error(ErrorCode::io, path + ": not a regular file");
      return tl::unexpected(file.error());
    }
    fd = file->fd;
  }
  std::string buf(chunk_bytes, '\0');
  Expected<void> result;
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      result = make_error(ErrorCode::io, name + ": read: " + errno_text(errno));
      break;
    }
    result = consume(std::string_view(buf.data(), static_cast<std::size_t>(n)));
    if (!result) break;
  }
  if (!stdin_input) ::close(fd);
  return result;
}

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {}, sb {};
  if (::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0) {
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  }
  std::error_code ec;
  auto ca = std::filesystem::weakly_canonical(a, ec);
  if (ec) return false;
  auto cb = std::filesystem::weakly_canonical(b, ec);
  return !ec && ca == cb;
}

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode);
}

static Expected<void> already_exists(const std::string& path) {
  return make_error(ErrorCode::usage, path + ": already exists; not overwritten (use --force to replace it)");
}

Expected<void> refuse_existing(const std::string& path, Overwrite overwrite) {
  struct stat st {};  // lstat, as write_file_atomic: a symlink counts as existing
  if (overwrite == Overwrite::no && ::lstat(path.c_str(), &st) == 0) return already_exists(path);
  return {};
}

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Expected<std::vector<std::string>> list_directory(const std::string& path, std::size_t max_entries) {
  DIR* handle = ::opendir(path.c_str());
  if (!handle) {
    int err = errno;
    if (err == ENOENT) return make_error(ErrorCode::not_found, path + ": no such folder");
    return make_error(ErrorCode::io, path + ": opendir: " + std::strerror(err));
  }
  std::vector<std::string> names;
  while (names.size() < max_entries) {
    const dirent* entry = ::readdir(handle);
    if (!entry) break;
    std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  ::closedir(handle);
  std::sort(names.begin(), names.end());
  return names;
}

namespace {

// Writes `content` into a new file `tmp` (O_EXCL: never an existing file, nor
// through a symlink planted at that name) and syncs it. Removes it on failure.
// `keep_mode`: the permission bits of the regular file being replaced (a
// 0600 file stays 0600), or -1 for a new file.
Expected<void> write_new_file(const std::string& tmp, const std::string& path, const std::string& content,
                              int keep_mode) {
  // 0644 before the umask: what a text editor would create.
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, keep_mode >= 0 ? 0600 : 0644);
  if (fd < 0) return make_error(ErrorCode::io, path + ": create: " + errno_text(errno));
  const char* p = content.data();
  std::size_t left = content.size();
  int err = 0;
  if (keep_mode >= 0 && ::fchmod(fd, static_cast<mode_t>(keep_mode)) != 0) err = errno;
  while (left > 0 && err == 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno != EINTR) err = errno;
      continue;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0) return {};
  ::unlink(tmp.c_str());
  return make_error(ErrorCode::io, path + ": write: " + errno_text(err));
}


// Moves `tmp` to `path`. Without overwrite the kernel refuses an existing
// `path` in the same step (renameat2 RENAME_NOREPLACE; link(2) where the file
// system lacks it), so a file created meanwhile is never replaced either.
Expected<void> move_into_place(const std::string& tmp, const std::string& path, Overwrite overwrite) {
  int rc = 0;
  if (overwrite == Overwrite::yes) {
    rc = ::rename(tmp.c_str(), path.c_str());
  } else {
    rc = ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE);
    if (rc != 0 && errno == EINVAL) {
      rc = ::link(tmp.c_str(), path.c_str());
      if (rc == 0) ::unlink(tmp.c_str());
    }
  }
  if (rc == 0) return {};
  int err = errno;
  ::unlink(tmp.c_str());
  if (err == EEXIST) return already_exists(path);
  return make_error(ErrorCode::io, path + ": rename: " + errno_text(err));
}

}  // namespace

Expected<void> write_file_atomic(const std::string& path, const std::string& content,
                                 Overwrite overwrite) {
  struct stat st {};
  const bool exists = ::lstat(path.c_str(), &st) == 0;
  if (overwrite == Overwrite::no && exists) return already_exists(path);
  const int keep_mode = exists && S_ISREG(st.st_mode) ? static_cast<int>(st.st_mode & 07777) : -1;
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  if (auto written = write_new_file(tmp, path, content, keep_mode); !written) return written;
  return move_into_place(tmp, path, overwrite);
}

}  // namespace stackfit
