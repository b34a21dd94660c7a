// `stackfit plan` output: the verdict and ranked options for one machine, or
// the packing of a cluster. Table, Markdown and JSON (docs/plan-json.md).
#pragma once

#include <string>

#include "stackfit/emit/output_format.hpp"
#include "stackfit/plan/cluster_plan.hpp"
#include "stackfit/plan/fit_plan.hpp"

namespace stackfit {

inline constexpr const char* k_plan_schema = "stackfit.plan/1";

// csv is not offered for plans (a usage error in the command).
[[nodiscard]] std::string render_plan(const Plan& plan, OutputFormat format);
[[nodiscard]] std::string render_cluster_plan(const ClusterPlan& plan, OutputFormat format);

}  // namespace stackfit
