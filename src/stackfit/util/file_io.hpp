// Whole-file reads and atomic writes; the only place that touches std::fstream
// or POSIX file calls for user files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "stackfit/util/error.hpp"

namespace stackfit {

// Largest input file stackfit reads (bytes). Larger files are refused before
// they are read, so hostile input cannot exhaust memory.
inline constexpr std::size_t k_max_input_file_bytes = std::size_t{64} * 1024 * 1024;

// An open descriptor of a regular file (the caller closes it) and its size.
struct RegularFile {
  int fd = -1;
  std::int64_t size_bytes = 0;
};

// Opens `path` for reading only if it is a regular file: a FIFO, socket or
// device is refused without blocking (the open is non-blocking, the type is
// checked on the descriptor, so no race). Every user-named input goes through
// here. Errors: not_found (missing), io "<path>: is a directory",
// "<path>: not a regular file", or the OS's reason.
[[nodiscard]] Expected<RegularFile> open_regular_file(const std::string& path);

// Reads a whole regular file (open_regular_file). Errors: those of
// open_regular_file, bad_input (larger than max_bytes). Messages start with the path.
[[nodiscard]] Expected<std::string> read_file(const std::string& path,
                                              std::size_t max_bytes = k_max_input_file_bytes);

// Reads standard input to the end, refusing more than max_bytes.
[[nodiscard]] Expected<std::string> read_stdin(std::size_t max_bytes = k_max_input_file_bytes);

// Streams `path` ("-": standard input) through `consume` in chunks of at most
// `chunk_bytes`, for inputs too large to hold whole (no size cap: the caller
// bounds what it keeps). Only a regular file or stdin is read, so a FIFO named
// by mistake cannot hang the reader in open(2). Stops at the first error
// `consume` returns. Errors: not_found, io (unreadable, not a regular file).
[[nodiscard]] Expected<void> read_chunks(const std::string& path, std::size_t chunk_bytes,
                                         const std::function<Expected<void>(std::string_view)>& consume);

// Writes `content` to `path` through a temporary file in the same folder and a
// rename, so readers never see a half-written file and a failed write (disk
// full) leaves `path` as it was and no temporary behind. Refuses to replace an
// existing file (or symlink, even a dangling one) unless `overwrite` is
// Overwrite::yes, atomically: a file created between the check and the rename
// is not replaced either. Never writes through a symlink: the temporary is
// created with O_EXCL|O_NOFOLLOW, and with Overwrite::yes a symlink at `path`
// is itself replaced, its target left untouched. A new file gets mode 0644
// less the umask (docs/promises.md); a replaced regular file keeps its
// permission bits (a 0600 file stays 0600).
enum class Overwrite { no, yes };
[[nodiscard]] Expected<void> write_file_atomic(const std::string& path, const std::string& content,
                                               Overwrite overwrite);

// Whether two paths name the same file: same device and inode when both
// exist, else the same weakly canonical path (the second may not exist yet).
[[nodiscard]] bool same_file(const std::string& a, const std::string& b);

[[nodiscard]] bool file_exists(const std::string& path);
// write_file_atomic's refusal, checked early (before a long computation): the
// usage error "PATH: already exists; not overwritten (use --force to replace
// it)" when `path` exists and `overwrite` is no. write_file_atomic still checks.
[[nodiscard]] Expected<void> refuse_existing(const std::string& path, Overwrite overwrite);
[[nodiscard]] bool is_directory(const std::string& path);

// The names of the entries of folder `path` ("." and ".." left out), sorted,
// at most `max_entries` of them (the rest are not read). Errors: not_found
// "<path>: no such folder", io "<path>: opendir: <reason>".
[[nodiscard]] Expected<std::vector<std::string>> list_directory(const std::string& path, std::size_t max_entries);

}  // namespace stackfit
