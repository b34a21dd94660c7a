// `record --listen`'s request-head parser and its answers, and the --listen
// value parser, on the same bytes.
#include "fuzz_support.hpp"
#include "stackfit/cli/http_request.hpp"

using namespace stackfit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  auto head = cli::parse_request_head(text);
  (void)cli::answer_request(head, [] { return std::string("up 1\n"); });
  (void)cli::parse_request_head(text, 64);  // a small bound: too_large paths
  if (auto listen = cli::parse_listen_address(text)) (void)listen->text();
  return 0;
}
