#include "stackfit/observe/kernel_log_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>

#include "stackfit/observe/kernel_log_command.hpp"
#include "stackfit/observe/kernel_oom_parser.hpp"
#include "stackfit/util/file_io.hpp"

namespace stackfit {
namespace {

constexpr std::int64_t k_max_kmsg_records = 4'000'000;  // far above any ring buffer
constexpr std::size_t k_kmsg_record_bytes = 16384;      // above the kernel's record size (1024 + dict)
constexpr const char* k_journalctl = "/usr/bin/journalctl";
constexpr const char* k_dmesg = "/usr/bin/dmesg";

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

// "SECONDS.FRACTION" -> milliseconds; nullopt when not that shape or absurd.
std::optional<std::int64_t> seconds_to_ms(std::string_view text) {
  auto dot = text.find('.');
  auto whole = parse_int(text.substr(0, dot));
  if (!whole || *whole > 100'000'000'000LL) return std::nullopt;
  std::int64_t ms = *whole * 1000;
  if (dot != std::string_view::npos) {
    std::string_view fraction = text.substr(dot + 1);
    if (fraction.empty() || !parse_int(fraction)) return std::nullopt;
    std::string three(fraction.substr(0, 3));
    three.resize(3, '0');
    ms += *parse_int(three);
  }
  return ms;
}

// "PRIO,SEQ,USEC,FLAGS;MESSAGE": true when the line had this shape.
bool feed_kmsg(std::string_view line, std::int64_t boot_unix_ms, KernelOomParser& parser) {
  auto semicolon = line.find(';');
  if (semicolon == std::string_view::npos || semicolon > 128) return false;
  std::string_view head = line.substr(0, semicolon);
  auto c1 = head.find(',');
  auto c2 = head.find(',', c1 == std::string_view::npos ? c1 : c1 + 1);
  if (c1 == std::string_view::npos || c2 == std::string_view::npos || !parse_int(head.substr(0, c1))) return false;
  auto c3 = head.find(',', c2 + 1);
  auto usec = parse_int(head.substr(c2 + 1, c3 == std::string_view::npos ? c3 : c3 - c2 - 1));
  if (!usec) return false;
  parser.feed(boot_unix_ms + *usec / 1000, line.substr(semicolon + 1));
  return true;
}

// "[ SECONDS.USEC] MESSAGE"
bool feed_dmesg(std::string_view line, std::int64_t boot_unix_ms, KernelOomParser& parser) {
  if (!line.starts_with('[')) return false;
  auto close = line.find(']');
  if (close == std::string_view::npos) return false;
  std::string_view stamp = line.substr(1, close - 1);
  while (!stamp.empty() && stamp.front() == ' ') stamp.remove_prefix(1);
  auto ms = seconds_to_ms(stamp);
  if (!ms) return false;
  parser.feed(boot_unix_ms + *ms, line.substr(close + 1));
  return true;
}

// "UNIXSECONDS.USEC HOST kernel: MESSAGE"
bool feed_journal(std::string_view line, KernelOomParser& parser) {
  auto space = line.find(' ');
  if (space == std::string_view::npos) return false;
  auto ms = seconds_to_ms(line.substr(0, space));
  auto kernel = line.find(" kernel: ", space);
  if (!ms || kernel == std::string_view::npos) return false;
  parser.feed(*ms, line.substr(kernel + 9));
  return true;
}

// Every line of `text`, fed; the count of lines that were log records.
std::int64_t feed_text(std::string_view text, std::int64_t boot_unix_ms, KernelOomParser& parser) {
  std::int64_t records = 0;
  while (!text.empty()) {
    auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (feed_kernel_log_line(line, boot_unix_ms, parser)) ++records;
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  return records;
}

// /dev/kmsg, non-blocking: each read() returns one record; EAGAIN = the end
// of what the ring buffer holds; EPIPE = records overwritten meanwhile (go on).
Expected<std::int64_t> read_kmsg(const std::string& path, std::int64_t boot_unix_ms, KernelOomParser& parser) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return make_error(ErrorCode::io, path + ": " + std::strerror(errno));
  std::string buffer(k_kmsg_record_bytes, '\0');
  std::int64_t records = 0;
  while (records < k_max_kmsg_records) {
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR || errno == EPIPE) continue;
      if (errno == EAGAIN) break;
      int error = errno;
      ::close(fd);
      return make_error(ErrorCode::io, path + ": read: " + std::strerror(error));
    }
    if (n == 0) break;
    std::string_view record(buffer.data(), static_cast<std::size_t>(n));
    if (feed_kmsg(record.substr(0, record.find('\n')), boot_unix_ms, parser)) ++records;
  }
  ::close(fd);
  return records;
}

void keep_since(KernelLogScan& scan, std::vector<OomKill> kills, std::int64_t since_unix_ms) {
  for (OomKill& kill : kills) {
    if (kill.time_unix_ms >= since_unix_ms) scan.kills.push_back(std::move(kill));
  }
}

}  // namespace

std::int64_t boot_time_unix_ms() {
  timespec real{};
  timespec mono{};
  ::clock_gettime(CLOCK_REALTIME, &real);
  ::clock_gettime(CLOCK_MONOTONIC, &mono);
  return (real.tv_sec - mono.tv_sec) * 1000 + (real.tv_nsec - mono.tv_nsec) / 1000000;
}

bool feed_kernel_log_line(std::string_view line, std::int64_t boot_unix_ms, KernelOomParser& parser) {
  if (line.starts_with(' ')) return false;  // a kmsg continuation (" SUBSYSTEM=...")
  return feed_kmsg(line, boot_unix_ms, parser) || feed_dmesg(line, boot_unix_ms, parser) ||
         feed_journal(line, parser);
}

KernelLogOptions kernel_log_choice(const std::string& value) {
  KernelLogOptions options;
  if (value == "kmsg") {
    options.source = KernelLogSource::kmsg;
  } else if (value == "journal") {
    options.source = KernelLogSource::journal;
  } else if (value == "dmesg") {
    options.source = KernelLogSource::dmesg;
  } else {
    options.file = value;
  }
  return options;
}

KernelLogScan scan_kernel_log(const KernelLogOptions& options) {
  KernelLogScan scan;
  const std::int64_t boot_ms = boot_time_unix_ms();
  KernelOomParser parser;
  // A source that answers without one kernel record (journalctl on a host
  // without a journal, a file of something else) counts as unreadable, so
  // the next source is tried.
  auto from_text = [&](const std::string& source, Expected<std::string> text) {
    if (text) {
      std::int64_t records = feed_text(*text, boot_ms, parser);
      if (records > 0) {
        scan.readable = true;
        scan.source = source;
        scan.records = records;
        return true;
      }
      text = make_error(ErrorCode::unavailable, source + ": no kernel log records");
    }
    scan.problem += (scan.problem.empty() ? "" : "; ") + text.error().message;
    return false;
  };
  const bool any = options.source == KernelLogSource::any;
  if (!options.file.empty()) {
    from_text(options.file, read_file(options.file));
  } else if (any || options.source == KernelLogSource::kmsg) {
    if (auto records = read_kmsg(options.kmsg_path, boot_ms, parser)) {
      scan.readable = true;
      scan.source = options.kmsg_path;
      scan.records = *records;
    } else {
      scan.problem = records.error().message;
    }
  }
  if (options.file.empty() && !scan.readable && (any || options.source == KernelLogSource::journal)) {
    from_text("journalctl -k", run_kernel_log_command({k_journalctl, "-k", "-q", "--no-pager", "-o", "short-unix"}));
  }
  if (options.file.empty() && !scan.readable && (any || options.source == KernelLogSource::dmesg)) {
    from_text("dmesg", run_kernel_log_command({k_dmesg}));
  }
  if (scan.readable) {
    scan.problem.clear();
    keep_since(scan, parser.finish(), options.since_unix_ms);
  }
  return scan;
}

}  // namespace stackfit
