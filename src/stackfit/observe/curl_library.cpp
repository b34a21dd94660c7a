#include "stackfit/observe/curl_library.hpp"

#include "stackfit/util/dynamic_library.hpp"

namespace stackfit {
namespace {

constexpr const char* k_curl_soname = "libcurl.so.4";

using Loaded = LoadedLibrary<CurlApi>;

Loaded load() {
  CURLcode (*global_init)(long) = nullptr;
  Loaded l = load_library<CurlApi>(k_curl_soname, [&](const SymbolResolver& sym, CurlApi& a) {
    return sym("curl_global_init", global_init) && sym("curl_easy_init", a.easy_init) &&
           sym("curl_easy_cleanup", a.easy_cleanup) && sym("curl_easy_perform", a.easy_perform) &&
           sym("curl_easy_setopt", a.easy_setopt) && sym("curl_easy_getinfo", a.easy_getinfo) &&
           sym("curl_easy_strerror", a.easy_strerror) && sym("curl_slist_append", a.slist_append) &&
           sym("curl_slist_free_all", a.slist_free_all);
  });
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
