#include "stackfit/plan/machine_catalog.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <memory>

// The catalog file is YAML: the yaml tree of load/ is the one reader stackfit
// has (plan/ uses only this wrapper, not any loader).
#include "stackfit/load/yaml_node.hpp"
#include "stackfit/util/file_io.hpp"

namespace stackfit {
namespace {

constexpr std::int64_t k_reserve_base = 128 * k_mib;
constexpr std::int64_t k_reserve_cap = 2 * k_gib;

bool same_name(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

tl::unexpected<Error> located(const yaml::Node& at, const std::string& path, const std::string& reason) {
  return make_error(ErrorCode::bad_input, at.location.to_string() + ": " + path + ": " + reason);
}

Expected<std::string> scalar_text(const yaml::Node& value, const std::string& path) {
  if (!value.is_scalar()) return located(value, path, std::string("expected a value, got ") + value.kind_name());
  return value.text;
}

Expected<Bytes> memory_field(const yaml::Node& value, const std::string& path) {
  auto text = scalar_text(value, path);
  TRY(text);
  auto bytes = parse_k8s_memory(*text);
  if (!bytes) return located(value, path, bytes.error().message);
  return *bytes;
}

Expected<Millicores> cpus_field(const yaml::Node& value, const std::string& path) {
  auto text = scalar_text(value, path);
  TRY(text);
  auto cpus = parse_k8s_cpu(*text);
  if (!cpus) return located(value, path, cpus.error().message);
  if (cpus->count == 0) return located(value, path, "must be above 0");
  return *cpus;
}

Expected<double> price_field(const yaml::Node& value, const std::string& path) {
  auto text = scalar_text(value, path);
  TRY(text);
  double price = -1;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, price);
  if (text->empty() || ec != std::errc() || ptr != end || !std::isfinite(price) || price < 0) {
    return located(value, path, "expected a non-negative number of US dollars, got \"" + *text + "\"");
  }
  return price;
}

Expected<std::int64_t> max_pods_field(const yaml::Node& value, const std::string& path) {
  auto text = scalar_text(value, path);
  TRY(text);
  std::int64_t pods = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, pods);
  if (text->empty() || ec != std::errc() || ptr != end || pods <= 0 || pods > 100000) {
    return located(value, path, "expected a whole number of pods from 1 to 100000, got \"" + *text + "\"");
  }
  return pods;
}

// Reads one field of a machine entry into `m`; `seen` collects what was given.
Expected<void> read_field(const yaml::MapEntry& e, const std::string& path, Machine& m, bool& has_reserve) {
  const std::string field = path + "." + e.key;
  if (e.key == "name" || e.key == "description" || e.key == "price_source" || e.key == "price_as_of") {
    auto text = scalar_text(e.value, field);
    TRY(text);
    (e.key == "name"           ? m.name
     : e.key == "description"  ? m.description
     : e.key == "price_source" ? m.price_source
                               : m.price_as_of) = *text;
  } else if (e.key == "memory" || e.key == "os_reserve") {
    auto bytes = memory_field(e.value, field);
    TRY(bytes);
    (e.key == "memory" ? m.memory : m.os_reserve) = *bytes;
    has_reserve = has_reserve || e.key == "os_reserve";
  } else if (e.key == "cpus") {
    auto cpus = cpus_field(e.value, field);
    TRY(cpus);
    m.cpus = *cpus;
  } else if (e.key == "max_pods") {
    auto pods = max_pods_field(e.value, field);
    TRY(pods);
    m.max_pods = *pods;
  } else if (e.key == "price_per_hour_usd") {
    auto price = price_field(e.value, field);
    TRY(price);
    m.price_per_hour_usd = *price;
  } else {
    return make_error(ErrorCode::bad_input, e.key_location.to_string() + ": " + field +
                                                ": unknown field (expected name, description, memory, cpus, "
                                                "price_per_hour_usd, price_source, price_as_of, os_reserve, max_pods)");
  }
  return {};
}

Expected<Machine> read_machine(const yaml::Node& item, const std::string& path) {
  if (!item.is_mapping()) return located(item, path, std::string("expected a mapping, got ") + item.kind_name());
  Machine m;
  bool has_reserve = false;
  for (const yaml::MapEntry& e : item.entries) {
    TRY(read_field(e, path, m, has_reserve));
  }
  for (const char* required : {"name", "memory", "cpus"}) {
    if (!item.find(required)) return located(item, path, std::string("missing required field `") + required + "`");
  }
  if (m.name.empty()) return located(*item.find("name"), path + ".name", "must not be empty");
  if (m.memory.count == 0) return located(*item.find("memory"), path + ".memory", "must be above 0");
  if (!has_reserve) m.os_reserve = default_os_reserve(m.memory);
  if (m.os_reserve >= m.memory && has_reserve) {
    return located(*item.find("os_reserve"), path + ".os_reserve",
                   format_human_bytes(m.os_reserve) + " leaves nothing of the " + format_human_bytes(m.memory) +
                       " memory");
  }
  if (m.os_reserve >= m.memory) {  // the default reserve: no os_reserve to point at
    return located(*item.find("memory"), path + ".memory",
                   format_human_bytes(m.memory) + " is not more than the default os_reserve of " +
                       format_human_bytes(m.os_reserve) + " (128 MiB + memory/8); give os_reserve");
  }
  if (m.description.empty()) m.description = m.name + " (from catalog file)";
  if (m.price_source.empty()) m.price_source = m.price_per_hour_usd ? "catalog file" : "no price";
  return m;
}

Expected<std::vector<Machine>> read_catalog(const yaml::Node& root) {
  const yaml::Node* list = root.is_mapping() ? root.find("machines") : nullptr;
  if (!list) {
    return make_error(ErrorCode::bad_input,
                      root.location.to_string() + ": expected a mapping with a `machines` list");
  }
  if (!list->is_sequence()) {
    return located(*list, "machines", std::string("expected a list, got ") + list->kind_name());
  }
  std::vector<Machine> out;
  for (std::size_t i = 0; i < list->items.size(); ++i) {
    const std::string path = "machines[" + std::to_string(i) + "]";
    auto m = read_machine(list->items[i], path);
    TRY(m);
    for (const Machine& earlier : out) {
      if (same_name(earlier.name, m->name)) {
        return located(*list->items[i].find("name"), path + ".name",
                       "machine \"" + m->name + "\" is listed twice");
      }
    }
    out.push_back(std::move(*m));
  }
  return out;
}

}  // namespace

Bytes default_os_reserve(Bytes memory) {
  return Bytes{std::min(k_reserve_base + memory.count / 8, k_reserve_cap)};
}

Expected<void> MachineCatalog::add_from_file(const std::string& path) {
  auto text = read_file(path);
  TRY(text);
  return add_from_text(*text, path);
}

Expected<void> MachineCatalog::add_from_text(std::string_view text, const std::string& file) {
  auto root = yaml::parse_single_document(text, std::make_shared<const std::string>(file));
  TRY(root);
  if (root->location.file == nullptr) root->location.file = std::make_shared<const std::string>(file);
  auto machines = read_catalog(*root);
  TRY(machines);
  for (Machine& m : *machines) {
    auto same = [&](const Machine& existing) { return same_name(existing.name, m.name); };
    if (auto it = std::find_if(m_machines.begin(), m_machines.end(), same); it != m_machines.end()) {
      *it = std::move(m);
    } else {
      m_machines.push_back(std::move(m));
    }
  }
  return {};
}

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Levenshtein distance, two rows.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitute});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// "docker-desktop:6g" / "wsl2:32g": the prefix, and the size after the colon.
std::optional<std::pair<std::string, Bytes>> sized_local_target(std::string_view name) {
  auto colon = name.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string prefix = lower(name.substr(0, colon));
  if (prefix != "docker-desktop" && prefix != "wsl2") return std::nullopt;
  auto size = parse_memory_argument(name.substr(colon + 1));
  if (!size || size->count < 256 * k_mib) return std::nullopt;
  return std::make_pair(prefix, *size);
}

}  // namespace

std::vector<std::string> MachineCatalog::nearest_names(std::string_view name, std::size_t count) const {
  std::string wanted = lower(name);
  std::size_t limit = std::max<std::size_t>(2, wanted.size() / 3);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const Machine& m : m_machines) {
    std::size_t d = edit_distance(wanted, lower(m.name));
    if (d <= limit) scored.emplace_back(d, m.name);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && i < count; ++i) out.push_back(scored[i].second);
  return out;
}

Expected<Machine> MachineCatalog::resolve(std::string_view name) const {
  if (const Machine* m = find(name)) return *m;
  if (auto sized = sized_local_target(name)) {
    const Machine* base = find(sized->first);
    Machine m = base ? *base : Machine{};
    m.name = std::string(name);
    Bytes size = sized->second;
    if (sized->first == "wsl2") {
      // WSL 2 gives its VM 50% of the Windows host's memory by default.
      m.memory = Bytes{size.count / 2};
      m.description = "WSL 2 VM, default: 50% of a " + format_human_bytes(size) + " Windows host";
    } else {
      m.memory = size;
      m.description = "Docker Desktop VM with memory set to " + format_human_bytes(size);
    }
    m.os_reserve = default_os_reserve(m.memory);
    return m;
  }
  std::string message = "unknown machine \"" + std::string(name) + "\"";
  auto near = nearest_names(name);
  if (!near.empty()) {
    message += " (nearest: ";
    for (std::size_t i = 0; i < near.size(); ++i) message += (i ? ", " : "") + near[i];
    message += ")";
  }
  return make_error(ErrorCode::not_found, message + "; see `stackfit machines`");
}

const Machine* MachineCatalog::find(std::string_view name) const {
  for (const Machine& m : m_machines) {
    if (same_name(m.name, name)) return &m;
  }
  return nullptr;
}

}  // namespace stackfit
