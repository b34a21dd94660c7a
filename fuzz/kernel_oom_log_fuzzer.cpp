// `doctor`'s kernel log reading: each line of the input through
// feed_kernel_log_line (the /dev/kmsg, dmesg and journalctl formats) into one
// KernelOomParser, then the same lines as bare messages into a second one.
// Property: what the parsers keep stays within kernel_oom_parser.hpp's bounds
// (process and cgroup names cut, no control character, at most
// k_max_oom_kills kills, a non-negative anon-rss).
#include <cstdio>

#include "fuzz_support.hpp"
#include "stackfit/observe/kernel_log_reader.hpp"
#include "stackfit/observe/kernel_oom_parser.hpp"

using namespace stackfit;

namespace {

constexpr std::int64_t k_boot_unix_ms = 1'700'000'000'000;

bool has_control(const std::string& text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

void check(const std::vector<OomKill>& kills, const char* how) {
  bool bad = kills.size() > k_max_oom_kills;
  for (const OomKill& kill : kills) {
    bad = bad || kill.process.size() > k_max_oom_process_bytes || kill.cgroup.size() > k_max_oom_cgroup_bytes ||
          has_control(kill.process) || has_control(kill.cgroup) || (kill.anon_rss && kill.anon_rss->count < 0);
  }
  if (!bad) return;
  std::fprintf(stderr, "%s: a kill beyond kernel_oom_parser.hpp's bounds (%zu kills)\n", how, kills.size());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  KernelOomParser from_lines;
  KernelOomParser from_messages;
  std::int64_t record = 0;
  while (!text.empty()) {
    auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    (void)feed_kernel_log_line(line, k_boot_unix_ms, from_lines);
    from_messages.feed(++record, line);
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  check(from_lines.finish(), "log lines");
  check(from_messages.finish(), "messages");
  return 0;
}
