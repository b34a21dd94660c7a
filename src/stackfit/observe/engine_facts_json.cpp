#include "stackfit/observe/engine_facts_json.hpp"

#include <nlohmann/json.hpp>

namespace stackfit {
namespace {

using Json = nlohmann::json;

Json parse_json(std::string_view text) { return Json::parse(text, nullptr, /*allow_exceptions=*/false); }

std::string text_of(const Json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t int_of(const Json& object, const char* key, std::int64_t fallback = 0) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return fallback;
  if (it->is_number_float()) return static_cast<std::int64_t>(it->get<double>());
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) return INT64_MAX;
  return it->get<std::int64_t>();
}

std::optional<bool> bool_of(const Json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

const Json& array_of(const Json& object, const char* key) {
  static const Json k_empty = Json::array();
  if (!object.is_object()) return k_empty;
  auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : k_empty;
}

const Json& object_of(const Json& object, const char* key) {
  static const Json k_null;
  if (!object.is_object()) return k_null;
  auto it = object.find(key);
  return it != object.end() && it->is_object() ? *it : k_null;
}

Bytes size_of(const Json& object, const char* key) { return Bytes{std::max<std::int64_t>(0, int_of(object, key))}; }

// Podman's compat /info has no Components; its ServerVersion answers like
// Docker's. The podman flag comes from GET /version (EngineClient).
EngineContainer container_of(const Json& c) {
  EngineContainer out;
  out.id = text_of(c, "Id");
  const Json& names = array_of(c, "Names");
  if (!names.empty() && names[0].is_string()) out.name = names[0].get<std::string>();
  if (out.name.starts_with('/')) out.name.erase(0, 1);
  out.image_id = text_of(c, "ImageID");
  out.state = text_of(c, "State");
  const Json& labels = object_of(c, "Labels");
  out.project = text_of(labels, "com.docker.compose.project");
  out.service = text_of(labels, "com.docker.compose.service");
  if (out.service.empty()) out.service = text_of(labels, "io.kubernetes.container.name");
  std::string pod = text_of(labels, "io.kubernetes.pod.name");
  if (!pod.empty()) out.pod = text_of(labels, "io.kubernetes.pod.namespace") + "/" + pod;
  for (const Json& mount : array_of(c, "Mounts")) {
    if (text_of(mount, "Type") == "volume" && !text_of(mount, "Name").empty()) out.volumes.push_back(text_of(mount, "Name"));
  }
  out.size_rw = size_of(c, "SizeRw");
  return out;
}

EngineImage image_of(const Json& i) {
  EngineImage out;
  out.id = text_of(i, "Id");
  for (const Json& tag : array_of(i, "RepoTags")) {
    // Docker writes a dangling image's tag as "<none>:<none>", Podman 4.3 as "<none>".
    if (!tag.is_string() || tag.get<std::string>() == "<none>:<none>" || tag.get<std::string>() == "<none>") continue;
    out.tags.push_back(tag.get<std::string>());
  }
  out.size = size_of(i, "Size");
  out.shared_size = size_of(i, "SharedSize");
  out.containers = int_of(i, "Containers", -1);
  return out;
}

EngineVolume volume_of(const Json& v) {
  EngineVolume out;
  out.name = text_of(v, "Name");
  const Json& labels = object_of(v, "Labels");
  out.project = text_of(labels, "com.docker.compose.project");
  out.anonymous = labels.is_object() && labels.contains("com.docker.volume.anonymous");
  out.anonymous = out.anonymous || is_anonymous_volume_name(out.name);
  const Json& usage = object_of(v, "UsageData");
  out.size = size_of(usage, "Size");
  out.ref_count = int_of(usage, "RefCount", -1);
  return out;
}

}  // namespace

bool is_anonymous_volume_name(std::string_view name) {
  if (name.size() != 64) return false;
  for (char c : name) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Expected<EngineFacts> parse_info_answer(std::string_view body) {
  Json info = parse_json(body);
  if (!info.is_object()) return make_error(ErrorCode::bad_input, "the answer to GET /info is not a JSON object");
  EngineFacts facts;
  std::int64_t mem_total = int_of(info, "MemTotal");
  if (mem_total <= 0) return make_error(ErrorCode::bad_input, "the answer to GET /info has no MemTotal");
  facts.mem_total = Bytes{mem_total};
  facts.name = text_of(info, "Name");
  facts.server_version = text_of(info, "ServerVersion");
  facts.operating_system = text_of(info, "OperatingSystem");
  facts.kernel_version = text_of(info, "KernelVersion");
  facts.cpus = int_of(info, "NCPU");
  facts.cgroup_version = text_of(info, "CgroupVersion");
  facts.cgroup_driver = text_of(info, "CgroupDriver");
  facts.memory_limit = bool_of(info, "MemoryLimit").value_or(true);
  facts.swap_limit = bool_of(info, "SwapLimit").value_or(true);
  facts.data_root = text_of(info, "DockerRootDir");
  for (const Json& warning : array_of(info, "Warnings")) {
    if (warning.is_string()) facts.warnings.push_back(warning.get<std::string>());
  }
  return facts;
}

Expected<EngineDiskUsage> parse_system_df(std::string_view body) {
  Json df = parse_json(body);
  if (!df.is_object()) return make_error(ErrorCode::bad_input, "the answer to GET /system/df is not a JSON object");
  EngineDiskUsage usage;
  for (const Json& c : array_of(df, "Containers")) {
    if (EngineContainer container = container_of(c); !container.id.empty()) usage.containers.push_back(std::move(container));
  }
  for (const Json& i : array_of(df, "Images")) {
    if (EngineImage image = image_of(i); !image.id.empty()) usage.images.push_back(std::move(image));
  }
  for (const Json& v : array_of(df, "Volumes")) {
    if (EngineVolume volume = volume_of(v); !volume.name.empty()) usage.volumes.push_back(std::move(volume));
  }
  for (const Json& b : array_of(df, "BuildCache")) {
    EngineBuildCache cache;
    cache.id = text_of(b, "ID");
    cache.type = text_of(b, "Type");
    cache.size = size_of(b, "Size");
    cache.in_use = bool_of(b, "InUse").value_or(true);  // unknown counts as in use: never removed
    cache.shared = bool_of(b, "Shared").value_or(false);
    if (!cache.id.empty()) usage.build_cache.push_back(std::move(cache));
  }
  return usage;
}

Expected<Bytes> parse_build_prune_answer(std::string_view body) {
  Json answer = parse_json(body);
  if (!answer.is_object()) return make_error(ErrorCode::bad_input, "the answer to POST /build/prune is not a JSON object");
  return size_of(answer, "SpaceReclaimed");
}

}  // namespace stackfit
