// `apply --from` / `plan --from`: recommend's JSON read back.
#include "fuzz_support.hpp"
#include "stackfit/load/recommend_json_reader.hpp"

using namespace stackfit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (auto file = parse_recommend_json(fuzz::as_text(data, size), "fuzz.json")) (void)file->targets();
  return 0;
}
