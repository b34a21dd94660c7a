#include "stackfit/util/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Expected<void> write_file_atomic(const std::string& path, const std::string& content,
                                 Overwrite overwrite) {
  struct stat st {};
  if (overwrite == Overwrite::no && ::lstat(path.c_str(), &st) == 0) {
    return make_error(ErrorCode::usage, path + ": already exists; not overwritten (use --force to replace it)");
  }
  // A replaced file keeps its permission bits (a 0600 file stays 0600).
  const mode_t mode = ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) ? (st.st_mode & 07777) : 0644;
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return make_error(ErrorCode::io, path + ": create: " + errno_text(errno));
  if (::fchmod(fd, mode) != 0) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return make_error(ErrorCode::io, path + ": create: " + errno_text(err));
  }
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return make_error(ErrorCode::io, path + ": write: " + errno_text(err));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  int sync_rc = ::fsync(fd);
  int sync_err = errno;
  int close_rc = ::close(fd);
  if (sync_rc != 0 || close_rc != 0) {
    int err = sync_rc != 0 ? sync_err : errno;
    ::unlink(tmp.c_str());
    return make_error(ErrorCode::io, path + ": write: " + errno_text(err));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return make_error(ErrorCode::io, path + ": rename: " + errno_text(err));
  }
  return {};
}

}  // namespace stackfit
