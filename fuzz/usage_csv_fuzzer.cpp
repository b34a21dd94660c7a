// `backtest --csv`: the streaming CSV parser, fed in chunks whose size the
// first byte chooses (lines cut across chunks), with a small line bound.
#include <algorithm>

#include "fuzz_support.hpp"
#include "stackfit/load/usage_csv_reader.hpp"

using namespace stackfit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::size_t chunk = std::size_t{data[0]} + 1;
  std::string_view text = fuzz::as_text(data + 1, size - 1);
  UsageCsvParser parser("fuzz.csv", 4096);
  for (std::size_t at = 0; at < text.size(); at += chunk) {
    if (!parser.feed(text.substr(at, std::min(chunk, text.size() - at)))) return 0;
  }
  (void)parser.finish();
  return 0;
}
