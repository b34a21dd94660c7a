// The only code in stackfit that changes a container engine: the removals of
// `stackfit cleanup --force` (docs/cleanup.md). Every request here is a
// DELETE or a POST; every other engine request anywhere in stackfit is a GET
// (EngineHttp::write_request needs an EngineWriteKey, which only this class
// can make, so the compiler holds that line).
//
// No request forces anything: the engine itself refuses to remove a running
// container, an image a container uses, a volume in use. A refusal is an
// error naming the request and the engine's reason; the caller goes on.
#pragma once

#include <memory>
#include <string>

#include "stackfit/model/quantity.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

class EngineHttp;

class EngineWriter {
 public:
  // `api_version` as EngineClient::version() returned it ("1.41").
  EngineWriter(std::string socket_path, const std::string& api_version);
  ~EngineWriter();
  EngineWriter(const EngineWriter&) = delete;
  EngineWriter& operator=(const EngineWriter&) = delete;

  // DELETE /containers/{id}: without force (a running container is refused)
  // and without v (its volumes stay).
  [[nodiscard]] Expected<void> remove_container(const std::string& id);
  // DELETE /images/{id}: without force (an image a container uses is refused).
  [[nodiscard]] Expected<void> remove_image(const std::string& id);
  // DELETE /volumes/{name}: without force (a volume in use is refused).
  [[nodiscard]] Expected<void> remove_volume(const std::string& name);
  // POST /build/prune?all=true: build cache no build uses; the bytes reclaimed.
  [[nodiscard]] Expected<Bytes> prune_build_cache();

 private:
  [[nodiscard]] Expected<std::string> send(const char* method, const std::string& path);

  std::string m_socket;
  std::string m_prefix;  // "/v1.41"
  std::unique_ptr<EngineHttp> m_http;
};

}  // namespace stackfit
