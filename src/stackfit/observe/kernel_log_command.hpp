// The only place stackfit runs other programs: `journalctl -k` and `dmesg`,
// when /dev/kmsg cannot be read (docs/doctor.md). Fixed absolute paths (no
// PATH search), no shell, standard input closed, bounded in time and output.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stackfit/util/error.hpp"

namespace stackfit {

inline constexpr std::int64_t k_kernel_log_command_timeout_ms = 10000;
inline constexpr std::size_t k_kernel_log_command_max_bytes = 64u * 1024u * 1024u;

// Runs `argv` (argv[0] an absolute path) and returns its standard output when
// it exits 0. Errors (unavailable): "<program>: not found", "<program>: exit N:
// <first stderr line>", "<program>: no answer within 10000 ms" (it is then
// killed by its pid), "<program>: more than 67108864 bytes of output".
[[nodiscard]] Expected<std::string> run_kernel_log_command(const std::vector<std::string>& argv);

}  // namespace stackfit
