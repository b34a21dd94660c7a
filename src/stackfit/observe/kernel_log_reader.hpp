// Reads the kernel log for OOM kills (observe/kernel_oom_parser), from the
// first source that can be read: /dev/kmsg (read non-blocking: the records
// the ring buffer still holds, then stop), else `journalctl -k`, else `dmesg`
// (the only programs stackfit runs, in observe/kernel_log_command; docs/doctor.md).
// An unreadable log is not an error: the scan says why, and doctor warns.
// So is a saved log without a single kernel record (binary garbage, the
// wrong file): "FILE: no kernel log records".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stackfit/model/host_facts.hpp"

namespace stackfit {

// Which live source to read: the first readable (`any`), or just one
// (doctor --kernel-log kmsg|journal|dmesg), with no fallback.
enum class KernelLogSource { any, kmsg, journal, dmesg };

struct KernelLogOptions {
  std::string kmsg_path = "/dev/kmsg";
  // A saved log instead of the live sources (no fallback): lines in any of
  // the three formats below. "" = the live sources.
  std::string file;
  KernelLogSource source = KernelLogSource::any;
  std::int64_t since_unix_ms = 0;  // kills before this are left out
};

// doctor's --kernel-log value: "kmsg", "journal" and "dmesg" choose that live
// source; anything else is a saved log FILE (./dmesg for a file of that name).
[[nodiscard]] KernelLogOptions kernel_log_choice(const std::string& value);

struct KernelLogScan {
  bool readable = false;
  std::string source;   // "/dev/kmsg", "journalctl -k", "dmesg", or the file
  std::string problem;  // when !readable: each source tried and why it failed, "; "-joined
  std::vector<OomKill> kills;  // oldest first, since_unix_ms on
  std::int64_t records = 0;    // log records read
};

[[nodiscard]] KernelLogScan scan_kernel_log(const KernelLogOptions& options);

// Boot time as wall-clock ms (now - CLOCK_MONOTONIC): what kernel timestamps
// (seconds since boot, suspend excluded) are added to.
[[nodiscard]] std::int64_t boot_time_unix_ms();

// One line of a kernel log in any of the formats the sources give, fed to
// `parser`; false when the line is none of them:
//   /dev/kmsg   "PRIO,SEQ,USEC,FLAGS[,..];MESSAGE" (continuation lines " KEY=VALUE" are skipped as true)
//   dmesg       "[ SECONDS.USEC] MESSAGE"
//   journalctl  "UNIXSECONDS.USEC HOST kernel: MESSAGE" (-o short-unix)
class KernelOomParser;
bool feed_kernel_log_line(std::string_view line, std::int64_t boot_unix_ms, KernelOomParser& parser);

}  // namespace stackfit
