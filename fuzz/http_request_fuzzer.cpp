// `record --listen`'s request-head parser and its answers, and the --listen
// value parser, on the same bytes.
#include "fuzz_support.hpp"
#include "stackfit/serve/http_request.hpp"

using namespace stackfit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  auto head = parse_request_head(text);
  (void)answer_request(head, [] { return std::string("up 1\n"); });
  (void)parse_request_head(text, 64);  // a small bound: too_large paths
  if (auto listen = parse_listen_address(text)) (void)listen->text();
  return 0;
}
