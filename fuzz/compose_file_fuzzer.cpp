// One Compose file through the whole loader (load_compose): YAML, .env-free
// interpolation, extends within the file, profiles, the resource fields.
#include "fuzz_support.hpp"
#include "stackfit/load/compose/compose_loader.hpp"

using namespace stackfit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fuzz::ScratchDir dir;
  std::string_view text = fuzz::as_text(data, size);
  if (fuzz::names_device(text)) return 0;
  ComposeOptions options;
  options.files = {dir.write("compose.yaml", text)};
  options.project_directory = dir.path();
  options.environment = {{"TAG", "1.2"}, {"MEM", "512m"}, {"EMPTY", ""}, {"COMPOSE_PROFILES", "debug"}};
  (void)load_compose(options);
  return 0;
}
