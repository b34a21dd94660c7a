// How this stackfit binary was built: what `stackfit --version` and
// `stackfit version --format json` print (docs/version-json.md).
#pragma once

#include <string>
#include <vector>

namespace stackfit {

// A library stackfit uses and how this binary has it: "shared" (mapped from
// a .so at start), "built in" (linked into the binary) — read from the
// running process, not assumed from the build flags.
struct LinkedLibrary {
  std::string name;     // "libfyaml"
  std::string version;  // "0.7.12", "" when the library does not say
  std::string linking;  // "shared" | "built in"
};

// A library loaded with dlopen only by the commands that need it; absent,
// only those commands fail (one line, exit 3).
struct OptionalLibrary {
  std::string soname;   // "libcurl.so.4"
  std::string used_by;  // "record, top, history, --prometheus"
};

struct BuildInfo {
  std::string version;     // the CMake project version, "0.1.0"
  std::string commit;      // 12 hex digits at configure time, or "unknown"
  std::string compiler;    // "GCC 12.2.0"
  std::string build_type;  // CMAKE_BUILD_TYPE, "RelWithDebInfo"
  std::string linking;     // "dynamic" | "static": any shared object mapped at start?
  std::vector<LinkedLibrary> libraries;
  std::vector<OptionalLibrary> optional_libraries;
};

// Computed once, before any dlopen, from the running process.
[[nodiscard]] const BuildInfo& build_info();

// The short block of `stackfit --version`, ending in a newline.
[[nodiscard]] std::string build_info_text(const BuildInfo& info);

// The JSON document of `stackfit version --format json` (schema_version 1).
[[nodiscard]] std::string build_info_json(const BuildInfo& info);

}  // namespace stackfit
