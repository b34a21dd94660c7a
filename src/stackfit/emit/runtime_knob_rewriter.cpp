#include "stackfit/emit/runtime_knob_rewriter.hpp"

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <string_view>

namespace stackfit {
namespace {

using Tokens = std::vector<std::string>;
using Edit = std::function<bool(Tokens&)>;

Tokens split_words(std::string_view text) {
  Tokens out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) ++i;
    std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n') ++i;
    if (i > start) out.emplace_back(text.substr(start, i - start));
  }
  return out;
}

std::string join_words(const Tokens& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

bool has_space(const std::string& word) { return word.find_first_of(" \t\n") != std::string::npos; }

// "-Xmx512m" -> "-Xmx<value>".
Edit joined(std::string prefix, std::string value) {
  return [prefix = std::move(prefix), value = std::move(value)](Tokens& words) {
    bool hit = false;
    for (std::string& w : words) {
      if (w.starts_with(prefix) && w.size() > prefix.size()) {
        w = prefix + value;
        hit = true;
      }
    }
    return hit;
  };
}

// "--flag value" or "--flag=value".
Edit pair(std::string flag, std::string value) {
  return [flag = std::move(flag), value = std::move(value)](Tokens& words) {
    bool hit = false;
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (words[i] == flag && i + 1 < words.size()) {
        words[i + 1] = value;
        hit = true;
      } else if (words[i].starts_with(flag + "=")) {
        words[i] = flag + "=" + value;
        hit = true;
      }
    }
    return hit;
  };
}

// PostgreSQL: "-c name=v", "-cname=v", "--name=v".
Edit postgres_setting(std::string name, std::string value) {
  return [name = std::move(name), value = std::move(value)](Tokens& words) {
    bool hit = false;
    const std::string assign = name + "=";
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (words[i] == "-c" && i + 1 < words.size() && words[i + 1].starts_with(assign)) {
        words[i + 1] = assign + value;
        hit = true;
      } else if (words[i].starts_with("-c" + assign)) {
        words[i] = "-c" + assign + value;
        hit = true;
      } else if (words[i].starts_with("--" + assign)) {
        words[i] = "--" + assign + value;
        hit = true;
      }
    }
    return hit;
  };
}

class Work {
 public:
  Work(const CommandParts& parts, const KeyValues& env) : m_parts(parts), m_env(env) {}

  [[nodiscard]] const std::string* env(std::string_view name) const {
    for (const auto& [k, v] : m_env) {
      if (k == name) return &v;
    }
    return nullptr;
  }

  void set_env(const std::string& name, const std::string& value) {
    auto put = [&](KeyValues& kv) {
      for (auto& [k, v] : kv) {
        if (k == name) {
          v = value;
          return;
        }
      }
      kv.emplace_back(name, value);
    };
    put(m_env);
    put(m_edits.environment);
  }

  // Applies `edit` to the words of the first variable of `names` it changes.
  bool edit_env(std::initializer_list<const char*> names, const Edit& edit, const std::string& what) {
    for (const char* name : names) {
      const std::string* value = env(name);
      if (value == nullptr) continue;
      Tokens words = split_words(*value);
      if (!edit(words)) continue;
      set_env(name, join_words(words));
      m_edits.notes.push_back(what + " in " + name);
      return true;
    }
    return false;
  }

  bool edit_command(const Edit& edit, const std::string& what) {
    if (edit_words(m_parts.entrypoint, edit)) {
      m_entrypoint_changed = true;
      m_edits.notes.push_back(what + " in entrypoint");
      return true;
    }
    if (edit_words(m_parts.command, edit)) {
      m_command_changed = true;
      m_edits.notes.push_back(what + " in command");
      return true;
    }
    return false;
  }

  // Adds `args` to the program's command line: inside a shell line that runs
  // `program`, else after the command, else as `program args...`.
  void append_args(const std::string& program, const Tokens& args, const std::string& what) {
    for (auto* words : {&m_parts.entrypoint, &m_parts.command}) {
      for (std::string& w : *words) {
        if (!has_space(w)) continue;
        Tokens inner = split_words(w);
        for (std::size_t i = 0; i < inner.size(); ++i) {
          if (inner[i] == program || inner[i].ends_with("/" + program)) {
            // Right after the program (and its config file, Redis' first
            // argument), so the flags stay before any `&&` or `;`.
            std::size_t at = i + 1;
            if (at < inner.size() && !inner[at].starts_with("-") && inner[at].find_first_of("&;|") == std::string::npos)
              ++at;
            inner.insert(inner.begin() + static_cast<std::ptrdiff_t>(at), args.begin(), args.end());
            w = join_words(inner);
            (words == &m_parts.entrypoint ? m_entrypoint_changed : m_command_changed) = true;
            m_edits.notes.push_back(what + " added to the shell command");
            return;
          }
        }
      }
    }
    if (m_parts.entrypoint.empty() && m_parts.command.empty()) m_parts.command.push_back(program);
    m_parts.command.insert(m_parts.command.end(), args.begin(), args.end());
    m_command_changed = true;
    m_edits.notes.push_back(what + " added to command");
  }

  void note(std::string text) { m_edits.notes.push_back(std::move(text)); }

  KnobEdits finish() {
    if (m_entrypoint_changed) m_edits.entrypoint = m_parts.entrypoint;
    if (m_command_changed) m_edits.command = m_parts.command;
    return std::move(m_edits);
  }

 private:
  static bool edit_words(Tokens& words, const Edit& edit) {
    if (edit(words)) return true;
    for (std::string& w : words) {
      if (!has_space(w)) continue;
      Tokens inner = split_words(w);
      if (edit(inner)) {
        w = join_words(inner);
        return true;
      }
    }
    return false;
  }

  CommandParts m_parts;
  KeyValues m_env;
  KnobEdits m_edits;
  bool m_entrypoint_changed = false;
  bool m_command_changed = false;
};

std::string lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

void jvm_heap(Work& w, Bytes value) {
  const std::string v = jvm_size(value);
  const std::string what = "-Xmx" + v;
  auto edit = joined("-Xmx", v);
  if (w.edit_env({"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "JAVA_OPTS", "JVM_OPTS", "CATALINA_OPTS", "LS_JAVA_OPTS",
                  "KAFKA_HEAP_OPTS", "_JAVA_OPTIONS"},
                 edit, what)) {
    return;
  }
  if (w.edit_command(edit, what)) return;
  for (const char* name : {"JAVA_TOOL_OPTIONS", "JAVA_OPTS"}) {
    if (const std::string* cur = w.env(name)) {
      w.set_env(name, cur->empty() ? what : *cur + " " + what);
      w.note(what + " added to " + name);
      return;
    }
  }
  w.set_env("JAVA_TOOL_OPTIONS", what);
  w.note(what + " in new JAVA_TOOL_OPTIONS");
}

void elasticsearch_heap(Work& w, Bytes value, const std::string& image) {
  const std::string v = jvm_size(value);
  std::string name = lowercase(image).find("opensearch") != std::string::npos ? "OPENSEARCH_JAVA_OPTS" : "ES_JAVA_OPTS";
  for (const char* candidate : {"ES_JAVA_OPTS", "OPENSEARCH_JAVA_OPTS"}) {
    if (w.env(candidate) != nullptr) {
      name = candidate;
      break;
    }
  }
  Tokens words = w.env(name) ? split_words(*w.env(name)) : Tokens{};
  bool has_xms = joined("-Xms", v)(words);
  bool has_xmx = joined("-Xmx", v)(words);
  if (!has_xms) words.push_back("-Xms" + v);
  if (!has_xmx) words.push_back("-Xmx" + v);
  w.set_env(name, join_words(words));
  w.note("-Xms" + v + " -Xmx" + v + " in " + name);
}

void neo4j_setting(Work& w, const std::string& setting, Bytes value) {
  // setting: "heap_max__size" or "pagecache_size", under server_memory_ (5.x)
  // or dbms_memory_ (4.x).
  const std::string v = jvm_size(value);
  std::string name = "NEO4J_server_memory_" + setting;
  if (w.env(name) == nullptr && w.env("NEO4J_dbms_memory_" + setting) != nullptr) {
    name = "NEO4J_dbms_memory_" + setting;
  }
  w.set_env(name, v);
  w.note(name + "=" + v);
  if (setting != "heap_max__size") return;
  for (const char* initial : {"NEO4J_server_memory_heap_initial__size", "NEO4J_dbms_memory_heap_initial__size"}) {
    if (w.env(initial) != nullptr) {
      w.set_env(initial, v);
      w.note(std::string(initial) + "=" + v + " (kept equal to the maximum)");
    }
  }
}

void postgres_setting(Work& w, const std::string& setting, Bytes value) {
  const std::string v = postgres_size(value);
  const std::string what = setting + "=" + v;
  std::string upper;
  for (char c : setting) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  for (const std::string& name : {"POSTGRES_" + upper, "POSTGRESQL_" + upper}) {
    if (w.env(name) != nullptr) {
      w.set_env(name, v);
      w.note(what + " in " + name);
      return;
    }
  }
  auto edit = postgres_setting(setting, v);
  if (w.edit_env({"POSTGRESQL_EXTRA_FLAGS"}, edit, what)) return;
  if (w.edit_command(edit, what)) return;
  w.append_args("postgres", {"-c", what}, "-c " + what);
}

void redis_maxmemory(Work& w, const RuntimeKnobValue& k) {
  const std::string v = redis_size(k.value);
  Tokens missing;
  auto set_flag = [&](const std::string& flag, const std::string& value) {
    auto edit = pair(flag, value);
    if (w.edit_env({"REDIS_ARGS", "REDIS_EXTRA_FLAGS"}, edit, flag + " " + value)) return;
    if (w.edit_command(edit, flag + " " + value)) return;
    missing.push_back(flag);
    missing.push_back(value);
  };
  set_flag("--maxmemory", v);
  if (!k.policy.empty()) set_flag("--maxmemory-policy", k.policy);
  if (!missing.empty()) w.append_args("redis-server", missing, join_words(missing));
}

void node_old_space(Work& w, Bytes value) {
  const std::string v = node_mib(value);
  const std::string what = "--max-old-space-size=" + v;
  auto edit = pair("--max-old-space-size", v);
  if (w.edit_env({"NODE_OPTIONS"}, edit, what)) return;
  if (w.edit_command(edit, what)) return;
  const std::string* cur = w.env("NODE_OPTIONS");
  w.set_env("NODE_OPTIONS", cur && !cur->empty() ? *cur + " " + what : what);
  w.note(what + " in NODE_OPTIONS");
}

std::string with_unit(Bytes b, std::initializer_list<std::pair<std::int64_t, const char*>> units,
                      const char* smallest_suffix, std::int64_t smallest) {
  for (auto [size, suffix] : units) {
    if (b.count >= size && b.count % size == 0) return std::to_string(b.count / size) + suffix;
  }
  std::int64_t n = b.count / smallest;
  return std::to_string(n < 1 ? 1 : n) + smallest_suffix;
}

}  // namespace

std::string jvm_size(Bytes b) { return with_unit(b, {{k_gib, "g"}, {k_mib, "m"}, {k_kib, "k"}}, "k", k_kib); }
std::string redis_size(Bytes b) { return with_unit(b, {{k_gib, "gb"}, {k_mib, "mb"}, {k_kib, "kb"}}, "", 1); }
std::string postgres_size(Bytes b) { return with_unit(b, {{k_gib, "GB"}, {k_mib, "MB"}}, "kB", k_kib); }
std::string node_mib(Bytes b) { return std::to_string(b.count / k_mib < 1 ? 1 : b.count / k_mib); }

CommandParts split_command(const Container& c) {
  auto split = c.command.begin() + static_cast<std::ptrdiff_t>(std::min(c.entrypoint_words, c.command.size()));
  return CommandParts{{c.command.begin(), split}, {split, c.command.end()}};
}

KnobEdits rewrite_runtime_knobs(const CommandParts& parts, const KeyValues& environment, const std::string& image,
                                const std::vector<RuntimeKnobValue>& knobs) {
  Work w(parts, environment);
  for (const RuntimeKnobValue& k : knobs) {
    switch (k.knob) {
      case RuntimeKnob::jvm_max_heap:
        jvm_heap(w, k.value);
        break;
      case RuntimeKnob::elasticsearch_heap:
        elasticsearch_heap(w, k.value, image);
        break;
      case RuntimeKnob::neo4j_heap:
        neo4j_setting(w, "heap_max__size", k.value);
        break;
      case RuntimeKnob::neo4j_pagecache:
        neo4j_setting(w, "pagecache_size", k.value);
        break;
      case RuntimeKnob::postgres_shared_buffers:
        postgres_setting(w, "shared_buffers", k.value);
        break;
      case RuntimeKnob::postgres_effective_cache_size:
        postgres_setting(w, "effective_cache_size", k.value);
        break;
      case RuntimeKnob::redis_maxmemory:
        redis_maxmemory(w, k);
        break;
      case RuntimeKnob::node_max_old_space:
        node_old_space(w, k.value);
        break;
    }
  }
  return w.finish();
}

}  // namespace stackfit
