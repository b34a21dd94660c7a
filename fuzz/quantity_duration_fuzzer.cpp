// Every quantity and duration parser on the same text, and the round trip
// of what they accept: printing a parsed amount and parsing the print must
// give the same amount (the printers' contracts in model/quantity.hpp), so
// `apply` never writes a limit other than the one it computed.
#include <cstdio>

#include "fuzz_support.hpp"
#include "stackfit/model/quantity.hpp"
#include "stackfit/util/duration.hpp"

using namespace stackfit;

namespace {

template <class Amount, class Parse, class Print>
void check_round_trip(const Expected<Amount>& parsed, Parse parse, Print print, const char* what) {
  if (!parsed) return;
  if (parsed->count < 0) {
    std::fprintf(stderr, "%s: negative amount %lld\n", what, static_cast<long long>(parsed->count));
    std::abort();
  }
  std::string printed = print(*parsed);
  auto again = parse(printed);
  if (!again || *again != *parsed) {
    std::fprintf(stderr, "%s: %lld printed as \"%s\" reads back as %s\n", what,
                 static_cast<long long>(parsed->count), printed.c_str(),
                 again ? std::to_string(again->count).c_str() : again.error().message.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  check_round_trip(parse_k8s_memory(text), parse_k8s_memory, format_k8s_memory, "k8s memory");
  check_round_trip(parse_k8s_cpu(text), parse_k8s_cpu, format_k8s_cpu, "k8s cpu");
  check_round_trip(parse_compose_bytes(text), parse_compose_bytes, format_compose_bytes, "compose bytes");
  check_round_trip(parse_compose_cpus(text), parse_compose_cpus, format_compose_cpus, "compose cpus");
  check_round_trip(parse_memory_argument(text), parse_memory_argument, format_k8s_memory, "memory argument");
  if (auto memory = parse_memory_argument(text)) (void)format_human_bytes(*memory);
  if (auto cpu = parse_k8s_cpu(text)) (void)format_human_cpu(*cpu);
  if (auto ms = parse_duration_ms(text); ms && *ms < 0) {
    std::fprintf(stderr, "duration: negative %lld ms\n", static_cast<long long>(*ms));
    std::abort();
  }
  return 0;
}
