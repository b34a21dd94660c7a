#include "stackfit/cli/build_info.hpp"

#include <gnu/libc-version.h>
#include <link.h>
#include <sqlite3.h>

#include <libfyaml.h>
#include <nlohmann/json.hpp>

#include <cstring>

#ifndef STACKFIT_GIT_COMMIT
#define STACKFIT_GIT_COMMIT "unknown"
#endif
#ifndef STACKFIT_BUILD_TYPE
#define STACKFIT_BUILD_TYPE "unknown"
#endif

namespace stackfit {
namespace {

std::string compiler_name() {
#if defined(__clang__)
  return "Clang " + std::to_string(__clang_major__) + "." + std::to_string(__clang_minor__) + "." +
         std::to_string(__clang_patchlevel__);
#elif defined(__GNUC__)
  return "GCC " + std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) + "." +
         std::to_string(__GNUC_PATCHLEVEL__);
#else
  return "unknown";
#endif
}

// The file names (no folder) of the shared objects mapped into the process;
// the main program and the kernel's vDSO have no file of their own here.
std::vector<std::string> mapped_shared_objects() {
  std::vector<std::string> names;
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* out) {
        const char* path = info->dlpi_name;
        if (path == nullptr || path[0] == '\0') return 0;
        const char* slash = std::strrchr(path, '/');
        std::string name = slash ? slash + 1 : path;
        if (name.rfind("linux-vdso", 0) == 0) return 0;
        static_cast<std::vector<std::string>*>(out)->push_back(name);
        return 0;
      },
      &names);
  return names;
}

// prefix: the file name up to its first dot ("libc."), so no soname is
// written in the binary (no_program_exec_test lists those it may dlopen).
std::string linking_of(const std::vector<std::string>& mapped, const char* prefix) {
  for (const std::string& name : mapped) {
    if (name.rfind(prefix, 0) == 0) return "shared";
  }
  return "built in";
}

BuildInfo compute_build_info() {
  const std::vector<std::string> mapped = mapped_shared_objects();
  BuildInfo info;
  info.version = STACKFIT_VERSION;
  info.commit = STACKFIT_GIT_COMMIT;
  info.compiler = compiler_name();
  info.build_type = STACKFIT_BUILD_TYPE;
  info.linking = mapped.empty() ? "static" : "dynamic";
  info.libraries = {
      {"glibc", gnu_get_libc_version(), linking_of(mapped, "libc.")},
      {"libstdc++", std::to_string(_GLIBCXX_RELEASE), linking_of(mapped, "libstdc++.")},
      {"libfyaml", fy_library_version(), linking_of(mapped, "libfyaml.")},
      {"SQLite", sqlite3_libversion(), linking_of(mapped, "libsqlite3.")},
  };
  info.optional_libraries = {
      {"libcurl.so.4", "Prometheus: history, --prometheus"},
      {"libglpk.so.40", "plan --node-type"},
  };
  return info;
}

}  // namespace

const BuildInfo& build_info() {
  static const BuildInfo k_info = compute_build_info();
  return k_info;
}

std::string build_info_text(const BuildInfo& info) {
  std::string libraries;
  for (const LinkedLibrary& lib : info.libraries) {
    if (!libraries.empty()) libraries += ", ";
    libraries += lib.name + (lib.version.empty() ? "" : " " + lib.version) + " (" + lib.linking + ")";
  }
  std::string optional;
  for (const OptionalLibrary& lib : info.optional_libraries) {
    if (!optional.empty()) optional += ", ";
    optional += lib.soname + " (" + lib.used_by + ")";
  }
  return "stackfit " + info.version + "\n" +           //
         " Commit:      " + info.commit + "\n" +       //
         " Compiler:    " + info.compiler + "\n" +     //
         " Build type:  " + info.build_type + "\n" +   //
         " Linking:     " + info.linking + "\n" +      //
         " Libraries:   " + libraries + "\n" +         //
         " On demand:   " + optional + ", dlopen'ed when used\n";
}

std::string build_info_json(const BuildInfo& info) {
  nlohmann::ordered_json libraries = nlohmann::ordered_json::array();
  for (const LinkedLibrary& lib : info.libraries) {
    libraries.push_back({{"name", lib.name}, {"version", lib.version}, {"linking", lib.linking}});
  }
  nlohmann::ordered_json optional = nlohmann::ordered_json::array();
  for (const OptionalLibrary& lib : info.optional_libraries) {
    optional.push_back({{"soname", lib.soname}, {"used_by", lib.used_by}});
  }
  nlohmann::ordered_json out = {{"schema_version", 1},       {"version", info.version},
                                {"commit", info.commit},     {"compiler", info.compiler},
                                {"build_type", info.build_type}, {"linking", info.linking},
                                {"libraries", libraries},    {"optional_libraries", optional}};
  return out.dump(2) + "\n";
}

}  // namespace stackfit
