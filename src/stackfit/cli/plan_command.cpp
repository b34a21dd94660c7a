// `stackfit plan`: will the stack fit this machine (or budget, or cluster), and
// if not, what to do — ranked options A tighten, B drop, C move and their
// combinations (plan/fit_plan), or the node packing of a cluster
// (plan/cluster_plan); with --startup, the start-up waves instead
// (cli/plan_startup). Exit 0 when the stack fits the target as it is, 1 when
// it does not (the options say what would), 2 on bad input.
#include <charconv>
#include <cmath>
#include <filesystem>

#include "stackfit/analyze/runtime_hint_detector.hpp"
#include "stackfit/cli/commands.hpp"
#include "stackfit/cli/plan_startup.hpp"
#include "stackfit/cli/stack_input.hpp"
#include "stackfit/emit/compose_override_writer.hpp"
#include "stackfit/emit/kustomize_patch_writer.hpp"
#include "stackfit/emit/plan_report.hpp"
#include "stackfit/load/kube/pod_resources.hpp"
#include "stackfit/load/recommend_json_reader.hpp"
#include "stackfit/plan/cluster_plan.hpp"
#include "stackfit/plan/container_split.hpp"
#include "stackfit/plan/fit_plan.hpp"
#include "stackfit/plan/kube_reserve.hpp"
#include "stackfit/plan/machine_catalog.hpp"
#include "stackfit/plan/startup_waves.hpp"
#include "stackfit/plan/target_resolution.hpp"
#include "stackfit/record/plan_history.hpp"
#include "stackfit/util/file_io.hpp"

namespace stackfit::cli {
namespace {

// "10%", "10" (percent) or "0.1"; 0 to 90%.
Expected<double> parse_headroom(const std::string& text) {
  std::string number = text;
  bool percent_sign = !number.empty() && number.back() == '%';
  if (percent_sign) number.pop_back();
  double value = -1;
  const char* end = number.data() + number.size();
  auto [ptr, ec] = std::from_chars(number.data(), end, value);
  if (number.empty() || ec != std::errc() || ptr != end || !std::isfinite(value) || value < 0) {
    return make_error(ErrorCode::usage, "--headroom: expected a percentage such as 10%, got \"" + text + "\"");
  }
  double fraction = (percent_sign || value >= 1) ? value / 100.0 : value;
  if (fraction > 0.9) return make_error(ErrorCode::usage, "--headroom: at most 90%, got \"" + text + "\"");
  return fraction;
}

class PlanCommand final : public Command {
 public:
  void configure(CLI::App& app) override {
    m_input.add_flags(app);
    auto* machine =
        app.add_option("--machine", m_machine,
                       "Machine from the catalog (see `stackfit machines`; also docker-desktop:6g, wsl2:32g)")
            ->type_name("NAME");
    auto* budget =
        app.add_option("--budget", m_budget, "Memory the stack must fit in (1Gi, 512Mi, 1g)")->type_name("SIZE");
    auto* node_type = app.add_option("--node-type", m_node_type, "Kubernetes node type from the catalog: pack the pods")
                          ->type_name("NAME");
    auto* nodes = app.add_option("--nodes", m_nodes, "With --node-type: the cluster's node count (default: find it)")
                      ->type_name("N")
                      ->check(CLI::PositiveNumber);
    machine->excludes(budget)->excludes(node_type);
    budget->excludes(node_type);
    nodes->needs(node_type);
    app.add_option("--reserve", m_reserve, "Memory kept by OS and engine (default: the machine's; 0 with --budget)")
        ->type_name("SIZE");
    app.add_option("--headroom", m_headroom, "Memory kept free after the reserve (default 10%)")->type_name("PERCENT");
    app.add_option("--from", m_from, "Recommendations: the output of `stackfit recommend --format json`")
        ->type_name("FILE");
    app.add_option("--catalog", m_catalog, "Extra machines from a YAML file")->type_name("FILE");
    app.add_option("--format", m_format, "table | markdown | json")->type_name("FORMAT");
    app.add_option("--option", m_option, "With --write: the option to write (A, B, A+B, A+C)")->type_name("ID");
    app.add_option("--write", m_write,
                   "Write the chosen option as a Compose override or, for -k, a kustomize patch (with --startup: the "
                   "waves)")
        ->type_name("FILE");
    app.add_flag("--force", m_force, "With --write: replace FILE if it exists");
    app.add_option("--keep", m_keep,
                   "The services that must run (comma-separated): with what they depend on, the core; "
                   "the plan says what it commits and what is left out")
        ->type_name("SERVICE[,SERVICE...]");
    app.add_flag("--no-infer", m_no_infer,
                 "Option B from stackfit.priority labels only: infer nothing about unlabelled services");
    auto* startup = app.add_flag("--startup", m_startup,
                                 "Plan the start-up instead: waves so start-up peaks stay within the target "
                                 "(docs/startup.md)");
    app.add_option("--db", m_startup_request.db,
                   "Store recorded with `stackfit record`: option A from the recorded use (with --startup: measured "
                   "start-up peaks)")
        ->type_name("FILE");
    app.add_option("--startup-window", m_startup_request.window,
                   "With --startup: how long after a container start counts as start-up (default 2m)")
        ->type_name("DURATION")
        ->needs(startup);
    startup->excludes(node_type);
  }

  Expected<int> run() override {
    auto format = parse_output_format(m_format);
    TRY(format);
    if (m_startup) return run_startup(*format);
    if (*format == OutputFormat::csv)
      return make_error(ErrorCode::usage, "--format: plan offers table, markdown or json");
    if (m_write.empty() != m_option.empty()) {
      return make_error(ErrorCode::usage, "--option and --write go together: --option ID --write FILE");
    }
    if (m_machine.empty() && m_budget.empty() && m_node_type.empty()) {
      return make_error(ErrorCode::usage, "plan needs a target: --machine NAME, --budget SIZE or --node-type NAME");
    }
    auto headroom = parse_headroom(m_headroom);
    TRY(headroom);
    MachineCatalog catalog = MachineCatalog::builtin();
    if (!m_catalog.empty()) {
      TRY(catalog.add_from_file(m_catalog));
    }
    std::vector<RecommendedTarget> recommendations;
    if (!m_from.empty() && !m_startup_request.db.empty()) {
      return make_error(ErrorCode::usage, "--from and --db: give one source of recommendations");
    }
    if (!m_from.empty()) {
      auto recs = read_recommend_json(m_from);
      TRY(recs);
      recommendations = std::move(recs->services);
    }
    if (!m_node_type.empty() && !m_startup_request.db.empty()) {
      return make_error(ErrorCode::usage,
                        "--db: cluster plans read recommendations with --from (stackfit recommend --db FILE --format "
                        "json > rec.json)");
    }
    if (!m_node_type.empty()) return run_cluster(catalog, *headroom, *format, recommendations);
    auto stack = m_input.load();
    TRY(stack);
    auto target = resolve_plan_target(catalog, stack->kind);
    TRY(target);
    // Inference and the core follow depends_on: a cycle is bad input.
    TRY(check_depends_on_acyclic(*stack));
    std::optional<CoreStack> core;
    if (!m_keep.empty()) {
      auto names = parse_keep_list(m_keep);
      TRY(names);
      auto c = core_stack(*stack, *names);
      TRY(c);
      core = std::move(*c);
    }
    if (!m_startup_request.db.empty()) {
      auto history = plan_history(m_startup_request.db, *stack);
      TRY(history);
      recommendations = std::move(history->recommendations);
    }
    PlanSettings settings{*headroom, !m_no_infer, core ? &*core : nullptr, ""};
    if (recommendations.empty() && stack->kind == StackKind::compose) settings.evidence_command = evidence_command();
    Plan plan = make_plan(*stack, *target, catalog, recommendations, settings);
    if (!m_write.empty()) {
      if (auto ok = write_option(*stack, plan.options, plan.target_name, plan.committed, recommendations); !ok)
        return tl::unexpected(ok.error());
    }
    if (!write_stdout(render_plan(plan, *format))) return make_error(ErrorCode::io, "stdout: write failed");
    return plan.fits ? 0 : 1;
  }

 private:
  // --startup: the waves for the stack on the target, if one was named.
  Expected<int> run_startup(OutputFormat format) {
    if (!m_option.empty() || !m_from.empty()) {
      return make_error(ErrorCode::usage, "--startup plans the start-up order; --option and --from are for fit plans");
    }
    MachineCatalog catalog = MachineCatalog::builtin();
    if (!m_catalog.empty()) {
      TRY(catalog.add_from_file(m_catalog));
    }
    auto stack = m_input.load();
    TRY(stack);
    std::optional<Budget> budget;
    if (!m_machine.empty() || !m_budget.empty()) {
      auto target = resolve_plan_target(catalog, stack->kind);
      TRY(target);
      budget = Budget{target->name, target->memory, target->reserve, target->cpus};
    }
    StartupRequest request = m_startup_request;
    request.format = format;
    request.write = m_write;
    request.force = m_force;
    return run_plan_startup(*stack, budget, request);
  }

  Expected<int> run_cluster(const MachineCatalog& catalog, double headroom, OutputFormat format,
                            const std::vector<RecommendedTarget>& recommendations) {
    auto node = catalog.resolve(m_node_type);
    if (!node) return make_error(node.error().code, "--node-type: " + node.error().message);
    auto stack = m_input.load();
    TRY(stack);
    ClusterSettings settings;
    settings.headroom = headroom;
    if (m_nodes > 0) settings.nodes = m_nodes;
    ClusterPlan plan = plan_cluster(*stack, *node, catalog, settings, recommendations);
    if (!m_write.empty()) {
      std::vector<PlanOption> options;
      for (const ClusterOption& o : plan.options) options.push_back(o.option);
      std::int64_t nodes = plan.goal_nodes > 0 ? plan.goal_nodes : plan.requested_nodes.value_or(plan.nodes_needed);
      std::string target = std::to_string(nodes) + " x " + plan.node_type;
      if (plan.goal_nodes == 0) options.clear();
      if (auto ok = write_option(*stack, options, target, plan.pod_memory, recommendations); !ok)
        return tl::unexpected(ok.error());
    }
    if (!write_stdout(render_cluster_plan(plan, format))) return make_error(ErrorCode::io, "stdout: write failed");
    return plan.fits ? 0 : 1;
  }

  // --option ID --write FILE: the option's changes as a Compose override
  // or, for Kubernetes manifests, a kustomize strategic-merge patch (pod
  // targets split per container, plan/container_split), through the same
  // writers as `apply`. Written before anything is printed, so an error
  // leaves neither a file nor output.
  Expected<void> write_option(const Stack& stack, const std::vector<PlanOption>& options,
                              const std::string& target_name, Bytes committed,
                              const std::vector<RecommendedTarget>& recommendations) const {
    const PlanOption* chosen = nullptr;
    std::string ids;
    for (const PlanOption& o : options) {
      ids += (ids.empty() ? "" : ", ") + o.id;
      if (o.id == m_option) chosen = &o;
    }
    if (options.empty()) {
      return make_error(ErrorCode::usage, "--option " + m_option + ": the stack fits " + target_name +
                                              " as it is; there is no option to write");
    }
    if (!chosen) {
      return make_error(ErrorCode::usage, "--option: no option \"" + m_option + "\" in this plan (it has " + ids + ")");
    }
    if (chosen->changes_meaning) {
      return make_error(ErrorCode::usage, "--option " + m_option +
                                              ": merges datastores, which changes what the stack means (clients and "
                                              "data must move); stackfit does not write it");
    }
    if (chosen->targets.empty()) {
      return make_error(ErrorCode::usage,
                        "--option " + m_option + ": changes the machine, not the stack; there is nothing to write");
    }
    std::string header = "Written by `stackfit plan --option " + chosen->id + "` for " + target_name + ": " +
                         chosen->title + ".\nCommitted memory " + format_human_bytes(committed) + " -> " +
                         format_human_bytes(chosen->committed) + "; risk " + to_string(chosen->risk) + ": " +
                         chosen->risk_reason + ".";
    Expected<std::string> text;
    if (stack.kind == StackKind::kubernetes) {
      text = kustomize_patch(stack, *chosen, header, recommendations);
    } else {
      std::vector<ServiceOverride> overrides;
      for (const ResourceTarget& t : chosen->targets) overrides.push_back(ServiceOverride{t, {}, std::nullopt});
      ComposeOverrideOptions compose;
      compose.header_comment = header;
      text = render_compose_override(stack, overrides, compose);
    }
    TRY(text);
    return write_file_atomic(m_write, *text, m_force ? Overwrite::yes : Overwrite::no);
  }

  // The option as `apply -k` writes targets: one strategic-merge document per
  // workload. Dropped workloads get replicas: 0 (Jobs: suspend: true).
  Expected<std::string> kustomize_patch(const Stack& stack, const PlanOption& chosen, std::string header,
                                        const std::vector<RecommendedTarget>& recommendations) const {
    PodFold fold = [](const std::vector<Container>& containers) {
      return kube::effective_pod_resources(containers, kube::PodLevel{});
    };
    auto targets = split_pod_targets(stack, chosen.targets, recommendations, fold);
    TRY(targets);
    if (!chosen.dropped.empty()) {
      header += "\nSwitched off (replicas: 0; a Job or CronJob is suspended): ";
      for (std::size_t i = 0; i < chosen.dropped.size(); ++i) header += (i ? ", " : "") + chosen.dropped[i];
      header += ".";
    }
    std::string name = std::filesystem::path(m_write).filename().string();
    header += "\nContainer values: the planned pod value shared per container (docs/plan.md).\n"
              "Add to the kustomization: patches: [{path: " + name + "}], then `kubectl kustomize DIR`.";
    return render_kustomize_patch(stack, *targets, header);
  }

  // What would give option A evidence: record, then plan with the store.
  std::string evidence_command() const {
    std::string flags = m_input.flags_text();
    std::string db = m_startup_request.db.empty() ? "stackfit.db" : m_startup_request.db;
    return "stackfit record " + (flags.empty() ? "" : flags + " ") + "--duration 1h --db " + db;
  }

  // --budget / --machine / --reserve (plan/target_resolution); plan always
  // needs one, checked in run().
  Expected<PlanTarget> resolve_plan_target(const MachineCatalog& catalog, StackKind kind) const {
    auto target = resolve_target(TargetRequest{m_budget, m_machine, m_reserve}, catalog, kind);
    TRY(target);
    const ResolvedTarget& t = **target;
    return PlanTarget{t.name, t.memory, t.reserve, t.cpus, t.price_per_hour_usd};
  }

  StackInput m_input;
  std::string m_machine;
  std::string m_budget;
  std::string m_node_type;
  std::int64_t m_nodes = 0;
  std::string m_reserve;
  std::string m_headroom = "10%";
  std::string m_from;
  std::string m_catalog;
  std::string m_format = "table";
  std::string m_option;
  std::string m_write;
  bool m_force = false;
  bool m_no_infer = false;
  std::string m_keep;
  bool m_startup = false;
  StartupRequest m_startup_request;
};

}  // namespace

std::unique_ptr<Command> make_plan_command() { return std::make_unique<PlanCommand>(); }

}  // namespace stackfit::cli
