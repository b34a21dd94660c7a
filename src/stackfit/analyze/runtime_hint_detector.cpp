#include "stackfit/analyze/runtime_hint_detector.hpp"

#include <array>
#include <charconv>
#include <limits>
#include <string_view>

#include "stackfit/analyze/redis_usage.hpp"
#include "stackfit/analyze/runtime_kind.hpp"
#include "stackfit/analyze/runtime_size_syntax.hpp"

namespace stackfit {
namespace {

// Words of one place a setting can be read from, labelled for evidence.
struct Source {
  std::string label;  // "command" or the variable name
  std::vector<std::string> words;
};

const std::string* env_value(const KeyValues& env, std::string_view name) {
  const std::string* found = nullptr;
  for (const auto& [key, value] : env) {
    if (key == name) found = &value;  // the last definition wins, as in Compose
  }
  return found;
}

Source command_source(const Container& c) {
  Source s{"command", {}};
  for (const auto& element : c.command) {
    for (auto& word : split_words(element)) s.words.push_back(std::move(word));
  }
  return s;
}

std::vector<Source> env_sources(const KeyValues& env, std::initializer_list<std::string_view> names) {
  std::vector<Source> out;
  for (std::string_view name : names) {
    if (const std::string* value = env_value(env, name)) out.push_back({std::string(name), split_words(*value)});
  }
  return out;
}

void note(RuntimeHints& h, const std::string& label, const std::string& text, bool understood) {
  h.evidence.push_back(label + ": " + text + (understood ? "" : " not understood"));
}

// ---- JVM ------------------------------------------------------------------

// Sources in the order the JVM applies them, so that the last value read is
// the one in force: JAVA_TOOL_OPTIONS first, launcher-script variables and
// the command line next, _JAVA_OPTIONS last (it overrides the command line).
std::vector<Source> jvm_sources(const Container& c) {
  auto out = env_sources(c.environment, {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "JAVA_OPTS", "JVM_OPTS",
                                         "CATALINA_OPTS", "ES_JAVA_OPTS", "OPENSEARCH_JAVA_OPTS",
                                         "LS_JAVA_OPTS", "KAFKA_HEAP_OPTS"});
  out.push_back(command_source(c));
  for (auto& s : env_sources(c.environment, {"_JAVA_OPTIONS"})) out.push_back(std::move(s));
  return out;
}

bool read_jvm_size(RuntimeHints& h, const std::string& label, const std::string& word, std::string_view prefix,
                   std::optional<Bytes>& target) {
  if (!word.starts_with(prefix)) return false;
  auto value = parse_jvm_size(std::string_view(word).substr(prefix.size()));
  if (value) target = value;
  note(h, label, word, value.has_value());
  return true;
}

void read_ram_percentage(RuntimeHints& h, const std::string& label, const std::string& word) {
  constexpr std::string_view k_prefix = "-XX:MaxRAMPercentage=";
  std::string_view text = std::string_view(word).substr(k_prefix.size());
  double value = -1;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  bool ok = !text.empty() && ec == std::errc() && ptr == text.data() + text.size() && value >= 0 && value <= 100;
  if (ok) h.jvm_max_ram_percentage = value;
  note(h, label, word, ok);
}

void read_jvm(const Container& c, RuntimeHints& h) {
  for (const Source& s : jvm_sources(c)) {
    for (const std::string& w : s.words) {
      if (read_jvm_size(h, s.label, w, "-Xmx", h.jvm_max_heap)) continue;
      if (read_jvm_size(h, s.label, w, "-XX:MaxHeapSize=", h.jvm_max_heap)) continue;
      if (read_jvm_size(h, s.label, w, "-Xms", h.jvm_initial_heap)) continue;
      if (read_jvm_size(h, s.label, w, "-XX:InitialHeapSize=", h.jvm_initial_heap)) continue;
      if (w.starts_with("-XX:MaxRAMPercentage=")) read_ram_percentage(h, s.label, w);
    }
  }
}

// ---- Neo4j ----------------------------------------------------------------

void read_neo4j_variable(const Container& c, RuntimeHints& h, std::string_view name, std::optional<Bytes>& target) {
  const std::string* text = env_value(c.environment, name);
  if (!text) return;
  auto value = parse_neo4j_size(*text);
  if (value) target = value;
  note(h, std::string(name), *text, value.has_value());
}

void read_neo4j(const Container& c, RuntimeHints& h) {
  // Neo4j 4 names (dbms.*) first, Neo4j 5 names (server.*) last: 5 ignores the old ones.
  read_neo4j_variable(c, h, "NEO4J_dbms_memory_heap_max__size", h.neo4j_heap_max);
  read_neo4j_variable(c, h, "NEO4J_server_memory_heap_max__size", h.neo4j_heap_max);
  read_neo4j_variable(c, h, "NEO4J_dbms_memory_pagecache_size", h.neo4j_pagecache);
  read_neo4j_variable(c, h, "NEO4J_server_memory_pagecache_size", h.neo4j_pagecache);
}

// ---- PostgreSQL -----------------------------------------------------------

// "name=value" of a postgres setting; name dashes read as underscores, as
// postgres's ParseLongOption does.
void read_postgres_setting(RuntimeHints& h, const std::string& label, const std::string& shown,
                           std::string_view setting) {
  auto eq = setting.find('=');
  if (eq == std::string_view::npos) return;
  std::string name(setting.substr(0, eq));
  for (char& ch : name) ch = ch == '-' ? '_' : ch;
  std::optional<Bytes>* target = nullptr;
  if (name == "shared_buffers") target = &h.postgres_shared_buffers;
  else if (name == "effective_cache_size") target = &h.postgres_effective_cache_size;
  else return;
  auto value = parse_postgres_memory(setting.substr(eq + 1), k_postgres_page_bytes);
  if (value) *target = value;
  note(h, label, shown, value.has_value());
}

void read_postgres_words(RuntimeHints& h, const Source& s) {
  const auto& w = s.words;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (w[i] == "-c" && i + 1 < w.size()) {
      read_postgres_setting(h, s.label, "-c " + w[i + 1], w[i + 1]);
      ++i;
    } else if (w[i].starts_with("-c") && w[i].size() > 2 && w[i][2] != '-') {
      read_postgres_setting(h, s.label, w[i], std::string_view(w[i]).substr(2));
    } else if (w[i].starts_with("--")) {
      read_postgres_setting(h, s.label, w[i], std::string_view(w[i]).substr(2));
    }
  }
}

void read_postgres_variable(const Container& c, RuntimeHints& h, std::string_view name,
                            std::optional<Bytes>& target) {
  const std::string* text = env_value(c.environment, name);
  if (!text) return;
  auto value = parse_postgres_memory(*text, k_postgres_page_bytes);
  if (value) target = value;
  note(h, std::string(name), *text, value.has_value());
}

void read_postgres(const Container& c, RuntimeHints& h) {
  // Variables are written into postgresql.conf by the image's entrypoint;
  // command-line settings override the file, so they are read last.
  read_postgres_variable(c, h, "POSTGRES_SHARED_BUFFERS", h.postgres_shared_buffers);
  read_postgres_variable(c, h, "POSTGRESQL_SHARED_BUFFERS", h.postgres_shared_buffers);
  read_postgres_variable(c, h, "POSTGRES_EFFECTIVE_CACHE_SIZE", h.postgres_effective_cache_size);
  read_postgres_variable(c, h, "POSTGRESQL_EFFECTIVE_CACHE_SIZE", h.postgres_effective_cache_size);
  if (h.kind != RuntimeKind::postgres) return;
  for (const Source& s : env_sources(c.environment, {"POSTGRESQL_EXTRA_FLAGS"})) read_postgres_words(h, s);
  read_postgres_words(h, command_source(c));
}

// ---- Redis ----------------------------------------------------------------

// `--save` takes rules, one word or several up to the next flag ("3600 1 300
// 100", as redis-server joins them), or "" (snapshots off); a missing value
// (`--save` last, or followed by the next flag) is read as "" too.
void read_redis_save(RuntimeHints& h, const Source& s, std::size_t& i) {
  const auto& w = s.words;
  std::string value;
  while (i + 1 < w.size() && !w[i + 1].starts_with("--")) {
    const std::string& next = w[++i];
    value += (value.empty() || next.empty() ? "" : " ") + next;
  }
  h.redis_save = !value.empty();
  note(h, s.label, "--save \"" + value + "\"", true);
}

void read_redis_word_pair(RuntimeHints& h, const Source& s, const std::string& flag, const std::string& value) {
  if (flag == "--maxmemory-policy") {
    h.redis_maxmemory_policy = value;
    note(h, s.label, flag + " " + value, true);
  } else if (flag == "--appendonly") {
    bool ok = value == "yes" || value == "no";
    if (ok) h.redis_appendonly = value == "yes";
    note(h, s.label, flag + " " + value, ok);
  } else {
    auto bytes = parse_redis_size(value);
    if (bytes) h.redis_maxmemory = bytes;
    note(h, s.label, flag + " " + value, bytes.has_value());
  }
}

void read_redis_words(RuntimeHints& h, const Source& s) {
  const auto& w = s.words;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (w[i] == "--save") {
      read_redis_save(h, s, i);
      continue;
    }
    // A first argument that is not a flag is the config file (redis-server's usage).
    bool program = w[i] == "redis-server" || w[i] == "valkey-server" || w[i].ends_with("/redis-server") ||
                   w[i].ends_with("/valkey-server");
    if (program && i + 1 < w.size() && !w[i + 1].starts_with("-") && !w[i + 1].empty()) {
      h.redis_config_file = true;
      note(h, s.label, "config file " + w[i + 1] + " (its settings are not read)", true);
    }
    if (w[i] != "--maxmemory" && w[i] != "--maxmemory-policy" && w[i] != "--appendonly") continue;
    if (i + 1 >= w.size()) {
      note(h, s.label, w[i] + " without a value", false);
      continue;
    }
    read_redis_word_pair(h, s, w[i], w[i + 1]);
    ++i;
  }
}

// The command's words with list elements that are empty kept as "" (split_words
// drops them), so `["redis-server", "--save", ""]` reads as snapshots off.
Source redis_command_source(const Container& c) {
  Source s{"command", {}};
  for (const auto& element : c.command) {
    if (element.empty()) s.words.emplace_back();
    for (auto& word : split_words(element)) s.words.push_back(std::move(word));
  }
  return s;
}

void read_redis(const Container& c, RuntimeHints& h) {
  if (h.kind != RuntimeKind::redis) return;
  // The images append these variables to the command line they build.
  for (const Source& s : env_sources(c.environment, {"REDIS_ARGS", "REDIS_EXTRA_FLAGS"})) read_redis_words(h, s);
  read_redis_words(h, redis_command_source(c));
  for (const std::string& path : c.mount_paths) {
    std::string_view p = path;
    while (p.size() > 1 && p.ends_with('/')) p.remove_suffix(1);
    if (p == "/data" || p == "/bitnami/redis/data" || p == "/bitnami/redis" || p == "/bitnami") {
      h.redis_data_volume = true;
      note(h, "volumes", path + " (the data directory)", true);
    }
  }
}

// ---- Node.js --------------------------------------------------------------

void read_node_value(RuntimeHints& h, const std::string& label, const std::string& shown, std::string_view mib) {
  std::int64_t value = -1;
  auto [ptr, ec] = std::from_chars(mib.data(), mib.data() + mib.size(), value);
  bool ok = !mib.empty() && ec == std::errc() && ptr == mib.data() + mib.size() && value >= 0 &&
            value <= std::numeric_limits<std::int64_t>::max() / k_mib;
  if (ok) h.node_max_old_space = Bytes{value * k_mib};
  note(h, label, shown, ok);
}

void read_node_words(RuntimeHints& h, const Source& s) {
  const auto& w = s.words;
  for (std::size_t i = 0; i < w.size(); ++i) {
    // V8 reads '-' and '_' alike in flag names.
    std::string flag = w[i];
    for (char& ch : flag) ch = ch == '_' ? '-' : ch;
    constexpr std::string_view k_flag = "--max-old-space-size";
    if (flag == k_flag && i + 1 < w.size()) {
      read_node_value(h, s.label, w[i] + " " + w[i + 1], w[i + 1]);
      ++i;
    } else if (flag.starts_with(k_flag) && flag.size() > k_flag.size() && flag[k_flag.size()] == '=') {
      read_node_value(h, s.label, w[i], std::string_view(w[i]).substr(k_flag.size() + 1));
    }
  }
}

void read_node(const Container& c, RuntimeHints& h) {
  bool has_node_options = env_value(c.environment, "NODE_OPTIONS") != nullptr;
  if (h.kind != RuntimeKind::node && !has_node_options) return;
  // Node: options on the command line take precedence over NODE_OPTIONS.
  for (const Source& s : env_sources(c.environment, {"NODE_OPTIONS"})) read_node_words(h, s);
  if (h.kind == RuntimeKind::node) read_node_words(h, command_source(c));
}

RuntimeKind detect_kind(const Container& c) {
  if (RuntimeKind k = kind_from_image(c.image); k != RuntimeKind::unknown) return k;
  if (RuntimeKind k = kind_from_command(command_source(c).words); k != RuntimeKind::unknown) return k;
  return kind_from_environment(c.environment);
}

}  // namespace

RuntimeHints detect_runtime_hints(const Container& container) {
  RuntimeHints h;
  h.kind = detect_kind(container);
  read_jvm(container, h);
  read_neo4j(container, h);
  read_postgres(container, h);
  read_redis(container, h);
  read_node(container, h);
  bool jvm_flags = h.jvm_max_heap || h.jvm_initial_heap || h.jvm_max_ram_percentage;
  if (h.kind == RuntimeKind::unknown && jvm_flags) h.kind = RuntimeKind::jvm;
  if (h.kind == RuntimeKind::unknown && (h.neo4j_heap_max || h.neo4j_pagecache)) h.kind = RuntimeKind::neo4j;
  if (h.kind == RuntimeKind::unknown && h.node_max_old_space) h.kind = RuntimeKind::node;
  return h;
}

void detect_runtime_hints(Stack& stack) {
  for (Service& service : stack.services) {
    for (Container& container : service.containers) container.hints = detect_runtime_hints(container);
  }
  mark_redis_usage(stack);
  for (Service& service : stack.services) {
    service.hints = RuntimeHints{};
    for (const Container& container : service.containers) {
      if (container.role == ContainerRole::app && !container.hints.empty()) {
        service.hints = container.hints;
        break;
      }
    }
  }
}

}  // namespace stackfit
