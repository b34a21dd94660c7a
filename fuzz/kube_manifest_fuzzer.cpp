// A Kubernetes YAML stream (several documents, every workload kind) through
// load_kubernetes_text.
#include <memory>

#include "fuzz_support.hpp"
#include "stackfit/load/kube/kube_loader.hpp"

using namespace stackfit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto file = std::make_shared<const std::string>("fuzz.yaml");
  Stack stack;
  stack.kind = StackKind::kubernetes;
  (void)load_kubernetes_text(fuzz::as_text(data, size), file, stack);
  return 0;
}
