// Shared libraries loaded on first use (dlopen), so that commands which do
// not need them never map them: libcurl (observe/curl_library) and GLPK
// (plan/glpk_library).
#pragma once

#include <dlfcn.h>

#include <string>

namespace stackfit {

// Looks `name` up in `handle` and stores it in the function pointer `out`.
// On failure sets `error` to "<soname>: missing symbol <name>" and returns false.
template <class F>
[[nodiscard]] bool resolve_symbol(void* handle, const char* soname, const char* name, F& out, std::string& error) {
  void* symbol = ::dlsym(handle, name);
  if (symbol == nullptr) {
    error = std::string(soname) + ": missing symbol " + name;
    return false;
  }
  out = reinterpret_cast<F>(symbol);
  return true;
}

}  // namespace stackfit
