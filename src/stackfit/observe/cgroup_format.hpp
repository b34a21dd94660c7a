// The text formats of cgroup control files (v1 and v2) and their parsers.
// Parsers take the file's text and its path (for the error message only) and
// never allocate on success. Formats: Documentation/admin-guide/cgroup-v2.rst
// ("Interface Files": single value, flat keyed, nested keyed) and
// Documentation/admin-guide/cgroup-v1/memory.rst.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "stackfit/util/error.hpp"

namespace stackfit {

// Removes the first line of `text` (up to and without its '\n') and returns it.
// Allocation-free; `text` becomes empty after the last line.
[[nodiscard]] inline std::string_view take_line(std::string_view& text) {
  std::size_t eol = text.find('\n');
  std::string_view line = text.substr(0, eol);
  text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
  return line;
}


// v1 writes "no limit" as PAGE_COUNTER_MAX pages in bytes: 9223372036854771712
// (2^63 - 4096) on 4 KiB pages, other values on other page sizes. Any limit at
// or above 2^62 bytes (4 EiB, more than any machine has) is "unlimited".
inline constexpr std::int64_t k_v1_unlimited_limit_bytes = std::int64_t{1} << 62;
// v2 writes "no limit" as the word "max" (memory.max, memory.high).
inline constexpr std::string_view k_v2_unlimited_word = "max";

// A single unsigned decimal, optionally followed by one newline
// (memory.usage_in_bytes, cpuacct.usage, memory.current). Values past int64
// saturate. Error bad_input "<path>: expected a number, got \"<text>\"".
[[nodiscard]] Expected<std::int64_t> parse_cgroup_integer(std::string_view text, const std::string& path);

// A limit file: v1 memory.limit_in_bytes (unlimited at or above
// k_v1_unlimited_limit_bytes) or v2 memory.max ("max"). nullopt = unlimited.
[[nodiscard]] Expected<std::optional<std::int64_t>> parse_cgroup_limit(std::string_view text, const std::string& path);

// One wanted key of a flat keyed file and, after parsing, its value
// (nullopt when the file has no such key).
struct KeyedField {
  std::string_view key;
  std::optional<std::int64_t> value;
};

// A flat keyed file: lines "<key> <unsigned decimal>", key of [a-z0-9_.]
// (memory.stat, cpu.stat, memory.events, memory.oom_control). Every line must have that shape, so a
// garbled file is refused rather than half-read: bad_input
// "<path>: line <n>: expected \"<key> <number>\", got \"<line>\"".
// Fills the value of each field whose key appears.
[[nodiscard]] Expected<void> parse_flat_keyed(std::string_view text, std::span<KeyedField> fields,
                                              const std::string& path);

// The "some avg10=" figure (percent of wall time, 0..100) of a PSI file
// (memory.pressure: "some avg10=0.12 avg60=... total=N\nfull ..."). Error
// bad_input "<path>: no \"some avg10=\" figure" when absent or malformed.
[[nodiscard]] Expected<double> parse_pressure_some_avg10(std::string_view text, const std::string& path);

}  // namespace stackfit
