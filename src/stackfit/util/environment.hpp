// Environment variables as a value, so loaders never read the process
// environment themselves and tests can pass their own.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace stackfit {

using Environment = std::map<std::string, std::string, std::less<>>;

// A snapshot of the process environment (environ). Only cli/ calls this.
[[nodiscard]] Environment process_environment();

// The value of `name`, or nullopt when unset.
[[nodiscard]] std::optional<std::string> lookup(const Environment& env, std::string_view name);

}  // namespace stackfit
