// `stackfit verify`: do the running containers of a Compose project carry
// the limits its files declare? Compares, per container, the memory limit,
// the memory reservation and the CPU limit the engine reports (HostConfig)
// with the service's declaration, and names services declared but not
// running and containers running for services the files no longer declare.
// Pure: the engine's answers come in as ContainerInfo values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stackfit/model/sample.hpp"
#include "stackfit/model/stack.hpp"

namespace stackfit {

enum class VerifyField { memory_limit, memory_reservation, cpu_limit };
[[nodiscard]] const char* to_string(VerifyField f);
// "bytes" for the memory fields, "millicores" for CPU.
[[nodiscard]] const char* unit_of(VerifyField f);

struct VerifyMismatch {
  std::string service;
  std::string container;  // engine name
  std::string container_id;
  VerifyField field = VerifyField::memory_limit;
  std::optional<std::int64_t> declared;  // absent: not declared
  std::optional<std::int64_t> running;   // absent: not set on the container
};

struct VerifyContainer {
  std::string service;
  std::string container;
  std::string container_id;
};

struct VerifyOutcome {
  std::string project;
  std::vector<VerifyContainer> checked;      // running containers of declared services
  std::vector<VerifyMismatch> mismatches;    // in service, container, field order
  std::vector<std::string> not_running;      // declared services with no running container
  std::vector<VerifyContainer> undeclared;   // running containers of services not declared
  [[nodiscard]] bool matches() const { return mismatches.empty() && not_running.empty() && undeclared.empty(); }
};

[[nodiscard]] VerifyOutcome verify_stack(const Stack& stack, const std::vector<ContainerInfo>& running);

}  // namespace stackfit
