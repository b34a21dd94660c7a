// Compose's dotenv parser and ${...} substitution, on the same input: once as
// an env file, once as text to substitute with the variables it defined.
#include "fuzz_support.hpp"
#include "stackfit/load/compose/compose_env_file.hpp"
#include "stackfit/load/compose/compose_interpolation.hpp"

using namespace stackfit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  compose::VariableLookup outer = [](std::string_view name) -> std::optional<std::string> {
    if (name == "HOME") return std::string("/home/u");
    if (name == "EMPTY") return std::string();
    if (name == "NESTED") return std::string("${HOME}");
    return std::nullopt;
  };
  auto values = compose::parse_env_file(text, "fuzz.env", outer);
  compose::VariableLookup defined = [&](std::string_view name) -> std::optional<std::string> {
    if (values) {
      for (const auto& [key, value] : *values) {
        if (key == name) return value;
      }
    }
    return outer(name);
  };
  (void)compose::substitute_variables(text, defined);
  return 0;
}
