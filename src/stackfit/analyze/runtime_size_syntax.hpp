// The size syntaxes of the runtimes whose memory knobs stackfit reads. Each
// parser follows its runtime's own rules exactly; a text the runtime would
// refuse is refused here (nullopt), never guessed. Results are in bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stackfit/model/quantity.hpp"

namespace stackfit {

// HotSpot -Xmx/-Xms/-XX:MaxHeapSize: decimal digits, then optionally one of
// k K m M g G t T (base 1024); a bare number is bytes. "512m", "2G", "1048576".
[[nodiscard]] std::optional<Bytes> parse_jvm_size(std::string_view text);

// redis.conf memory units (memtoull): digits, then optionally b, k, kb, m, mb,
// g, gb, case-insensitive. k/m/g are powers of 1000; kb/mb/gb powers of 1024.
[[nodiscard]] std::optional<Bytes> parse_redis_size(std::string_view text);

// PostgreSQL memory GUC: a decimal number (fraction allowed), optional
// whitespace, then a case-sensitive unit B, kB, MB, GB or TB (base 1024). A bare
// number counts in `base_unit_bytes` (8 kB pages for shared_buffers and
// effective_cache_size). The value is rounded to the nearest whole base unit,
// as PostgreSQL does.
inline constexpr std::int64_t k_postgres_page_bytes = 8 * 1024;
[[nodiscard]] std::optional<Bytes> parse_postgres_memory(std::string_view text,
                                                         std::int64_t base_unit_bytes);

// Neo4j BYTES setting: digits, optional whitespace, optional unit k, m, g, t
// alone or followed by "b" or "ib", or "b"; case-insensitive, all base 1024.
// "512m", "1G", "2GiB".
[[nodiscard]] std::optional<Bytes> parse_neo4j_size(std::string_view text);

// Splits command words the way a shell would split a simple command line:
// whitespace separates words, single and double quotes group and are removed,
// a backslash escapes the next character. Applied to every element of a
// command so that ["sh", "-c", "redis-server --maxmemory 1gb"] and
// ["redis-server", "--maxmemory", "1gb"] read alike. Never fails: an
// unterminated quote runs to the end.
[[nodiscard]] std::vector<std::string> split_words(std::string_view text);

}  // namespace stackfit
