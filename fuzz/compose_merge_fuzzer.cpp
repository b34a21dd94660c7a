// Two Compose files merged in order (-f a -f b): the input is both files,
// cut at fuzz::k_file_separator.
#include "fuzz_support.hpp"
#include "stackfit/load/compose/compose_loader.hpp"

using namespace stackfit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fuzz::ScratchDir dir;
  std::string_view text = fuzz::as_text(data, size);
  if (fuzz::names_device(text)) return 0;
  auto [first, second] = fuzz::split_two(text);
  ComposeOptions options;
  options.files = {dir.write("compose.yaml", first), dir.write("compose.override.yaml", second)};
  options.project_directory = dir.path();
  options.environment = {{"TAG", "1.2"}, {"MEM", "512m"}};
  (void)load_compose(options);
  return 0;
}
