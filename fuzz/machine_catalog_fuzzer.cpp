// A user machine catalog (--machines FILE) added to the built-in one.
#include "fuzz_support.hpp"
#include "stackfit/plan/machine_catalog.hpp"

using namespace stackfit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const MachineCatalog builtin = MachineCatalog::builtin();
  MachineCatalog catalog = builtin;
  if (catalog.add_from_text(fuzz::as_text(data, size), "fuzz.yaml")) {
    for (const auto& machine : catalog.machines()) (void)catalog.resolve(machine.name);
  }
  return 0;
}
