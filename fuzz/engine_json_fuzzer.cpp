// The Docker Engine API answers (/version, /containers/json, inspect, error
// bodies) on the whole input, and the /events stream line by line.
#include "fuzz_support.hpp"
#include "stackfit/observe/engine_json.hpp"

using namespace stackfit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  (void)parse_api_version(text);
  (void)parse_version_answer(text);
  (void)parse_container_list(text);
  (void)parse_container_inspect(text);
  (void)error_message_of(text);
  while (!text.empty()) {
    auto newline = text.find('\n');
    (void)parse_event_line(text.substr(0, newline));
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  return 0;
}
