#include "stackfit/emit/plan_report.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "stackfit/emit/json_fields.hpp"
#include "stackfit/util/text_table.hpp"

namespace stackfit {
namespace {

using Json = nlohmann::ordered_json;

std::string money(std::optional<double> usd) {
  if (!usd) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "$%.2f", *usd);
  return buf;
}

std::string percent(double fraction) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%g%%", fraction * 100);
  return buf;
}

Json optional_number(std::optional<double> v) { return v ? Json(*v) : Json(nullptr); }
Json optional_count(std::optional<std::int64_t> v) { return v ? Json(*v) : Json(nullptr); }

Json machine_json(const PlanMachine& m) {
  return Json{{"name", m.name},
              {"memory_bytes", m.memory.count},
              {"vcpus", static_cast<double>(m.cpus.count) / 1000.0},
              {"reserve_bytes", m.reserve.count},
              {"usable_bytes", m.usable.count},
              {"price_per_month", optional_number(m.price_per_month)},
              {"price_as_of", m.price_as_of.empty() ? Json(nullptr) : Json(m.price_as_of)},
              {"price_source", m.price_source},
              {"arch", m.arch.empty() ? Json(nullptr) : Json(m.arch)}};
}

// What a change does, in words: "switch off", "replicas 3 -> 1",
// "merge into redis", "memory 448 MiB -> 256 MiB".
std::string change_what(const PlanChange& c) {
  if (!c.merged_into.empty()) return "merge into " + c.merged_into;
  if (c.replicas_after) {
    return *c.replicas_after == 0 ? "switch off"
                                  : "replicas " + std::to_string(c.replicas_before.value_or(0)) + " -> " +
                                        std::to_string(*c.replicas_after);
  }
  return "memory " + format_human_bytes(c.committed_before) + " -> " + format_human_bytes(c.committed_after);
}

Json change_json(const PlanChange& c) {
  Json j{{"service", c.service},
         {"committed_before_bytes", c.committed_before.count},
         {"committed_after_bytes", c.committed_after.count}};
  j["memory"] = c.resources ? memory_json(*c.resources) : Json(nullptr);
  j["cpu"] = c.resources ? cpu_json(*c.resources) : Json(nullptr);
  j["replicas_before"] = optional_count(c.replicas_before);
  j["replicas_after"] = optional_count(c.replicas_after);
  j["what"] = change_what(c);
  j["reason"] = c.reason;
  j["inferred"] = c.inferred;
  j["confidence"] = optional_number(c.confidence);
  j["evidence"] = c.evidence;
  j["merged_into"] = c.merged_into.empty() ? Json(nullptr) : Json(c.merged_into);
  return j;
}

Json option_json(const PlanOption& o, std::size_t rank) {
  Json j{{"id", o.id},       {"rank", rank},     {"title", o.title}, {"fits", o.fits},
         {"committed_bytes", o.committed.count}, {"saved_bytes", o.saved.count}, {"usable_bytes", o.usable.count}};
  j["dropped"] = o.dropped;
  j["machine"] = o.machine ? machine_json(*o.machine) : Json(nullptr);
  Json candidates = Json::array();
  for (const PlanMachine& m : o.candidates) candidates.push_back(machine_json(m));
  j["candidates"] = candidates;
  j["risk"] = to_string(o.risk);
  j["risk_reason"] = o.risk_reason;
  j["changes_meaning"] = o.changes_meaning;
  Json changes = Json::array();
  for (const PlanChange& c : o.changes) changes.push_back(change_json(c));
  j["changes"] = changes;
  return j;
}

Json core_json(const PlanCore& c) {
  Json left = Json::array();
  for (const LeftOut& l : c.left_out) left.push_back(Json{{"service", l.service}, {"feature", l.feature}});
  return Json{{"kept", c.kept},
              {"services", c.services},
              {"committed_bytes", c.committed.count},
              {"fits", c.fits},
              {"left_out", left}};
}

std::string plan_json(const Plan& p) {
  Json j{{"schema", k_plan_schema}, {"mode", "machine"}};
  j["target"] = Json{{"name", p.target_name}, {"memory_bytes", p.memory.count}, {"reserve_bytes", p.reserve.count}};
  j["headroom_fraction"] = p.headroom;
  j["fits"] = p.fits;
  j["budget_bytes"] = p.budget.count;
  j["usable_bytes"] = p.usable.count;
  j["committed_bytes"] = p.committed.count;
  j["headroom_left_bytes"] = p.fits ? Json(p.headroom_left.count) : Json(nullptr);
  j["largest_addable_bytes"] = p.fits ? Json(p.largest_addable.count) : Json(nullptr);
  j["unbounded_services"] = p.unbounded;
  Json options = Json::array();
  for (std::size_t i = 0; i < p.options.size(); ++i) options.push_back(option_json(p.options[i], i + 1));
  j["options"] = options;
  j["smallest_fitting_machine"] = p.smallest_fitting ? machine_json(*p.smallest_fitting) : Json(nullptr);
  j["core"] = p.core ? core_json(*p.core) : Json(nullptr);
  j["notes"] = p.notes;
  return j.dump(2) + "\n";
}

std::string option_machine_cell(const PlanOption& o) {
  if (!o.machine) return "-";
  return o.machine->name + " " + money(o.machine->price_per_month) + "/mo";
}

std::string changes_text(const PlanOption& o) {
  std::string out;
  for (const PlanChange& c : o.changes) {
    out += "    " + c.service + ": " + change_what(c) + " (" + c.reason + ")\n";
    for (const std::string& e : c.evidence) out += "      evidence: " + e + "\n";
  }
  for (const PlanMachine& m : o.candidates) {
    out += "    " + m.name + ": " + format_human_bytes(m.memory) + ", " + format_human_cpu(m.cpus) + " vCPU, " +
           format_human_bytes(m.usable) + " usable, " + money(m.price_per_month) + "/month" +
           (m.price_as_of.empty() ? "" : " (list price as of " + m.price_as_of + ")") +
           (m.arch.empty() ? "" : ", " + m.arch + " images needed") + "\n";
  }
  return out;
}

TextTable options_table(const Plan& p) {
  TextTable t({"#", "OPTION", "FITS", "COMMITTED", "SAVED", "MACHINE", "RISK", "WHAT"},
              {Align::right, Align::left, Align::left, Align::right, Align::right, Align::left, Align::left,
               Align::left});
  for (std::size_t i = 0; i < p.options.size(); ++i) {
    const PlanOption& o = p.options[i];
    t.add_row({std::to_string(i + 1), o.id, o.fits ? "yes" : "no", format_human_bytes(o.committed),
               format_human_bytes(o.saved), option_machine_cell(o), to_string(o.risk), o.title});
  }
  return t;
}

std::string header(const Plan& p) {
  std::string out = "Target: " + p.target_name + ": " + format_human_bytes(p.memory) + ", " +
                    format_human_bytes(p.reserve) + " kept by OS/engine, " + format_human_bytes(p.usable) +
                    " usable with " + percent(p.headroom) + " headroom\n";
  out += "Committed: " + format_human_bytes(p.committed) + " -> ";
  if (p.fits) {
    out += "fits, " + format_human_bytes(p.headroom_left) + " left; the largest service that could still be added: " +
           format_human_bytes(p.largest_addable) + "\n";
  } else {
    out += "does NOT fit: " + format_human_bytes(p.committed - p.usable) + " short\n";
  }
  if (!p.unbounded.empty()) {
    out += "Note: " + std::to_string(p.unbounded.size()) + " service(s) declare no memory limit and count as their request or 0 B\n";
  }
  return out;
}

// --keep: the core, what it commits and what leaving the rest out costs.
std::string core_text(const PlanCore& c, Bytes usable) {
  std::string out = "\nCore (--keep and what it depends on): ";
  for (std::size_t i = 0; i < c.services.size(); ++i) out += (i ? ", " : "") + c.services[i];
  out += "\n  commits " + format_human_bytes(c.committed) + ": " +
         (c.fits ? "fits, " + format_human_bytes(usable - c.committed) + " left"
                 : "does NOT fit, " + format_human_bytes(c.committed - usable) + " short") +
         "\n";
  if (c.left_out.empty()) return out + "  nothing is left out\n";
  out += "  left out, and what that costs:\n";
  for (const LeftOut& l : c.left_out) out += "    " + l.service + ": " + l.feature + "\n";
  return out;
}

std::string plan_text(const Plan& p, bool markdown) {
  std::string out = header(p);
  if (markdown) out = "**stackfit plan**\n\n" + out + "\n";
  if (!p.options.empty()) {
    out += "\n" + (markdown ? options_table(p).to_markdown() : options_table(p).to_text());
    if (!markdown) {
      for (std::size_t i = 0; i < p.options.size(); ++i) {
        const PlanOption& o = p.options[i];
        out += "\n" + o.id + " (" + o.title + "): risk " + to_string(o.risk) + ", " + o.risk_reason + "\n" +
               changes_text(o);
      }
    }
  }
  if (p.core) out += core_text(*p.core, p.usable);
  for (const std::string& note : p.notes) out += "\n" + note + "\n";
  return out;
}

// ---- cluster ----------------------------------------------------------------

// A cluster option: the machine option's fields, plus the node count.
Json cluster_option_json(const ClusterPlan& c, const ClusterOption& co, std::size_t rank) {
  Json o = option_json(co.option, rank);
  o["nodes"] = co.nodes;
  o["price_per_month_total"] = optional_number(co.price_per_month);
  if (co.option.id == "C") {
    Json candidates = Json::array();
    for (const NodeTypeFit& f : c.node_types) {
      Json m = machine_json(f.machine);
      m["nodes"] = f.nodes;
      m["price_per_month_total"] = optional_number(f.price_per_month);
      candidates.push_back(m);
    }
    o["candidates"] = candidates;
  } else {
    o["nodes_before"] = c.nodes_needed;
    o["ffd_nodes"] = co.ffd_nodes;
    o["lower_bound"] = co.lower_bound;
    o["proof"] = co.proof;
  }
  return o;
}

std::string cluster_json(const ClusterPlan& c) {
  std::int64_t nodes = c.requested_nodes.value_or(c.nodes_needed);
  Json j{{"schema", k_plan_schema}, {"mode", "cluster"}, {"fits", c.fits}};
  j["budget_bytes"] = saturating_mul(c.per_node.memory, nodes).count;
  j["committed_bytes"] = c.pod_memory.count;
  j["node_type"] = Json{{"name", c.node_type},
                        {"formula", to_string(c.allocatable.formula)},
                        {"reserved_memory_bytes", c.allocatable.reserved_memory.count},
                        {"reserved_millicores", c.allocatable.reserved_cpu.count},
                        {"allocatable_memory_bytes", c.allocatable.memory.count},
                        {"allocatable_millicores", c.allocatable.cpu.count}};
  j["daemonset_per_node"] = Json{{"memory_bytes", c.daemonset_memory.count}, {"millicores", c.daemonset_cpu.count}};
  j["per_node_for_pods"] = Json{{"memory_bytes", c.per_node.memory.count},
                                {"millicores", c.per_node.cpu.count},
                                {"pods", c.per_node.pods > 0 ? Json(c.per_node.pods) : Json(nullptr)}};
  j["pods"] = c.pods;
  j["pod_cpu_millicores"] = c.pod_cpu.count;
  j["requested_nodes"] = optional_count(c.requested_nodes);
  j["nodes_needed"] = c.nodes_needed;
  j["ffd_nodes"] = c.ffd_nodes;
  j["lower_bound"] = c.lower_bound;
  j["proof"] = c.proof;
  j["ilp"] = Json{{"status", to_string(c.ilp.status)}, {"nodes", c.ilp.nodes}, {"seconds", c.ilp.seconds}};
  j["fragmentation"] = Json{{"free_memory_bytes", c.fragmentation.free_memory.count},
                            {"free_millicores", c.fragmentation.free_cpu.count},
                            {"stranded_memory_bytes", c.fragmentation.stranded_memory.count},
                            {"stranded_millicores", c.fragmentation.stranded_cpu.count}};
  j["unplaceable"] = c.unplaceable;
  j["goal_nodes"] = c.goal_nodes > 0 ? Json(c.goal_nodes) : Json(nullptr);
  Json options = Json::array();
  for (std::size_t i = 0; i < c.options.size(); ++i) options.push_back(cluster_option_json(c, c.options[i], i + 1));
  j["options"] = options;
  return j.dump(2) + "\n";
}

// Options A, B, A+B: the same pods packed again after the change.
std::string cluster_options_text(const ClusterPlan& c, bool markdown) {
  std::vector<const ClusterOption*> stack_side;
  for (const ClusterOption& o : c.options) {
    if (o.option.id != "C") stack_side.push_back(&o);
  }
  if (stack_side.empty()) return "";
  std::string out = "\nOptions on " + c.node_type + " (goal: " + std::to_string(c.goal_nodes) + " node(s)):\n";
  TextTable t({"OPTION", "FITS", "NODES", "REQUESTS", "SAVED", "PER MONTH", "RISK", "WHAT"},
              {Align::left, Align::left, Align::right, Align::right, Align::right, Align::right, Align::left,
               Align::left});
  for (const ClusterOption* o : stack_side) {
    t.add_row({o->option.id, o->option.fits ? "yes" : "no",
               std::to_string(o->nodes) + " (was " + std::to_string(c.nodes_needed) + ")",
               format_human_bytes(o->option.committed), format_human_bytes(o->option.saved), money(o->price_per_month),
               to_string(o->option.risk), o->option.title});
  }
  out += markdown ? t.to_markdown() : t.to_text();
  for (const ClusterOption* o : stack_side) {
    out += "With " + o->option.id + " the stack " + (o->nodes < c.nodes_needed ? "fits on " : "needs ") +
           std::to_string(o->nodes) + " node(s) instead of " + std::to_string(c.nodes_needed) + " (" +
           o->option.title + "; risk " + to_string(o->option.risk) + ", " + o->option.risk_reason + ")\n";
    if (!markdown) out += changes_text(o->option);
  }
  return out;
}

std::string cluster_text(const ClusterPlan& c, bool markdown) {
  std::string out = markdown ? "**stackfit plan (cluster)**\n\n" : "";
  out += "Node type: " + c.node_type + ": allocatable " + format_human_bytes(c.allocatable.memory) + ", " +
         format_human_cpu(c.allocatable.cpu) + " CPU (kubelet reserve " +
         format_human_bytes(c.allocatable.reserved_memory) + " by the " + to_string(c.allocatable.formula) +
         " formula); DaemonSets " + format_human_bytes(c.daemonset_memory) + ", " +
         format_human_cpu(c.daemonset_cpu) + " CPU per node\n";
  out += "Pods: " + std::to_string(c.pods) + " requesting " + format_human_bytes(c.pod_memory) + ", " +
         format_human_cpu(c.pod_cpu) + " CPU; per node for them: " + format_human_bytes(c.per_node.memory) + ", " +
         format_human_cpu(c.per_node.cpu) + " CPU" +
         (c.per_node.pods > 0 ? ", " + std::to_string(c.per_node.pods) + " pods (EKS max pods less DaemonSets)" : "") +
         "\n";
  out += "Nodes needed: " + std::to_string(c.nodes_needed);
  if (c.proof == "lower_bound") {
    out += " (optimal: equals the lower bound)";
  } else if (c.proof == "ilp") {
    char buf[96];
    std::snprintf(buf, sizeof buf, " (optimal: proved by the ILP in %.2f s; first-fit decreasing: %lld)",
                  c.ilp.seconds, static_cast<long long>(c.ffd_nodes));
    out += buf;
  } else {
    out += " (heuristic, first-fit decreasing; lower bound " + std::to_string(c.lower_bound) + ", so at most " +
           std::to_string(c.nodes_needed - c.lower_bound) + " node(s) more than optimal" +
           (c.ilp.status == IlpStatus::time_limit    ? "; the ILP hit its time limit"
            : c.ilp.status == IlpStatus::unavailable ? "; GLPK could not be loaded for the ILP"
                                                     : "; too large for the ILP") + ")";
  }
  out += "\n";
  if (c.requested_nodes) {
    out += std::string("With ") + std::to_string(*c.requested_nodes) + " node(s): " +
           (c.fits ? "fits" : "does NOT fit") + "\n";
  }
  out += "Fragmentation: " + format_human_bytes(c.fragmentation.free_memory) + " and " +
         format_human_cpu(c.fragmentation.free_cpu) + " CPU free; stranded: " +
         format_human_bytes(c.fragmentation.stranded_memory) + " memory on CPU-full nodes, " +
         format_human_cpu(c.fragmentation.stranded_cpu) + " CPU on memory-full nodes\n";
  for (const std::string& w : c.unplaceable) out += "Unplaceable: a pod of " + w + " is larger than a node\n";
  out += cluster_options_text(c, markdown);
  if (!c.node_types.empty()) {
    TextTable t({"NODE TYPE", "NODES", "MEMORY", "VCPUS", "PER MONTH"},
                {Align::left, Align::right, Align::right, Align::right, Align::right});
    for (const NodeTypeFit& f : c.node_types) {
      t.add_row({f.machine.name, std::to_string(f.nodes), format_human_bytes(f.machine.memory),
                 format_human_cpu(f.machine.cpus), money(f.price_per_month)});
    }
    out += "\nCheapest node types for the whole set (list prices as of " + c.node_types.front().machine.price_as_of +
           "):\n" + (markdown ? t.to_markdown() : t.to_text());
  }
  return out;
}

}  // namespace

std::string render_plan(const Plan& plan, OutputFormat format) {
  if (format == OutputFormat::json) return plan_json(plan);
  return plan_text(plan, format == OutputFormat::markdown);
}

std::string render_cluster_plan(const ClusterPlan& plan, OutputFormat format) {
  if (format == OutputFormat::json) return cluster_json(plan);
  return cluster_text(plan, format == OutputFormat::markdown);
}

}  // namespace stackfit
