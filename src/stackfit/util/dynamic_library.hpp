// Shared libraries loaded on first use (dlopen), so that commands which do
// not need them never map them: libcurl (observe/curl_library) and GLPK
// (plan/glpk_library).
#pragma once

#include <dlfcn.h>

#include <string>
#include <utility>

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

// Resolves the symbols of one loaded library: sym("name", pointer) as
// resolve_symbol, the first failure kept in `error`.
struct SymbolResolver {
  void* handle;
  const char* soname;
  std::string& error;
  template <class F>
  [[nodiscard]] bool operator()(const char* name, F& out) const {
    return resolve_symbol(handle, soname, name, out, error);
  }
};

// A library's entry points, or why it could not be used.
template <class Api>
struct LoadedLibrary {
  Api api{};
  bool ok = false;
  std::string error;  // dlerror()'s text, or "<soname>: missing symbol <name>"
};

// dlopen(soname) (never closed: it stays for the life of the process), then
// `resolve(const SymbolResolver&, Api&)` fills the entry points and returns
// whether all were found. Callers keep the result in a function-local
// static, so it is loaded once, on first use, thread-safely.
template <class Api, class Resolve>
[[nodiscard]] LoadedLibrary<Api> load_library(const char* soname, Resolve&& resolve) {
  LoadedLibrary<Api> l;
  void* handle = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    l.error = why ? why : std::string(soname) + ": cannot load";
    return l;
  }
  l.ok = std::forward<Resolve>(resolve)(SymbolResolver{handle, soname, l.error}, l.api);
  return l;
}

}  // namespace stackfit
