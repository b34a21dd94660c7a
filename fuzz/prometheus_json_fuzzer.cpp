// Prometheus' /api/v1/query_range answers (SAX parser) and its error bodies.
#include "fuzz_support.hpp"
#include "stackfit/observe/prometheus_json.hpp"

using namespace stackfit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  (void)parse_prometheus_matrix(text);
  (void)prometheus_error_of(text);
  return 0;
}
