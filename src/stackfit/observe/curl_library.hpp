// libcurl, loaded on first use with dlopen. Linking it directly costs every
// stackfit run ~12 ms of dynamic-loader work (libcurl drags in ~30 libraries:
// TLS, LDAP, Kerberos, SSH, ...), which would triple the start-up time of
// `inspect` and `check`, commands that never talk to an engine. Only the
// engine client (record, top) and the Prometheus client (history) load it.
#pragma once

#include <curl/curl.h>

#include <string>

namespace stackfit {

// The libcurl functions the engine client uses, with libcurl's own types.
struct CurlApi {
  CURL* (*easy_init)();
  void (*easy_cleanup)(CURL*);
  CURLcode (*easy_perform)(CURL*);
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
  const char* (*easy_strerror)(CURLcode);
  // Header lists (Authorization for the Prometheus client).
  curl_slist* (*slist_append)(curl_slist*, const char*);
  void (*slist_free_all)(curl_slist*);
};

// Loads libcurl.so.4 once (thread-safe) and runs curl_global_init. Returns
// nullptr when it cannot be loaded; curl_load_error() then says why
// ("libcurl.so.4: cannot open shared object file: ...").
[[nodiscard]] const CurlApi* curl_api();
[[nodiscard]] const std::string& curl_load_error();

}  // namespace stackfit
