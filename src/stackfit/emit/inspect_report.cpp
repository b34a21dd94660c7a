#include "stackfit/emit/inspect_report.hpp"

#include <nlohmann/json.hpp>

#include "stackfit/emit/json_fields.hpp"
#include "stackfit/util/text_table.hpp"

namespace stackfit {
namespace {

using Json = nlohmann::ordered_json;

template <class Q, class F>
std::string cell(const std::optional<Q>& q, F format) {
  return q ? format(*q) : std::string("-");
}

std::string replicas_cell(const Service& s) {
  return s.replica_mode == ReplicaMode::per_node ? "1/node" : std::to_string(s.replicas);
}

std::string service_label(const Stack& stack, const Service& s) {
  if (stack.kind == StackKind::compose) return s.name;
  std::string label = s.kind + "/" + s.name;
  return s.namespace_.empty() ? label : s.namespace_ + "/" + label;
}

void append_phrase(std::string& out, const std::string& phrase) {
  if (!out.empty()) out += ", ";
  out += phrase;
}

TextTable services_table(const Stack& stack, const StackTotals& totals) {
  TextTable t({"SERVICE", "REPLICAS", "MEM REQUEST", "MEM LIMIT", "CPU REQUEST", "CPU LIMIT", "RUNTIME"},
              {Align::left, Align::right, Align::right, Align::right, Align::right, Align::right, Align::left});
  for (const Service& s : stack.services) {
    const Resources& r = s.resources;
    t.add_row({service_label(stack, s), replicas_cell(s), cell(r.memory_request, format_human_bytes),
               cell(r.memory_limit, format_human_bytes), cell(r.cpu_request, format_human_cpu),
               cell(r.cpu_limit, format_human_cpu), describe_runtime(s.hints)});
  }
  t.add_separator();
  t.add_row({"TOTAL (x replicas)", "", format_human_bytes(totals.memory_request),
             format_human_bytes(totals.memory_limit), format_human_cpu(totals.cpu_request),
             format_human_cpu(totals.cpu_limit), ""});
  return t;
}

// CSV is for scripts: raw bytes and millicores, empty where undeclared.
std::string render_csv(const Stack& stack) {
  auto raw = [](const auto& q) { return q ? std::to_string(q->count) : std::string(); };
  TextTable t({"service", "kind", "namespace", "replicas", "replica_mode", "memory_request_bytes",
               "memory_limit_bytes", "cpu_request_millicores", "cpu_limit_millicores", "runtime"},
              {});
  for (const Service& s : stack.services) {
    const Resources& r = s.resources;
    t.add_row({s.name, s.kind, s.namespace_, std::to_string(s.replicas),
               s.replica_mode == ReplicaMode::per_node ? "per_node" : "fixed", raw(r.memory_request),
               raw(r.memory_limit), raw(r.cpu_request), raw(r.cpu_limit), describe_runtime(s.hints)});
  }
  return t.to_csv();
}

std::string table_header(const Stack& stack) {
  std::string kind = stack.kind == StackKind::compose ? "compose" : "kubernetes";
  std::string out = stack.name.empty() ? kind : stack.name + " (" + kind + ")";
  out += ": " + std::to_string(stack.services.size()) + " service" + (stack.services.size() == 1 ? "" : "s");
  out += " from " + std::to_string(stack.source_files.size()) + " file" +
         (stack.source_files.size() == 1 ? "" : "s") + "\n\n";
  return out;
}

std::string table_footer(const Stack& stack, const StackTotals& totals) {
  std::string out = "\ncommitted memory (limit where set, else request, x replicas): " +
                    format_human_bytes(totals.memory_committed) + "\n";
  if (!totals.unbounded_memory.empty()) {
    out += "no memory limit: ";
    for (std::size_t i = 0; i < totals.unbounded_memory.size(); ++i) {
      out += (i ? ", " : "") + totals.unbounded_memory[i];
    }
    out += "\n";
  }
  for (const Service& s : stack.services) {
    if (s.replica_mode == ReplicaMode::per_node) {
      out += "per-node workloads counted once: " + s.name + "\n";
    }
  }
  return out;
}

Json container_json(const Container& c) {
  Json out;
  out["name"] = c.name;
  out["role"] = to_string(c.role);
  out["image"] = c.image;
  out["memory"] = memory_json(c.resources);
  out["cpu"] = cpu_json(c.resources);
  out["runtime"] = runtime_json(c.hints);
  return out;
}

Json service_json(const Stack& stack, const Service& s) {
  Json out;
  out["name"] = s.name;
  out["kind"] = s.kind;
  out["namespace"] = stack.kind == StackKind::kubernetes ? Json(s.namespace_) : Json(nullptr);
  out["declared_at"] = s.declared_at.to_string();
  out["image"] = s.image;
  out["replicas"] = s.replicas;
  out["replica_mode"] = s.replica_mode == ReplicaMode::per_node ? "per_node" : "fixed";
  out["priority"] = to_string(s.priority);
  out["profiles"] = s.profiles;
  out["memory"] = memory_json(s.resources);
  out["cpu"] = cpu_json(s.resources);
  out["runtime"] = runtime_json(s.hints);
  Json deps = Json::array();
  for (const Dependency& d : s.depends_on) deps.push_back({{"service", d.service}, {"condition", d.condition}});
  out["depends_on"] = deps;
  Json containers = Json::array();
  for (const Container& c : s.containers) containers.push_back(container_json(c));
  out["containers"] = containers;
  return out;
}

Json totals_json(const StackTotals& t) {
  Json out;
  out["memory"] = {{"request_bytes", t.memory_request.count},
                   {"limit_bytes", t.memory_limit.count},
                   {"committed_bytes", t.memory_committed.count}};
  out["cpu"] = {{"request_millicores", t.cpu_request.count}, {"limit_millicores", t.cpu_limit.count}};
  out["unbounded_memory"] = t.unbounded_memory;
  return out;
}

// Each service is dumped as soon as it is built, so a 10,000-workload stream
// never holds the whole document as a JSON tree (only as text).
std::string render_json(const Stack& stack, const StackTotals& totals) {
  Json head;
  head["schema_version"] = k_inspect_schema_version;
  head["kind"] = stack.kind == StackKind::compose ? "compose" : "kubernetes";
  head["project"] = stack.name;
  head["sources"] = stack.source_files;
  std::string out = head.dump(2);
  out.pop_back();  // reopen the object: "...\n}" -> "...\n"
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  out += ",\n  \"services\": [";
  for (std::size_t i = 0; i < stack.services.size(); ++i) {
    std::string item = service_json(stack, stack.services[i]).dump(2);
    // Indent the item by four spaces to sit inside "services".
    std::string indented = "\n    ";
    for (char c : item) {
      indented += c;
      if (c == '\n') indented += "    ";
    }
    out += indented;
    if (i + 1 < stack.services.size()) out += ",";
  }
  out += stack.services.empty() ? "],\n" : "\n  ],\n";
  Json tail;
  tail["totals"] = totals_json(totals);
  Json skipped = Json::object();
  for (const auto& [kind, count] : stack.skipped_kinds) skipped[kind] = count;
  tail["skipped_kinds"] = skipped;
  std::string rest = tail.dump(2);
  out += rest.substr(2);  // drop the "{\n" of the tail object, keep its closing brace
  return out + "\n";
}

}  // namespace

std::string describe_runtime(const RuntimeHints& h) {
  std::string out;
  if (h.jvm_max_heap) append_phrase(out, "heap " + format_human_bytes(*h.jvm_max_heap));
  if (h.jvm_max_ram_percentage) {
    append_phrase(out, "MaxRAMPercentage " + std::to_string(static_cast<int>(*h.jvm_max_ram_percentage)) + "%");
  }
  if (h.neo4j_heap_max) append_phrase(out, "heap " + format_human_bytes(*h.neo4j_heap_max));
  if (h.neo4j_pagecache) append_phrase(out, "pagecache " + format_human_bytes(*h.neo4j_pagecache));
  if (h.postgres_shared_buffers) {
    append_phrase(out, "shared_buffers " + format_human_bytes(*h.postgres_shared_buffers));
  }
  if (h.redis_maxmemory) append_phrase(out, "maxmemory " + format_human_bytes(*h.redis_maxmemory));
  if (!h.redis_maxmemory_policy.empty()) append_phrase(out, h.redis_maxmemory_policy);
  if (h.node_max_old_space) append_phrase(out, "old space " + format_human_bytes(*h.node_max_old_space));
  if (h.kind == RuntimeKind::unknown) return out;
  return out.empty() ? to_string(h.kind) : std::string(to_string(h.kind)) + " " + out;
}

std::string verbose_footer(const Stack& stack) {
  std::string out = "sources:";
  for (const std::string& f : stack.source_files) out += " " + f;
  out += "\n";
  if (!stack.skipped_kinds.empty()) {
    out += "read but not sized:";
    for (const auto& [kind, n] : stack.skipped_kinds) out += " " + std::to_string(n) + " " + kind;
    out += "\n";
  }
  return out;
}

std::string render_inspect(const Stack& stack, const StackTotals& totals, OutputFormat format,
                           Verbosity verbosity) {
  switch (format) {
    case OutputFormat::json: return render_json(stack, totals);
    case OutputFormat::markdown: return services_table(stack, totals).to_markdown();
    case OutputFormat::csv: return render_csv(stack);
    case OutputFormat::table: break;
  }
  std::string out = table_header(stack) + services_table(stack, totals).to_text() + table_footer(stack, totals);
  if (verbosity == Verbosity::verbose) out += verbose_footer(stack);
  return out;
}

}  // namespace stackfit
