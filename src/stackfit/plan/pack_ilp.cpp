#include "stackfit/plan/pack_ilp.hpp"

#include "stackfit/plan/glpk_library.hpp"
#include "stackfit/util/clock.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>

namespace stackfit {
namespace {

struct ProblemDeleter {
  const GlpkApi* glp;
  void operator()(glp_prob* p) const { glp->delete_prob(p); }
};

// Coefficients in MiB / cores: GLPK works in doubles; these keep the
// magnitudes moderate.
double mib(Bytes b) { return static_cast<double>(b.count) / static_cast<double>(k_mib); }
double cores(Millicores m) { return static_cast<double>(m.count) / 1000.0; }

struct Matrix {
  std::vector<int> rows{0};  // GLPK arrays are 1-based
  std::vector<int> cols{0};
  std::vector<double> values{0};
  void add(int r, int c, double v) {
    rows.push_back(r);
    cols.push_back(c);
    values.push_back(v);
  }
};

}  // namespace

const char* to_string(IlpStatus s) {
  switch (s) {
    case IlpStatus::optimal: return "optimal";
    case IlpStatus::time_limit: return "time_limit";
    case IlpStatus::skipped: return "skipped";
    case IlpStatus::unavailable: return "unavailable";
  }
  return "skipped";
}

IlpResult solve_packing_ilp(const std::vector<PodSize>& input, NodeCapacity node, std::int64_t max_nodes,
                            const IlpLimits& limits) {
  IlpResult result;
  result.nodes = max_nodes;
  const auto n = static_cast<int>(input.size());
  const int k = static_cast<int>(std::min<std::int64_t>(max_nodes, n));
  if (n == 0) {
    result.status = IlpStatus::optimal;
    result.nodes = 0;
    return result;
  }
  if (static_cast<std::size_t>(n) * static_cast<std::size_t>(k) > limits.max_variables || k <= 0) return result;
  const GlpkApi* glp = glpk_api();
  if (glp == nullptr) {
    result.status = IlpStatus::unavailable;
    return result;
  }
  const std::int64_t start_ns = monotonic_now_ns();
  // Largest first, so "pod i only on nodes j <= i" keeps an optimal solution.
  std::vector<std::size_t> order(input.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return input[a].memory != input[b].memory ? input[a].memory > input[b].memory : input[a].cpu > input[b].cpu;
  });
  std::vector<PodSize> pods;
  pods.reserve(input.size());
  for (std::size_t i : order) pods.push_back(input[i]);
  glp->term_out(GLP_OFF);
  std::unique_ptr<glp_prob, ProblemDeleter> lp(glp->create_prob(), ProblemDeleter{glp});
  glp->set_obj_dir(lp.get(), GLP_MIN);
  // Columns: y_j (1..k), then x_ij.
  glp->add_cols(lp.get(), k + n * k);
  auto y = [](int j) { return 1 + j; };
  auto x = [&](int i, int j) { return 1 + k + i * k + j; };
  for (int j = 0; j < k; ++j) {
    glp->set_col_kind(lp.get(), y(j), GLP_BV);
    glp->set_obj_coef(lp.get(), y(j), 1.0);
  }
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < k; ++j) {
      glp->set_col_kind(lp.get(), x(i, j), GLP_BV);
      if (j > i) glp->set_col_bnds(lp.get(), x(i, j), GLP_FX, 0.0, 0.0);
    }
  }
  // Rows: n assignments, k memory, k CPU, k-1 symmetry, k pod counts (when limited).
  const bool limited = node.pods > 0;
  glp->add_rows(lp.get(), n + 2 * k + std::max(0, k - 1) + (limited ? k : 0));
  Matrix a;
  for (int i = 0; i < n; ++i) {
    glp->set_row_bnds(lp.get(), 1 + i, GLP_FX, 1.0, 1.0);
    for (int j = 0; j < k; ++j) a.add(1 + i, x(i, j), 1.0);
  }
  for (int j = 0; j < k; ++j) {
    int memory_row = 1 + n + j;
    int cpu_row = 1 + n + k + j;
    glp->set_row_bnds(lp.get(), memory_row, GLP_UP, 0.0, 0.0);
    glp->set_row_bnds(lp.get(), cpu_row, GLP_UP, 0.0, 0.0);
    a.add(memory_row, y(j), -mib(node.memory));
    a.add(cpu_row, y(j), -cores(node.cpu));
    for (int i = 0; i < n; ++i) {
      if (pods[i].memory.count > 0) a.add(memory_row, x(i, j), mib(pods[i].memory));
      if (pods[i].cpu.count > 0) a.add(cpu_row, x(i, j), cores(pods[i].cpu));
    }
  }
  for (int j = 0; j + 1 < k; ++j) {
    int row = 1 + n + 2 * k + j;
    glp->set_row_bnds(lp.get(), row, GLP_LO, 0.0, 0.0);
    a.add(row, y(j), 1.0);
    a.add(row, y(j + 1), -1.0);
  }
  for (int j = 0; limited && j < k; ++j) {
    int row = 1 + n + 2 * k + std::max(0, k - 1) + j;
    glp->set_row_bnds(lp.get(), row, GLP_UP, 0.0, 0.0);
    a.add(row, y(j), -static_cast<double>(node.pods));
    for (int i = 0; i < n; ++i) a.add(row, x(i, j), 1.0);
  }
  glp->load_matrix(lp.get(), static_cast<int>(a.rows.size()) - 1, a.rows.data(), a.cols.data(), a.values.data());
  glp_iocp parm;
  glp->init_iocp(&parm);
  parm.presolve = GLP_ON;
  parm.msg_lev = GLP_MSG_OFF;
  parm.tm_lim = limits.time_limit_ms;
  int rc = glp->intopt(lp.get(), &parm);
  int status = glp->mip_status(lp.get());
  result.seconds = static_cast<double>(monotonic_now_ns() - start_ns) / 1e9;
  if (status == GLP_OPT || status == GLP_FEAS) {
    result.node_of.assign(input.size(), -1);
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < k; ++j) {
        if (glp->mip_col_val(lp.get(), x(i, j)) > 0.5) result.node_of[order[static_cast<std::size_t>(i)]] = j;
      }
    }
  }
  if (status == GLP_OPT && rc == 0) {
    result.status = IlpStatus::optimal;
    result.nodes = std::llround(glp->mip_obj_val(lp.get()));
  } else {
    result.status = IlpStatus::time_limit;
    if (status == GLP_FEAS) {
      result.nodes = std::min<std::int64_t>(max_nodes, std::llround(glp->mip_obj_val(lp.get())));
    }
  }
  return result;
}

}  // namespace stackfit
