#include "stackfit/observe/curl_library.hpp"

#include <dlfcn.h>

#include <mutex>

#include "stackfit/util/dynamic_library.hpp"

namespace stackfit {
namespace {

constexpr const char* k_curl_soname = "libcurl.so.4";

struct Loaded {
  CurlApi api{};
  bool ok = false;
  std::string error;
};

Loaded load() {
  Loaded l;
  // Never closed: libcurl stays loaded for the life of the process.
  void* handle = ::dlopen(k_curl_soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    l.error = why ? why : std::string(k_curl_soname) + ": cannot load";
    return l;
  }
  CURLcode (*global_init)(long) = nullptr;
  l.ok = resolve_symbol(handle, k_curl_soname, "curl_global_init", global_init, l.error) &&
         resolve_symbol(handle, k_curl_soname, "curl_easy_init", l.api.easy_init, l.error) &&
         resolve_symbol(handle, k_curl_soname, "curl_easy_cleanup", l.api.easy_cleanup, l.error) &&
         resolve_symbol(handle, k_curl_soname, "curl_easy_perform", l.api.easy_perform, l.error) &&
         resolve_symbol(handle, k_curl_soname, "curl_easy_setopt", l.api.easy_setopt, l.error) &&
         resolve_symbol(handle, k_curl_soname, "curl_easy_getinfo", l.api.easy_getinfo, l.error) &&
         resolve_symbol(handle, k_curl_soname, "curl_easy_strerror", l.api.easy_strerror, l.error) &&
         resolve_symbol(handle, k_curl_soname, "curl_slist_append", l.api.slist_append, l.error) &&
         resolve_symbol(handle, k_curl_soname, "curl_slist_free_all", l.api.slist_free_all, l.error);
  if (l.ok && global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    l.ok = false;
    l.error = "libcurl.so.4: curl_global_init failed";
  }
  return l;
}

const Loaded& loaded() {
  static const Loaded k_loaded = load();  // C++11 guarantees one thread-safe initialisation
  return k_loaded;
}

}  // namespace

const CurlApi* curl_api() { return loaded().ok ? &loaded().api : nullptr; }

const std::string& curl_load_error() { return loaded().error; }

}  // namespace stackfit
