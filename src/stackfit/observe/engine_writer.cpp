#include "stackfit/observe/engine_writer.hpp"

#include "stackfit/observe/engine_facts_json.hpp"
#include "stackfit/observe/engine_http.hpp"
#include "stackfit/observe/engine_json.hpp"

namespace stackfit {
namespace {

// A removal can wait for the engine to unmount and delete files.
constexpr std::int64_t k_write_timeout_ms = 60000;

}  // namespace

EngineWriter::EngineWriter(std::string socket_path, const std::string& api_version)
    : m_socket(std::move(socket_path)), m_prefix("/v" + api_version), m_http(std::make_unique<EngineHttp>(m_socket)) {}

EngineWriter::~EngineWriter() = default;

// "<socket>: DELETE /v1.41/containers/x: HTTP 409: <engine's message>" on failure.
Expected<std::string> EngineWriter::send(const char* method, const std::string& path) {
  const std::string target = m_prefix + path;
  const std::string shown = std::string(method) + " " + target.substr(0, target.find('?'));
  auto answer = m_http->write_request(EngineWriteKey{}, method, target, k_write_timeout_ms);
  if (!answer) {
    std::string where = answer.error().kind == HttpFailureKind::connect ? "connect" : shown;
    return make_error(ErrorCode::unavailable, m_socket + ": " + where + ": " + answer.error().detail);
  }
  if (answer->status < 200 || answer->status > 299) {
    std::string message = m_socket + ": " + shown + ": HTTP " + std::to_string(answer->status);
    std::string detail = error_message_of(answer->body);
    if (!detail.empty()) message += ": " + detail;
    return make_error(answer->status == 404 ? ErrorCode::not_found : ErrorCode::unavailable, std::move(message));
  }
  return std::move(answer->body);
}

Expected<void> EngineWriter::remove_container(const std::string& id) {
  auto sent = send("DELETE", "/containers/" + url_encode(id));
  if (!sent) return tl::unexpected(sent.error());
  return {};
}

Expected<void> EngineWriter::remove_image(const std::string& id) {
  auto sent = send("DELETE", "/images/" + url_encode(id));
  if (!sent) return tl::unexpected(sent.error());
  return {};
}

Expected<void> EngineWriter::remove_volume(const std::string& name) {
  auto sent = send("DELETE", "/volumes/" + url_encode(name));
  if (!sent) return tl::unexpected(sent.error());
  return {};
}

Expected<Bytes> EngineWriter::prune_build_cache() {
  auto body = send("POST", "/build/prune?all=true");
  if (!body) return tl::unexpected(body.error());
  auto reclaimed = parse_build_prune_answer(*body);
  if (!reclaimed) return make_error(ErrorCode::unavailable, m_socket + ": POST " + m_prefix + "/build/prune: " + reclaimed.error().message);
  return reclaimed;
}

}  // namespace stackfit
