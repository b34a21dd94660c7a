// Memory and CPU amounts, and the parsers and printers for the ways each
// ecosystem writes them. Parsers return a reason without a location; the
// loader that knows the file:line:col prefixes it.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "stackfit/util/error.hpp"

namespace stackfit {

// An amount of memory in bytes. Never negative.
struct Bytes {
  std::int64_t count = 0;
  friend constexpr auto operator<=>(Bytes, Bytes) = default;
  friend constexpr Bytes operator+(Bytes a, Bytes b) { return Bytes{a.count + b.count}; }
  friend constexpr Bytes operator-(Bytes a, Bytes b) { return Bytes{a.count - b.count}; }
};

// An amount of CPU in thousandths of a core. Never negative.
struct Millicores {
  std::int64_t count = 0;
  friend constexpr auto operator<=>(Millicores, Millicores) = default;
  friend constexpr Millicores operator+(Millicores a, Millicores b) { return Millicores{a.count + b.count}; }
  friend constexpr Millicores operator-(Millicores a, Millicores b) { return Millicores{a.count - b.count}; }
};

inline constexpr std::int64_t k_kib = 1024;
inline constexpr std::int64_t k_mib = 1024 * k_kib;
inline constexpr std::int64_t k_gib = 1024 * k_mib;

// Saturating helpers: totals over many replicas must not wrap around.
[[nodiscard]] Bytes saturating_add(Bytes a, Bytes b);
[[nodiscard]] Bytes saturating_mul(Bytes a, std::int64_t factor);
[[nodiscard]] Millicores saturating_add(Millicores a, Millicores b);
[[nodiscard]] Millicores saturating_mul(Millicores a, std::int64_t factor);

// ---- Kubernetes (k8s.io/apimachinery resource.Quantity) -------------------
// Grammar: <sign?><digits[.digits]><suffix>, suffix one of Ki Mi Gi Ti Pi Ei,
// n u m "" k M G T P E, or e<int>/E<int>. Fractions round up to the next whole
// unit, as Quantity.Value()/MilliValue() do. Negative values and values past
// int64 are errors.
[[nodiscard]] Expected<Bytes> parse_k8s_memory(std::string_view text);
[[nodiscard]] Expected<Millicores> parse_k8s_cpu(std::string_view text);

// ---- Compose (compose-go / go-units RAMInBytes) ---------------------------
// "<number>[ ][k|m|g|t|p][i][b]", case-insensitive, all base 1024; a bare
// number is bytes; fractions truncate toward zero, as Go's int64(float) does.
[[nodiscard]] Expected<Bytes> parse_compose_bytes(std::string_view text);
// Compose `cpus` ("0.5", 2, "1.25"): cores as a decimal; rounds up to 1m.
[[nodiscard]] Expected<Millicores> parse_compose_cpus(std::string_view text);

// ---- Command-line sizes (--budget, --reserve) ---------------------------
// Kubernetes quantities ("1Gi", "512Mi", "1G" = 10^9), IEC with a B ("1GiB"),
// or Docker style ("1g", "512m", "1gb", base 1024) — tried in that order.
[[nodiscard]] Expected<Bytes> parse_memory_argument(std::string_view text);

// ---- Printing ---------------------------------------------------------------
// Kubernetes: largest binary suffix that divides exactly ("256Mi", "1536Ki"),
// else plain bytes.
[[nodiscard]] std::string format_k8s_memory(Bytes b);
// Kubernetes: "2" for whole cores, else "250m".
[[nodiscard]] std::string format_k8s_cpu(Millicores m);
// Compose: "1g", "256m", "64k" when exact, else bytes ("1000").
[[nodiscard]] std::string format_compose_bytes(Bytes b);
// Compose cpus: "0.5", "2", "0.125".
[[nodiscard]] std::string format_compose_cpus(Millicores m);
// Humans: "256 MiB", "1.5 GiB", "900 B" (one decimal when not whole); a
// saturated INT64_MAX (an overflowed sum) is "≥ 8192 PiB (overflow)".
[[nodiscard]] std::string format_human_bytes(Bytes b);
// A count (OOM kills, restarts) for people: the number, or for a saturated
// count (INT64_MAX: a hostile counter, or sums that overflowed) "≥ 9223372036854775807
// (overflow)", never as if exact. Machine formats (JSON, CSV) keep the number.
[[nodiscard]] std::string format_count(std::int64_t count);
// Humans: cores with up to 3 decimals: "0.5", "2", "0.125".
[[nodiscard]] std::string format_human_cpu(Millicores m);

}  // namespace stackfit
