#include "stackfit/plan/budget_fit.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

Service svc(std::string name, std::optional<Bytes> request, std::optional<Bytes> limit, std::int64_t replicas = 1) {
  Service s;
  s.name = std::move(name);
  s.resources.memory_request = request;
  s.resources.memory_limit = limit;
  s.replicas = replicas;
  return s;
}

Bytes mib(std::int64_t n) { return Bytes{n * k_mib}; }

Budget budget(std::int64_t memory_mib, std::int64_t reserve_mib, std::optional<Millicores> cpus = std::nullopt) {
  return Budget{"t3.small", mib(memory_mib), mib(reserve_mib), cpus};
}

std::vector<std::string> ids(const FitResult& r) {
  std::vector<std::string> out;
  for (const Finding& f : r.findings) out.push_back(f.rule_id);
  return out;
}

using Ids = std::vector<std::string>;

TEST(ComputeTotals, ReplicasMultiplyAndCommittedPrefersLimit) {
  Stack st;
  Service api = svc("api", mib(128), mib(256), 3);
  api.resources.cpu_request = Millicores{100};
  api.resources.cpu_limit = Millicores{500};
  st.services = {api, svc("worker", mib(200), std::nullopt), svc("cache", std::nullopt, std::nullopt)};
  StackTotals t = compute_totals(st);
  EXPECT_EQ(t.memory_request, mib(3 * 128 + 200));
  EXPECT_EQ(t.memory_limit, mib(3 * 256));
  EXPECT_EQ(t.memory_committed, mib(3 * 256 + 200));
  EXPECT_EQ(t.cpu_request, Millicores{300});
  EXPECT_EQ(t.cpu_limit, Millicores{1500});
  EXPECT_EQ(t.unbounded_memory, (std::vector<std::string>{"worker", "cache"}));
}

TEST(ComputeTotals, DaemonSetsCountOncePerNode) {
  Stack st;
  Service agent = svc("log-agent", mib(64), mib(128), 1);
  agent.replica_mode = ReplicaMode::per_node;
  agent.replicas = 7;  // ignored for per-node workloads
  st.services = {agent, svc("web", mib(100), mib(100), 2)};
  EXPECT_EQ(compute_totals(st, 1).memory_limit, mib(128 + 200));
  EXPECT_EQ(compute_totals(st, 4).memory_limit, mib(4 * 128 + 200));
  EXPECT_EQ(compute_totals(st, 4).memory_request, mib(4 * 64 + 200));
}

TEST(ComputeTotals, ScaledToZeroAndZeroLimit) {
  Stack st;
  st.services = {svc("off", mib(100), mib(100), 0), svc("zero", mib(50), Bytes{0})};
  StackTotals t = compute_totals(st);
  EXPECT_EQ(t.memory_limit, Bytes{0});
  EXPECT_EQ(t.memory_committed, mib(50));  // a 0 limit is no limit: the request is committed
  EXPECT_EQ(t.unbounded_memory, std::vector<std::string>{"zero"});
}

TEST(ComputeTotals, SaturatesInsteadOfWrapping) {
  Stack st;
  st.services = {svc("huge", std::nullopt, Bytes{std::int64_t{1} << 62}, 1000)};
  EXPECT_EQ(compute_totals(st).memory_limit.count, std::numeric_limits<std::int64_t>::max());
}

TEST(FitBudget, FitsWithHeadroom) {
  Stack st;
  st.services = {svc("api", mib(256), mib(512)), svc("db", mib(512), mib(768))};
  FitResult r = fit_budget(st, budget(2048, 384));
  EXPECT_TRUE(r.fits);
  EXPECT_EQ(r.budget.available(), mib(1664));
  EXPECT_EQ(r.headroom, mib(1664 - 1280));
  EXPECT_EQ(r.shortfall, Bytes{0});
  EXPECT_TRUE(r.findings.empty());
}

TEST(FitBudget, ExactFitIsAFit) {
  Stack st;
  st.services = {svc("api", std::nullopt, mib(1664))};
  FitResult r = fit_budget(st, budget(2048, 384));
  EXPECT_TRUE(r.fits);
  EXPECT_EQ(r.headroom, Bytes{0});
}

TEST(FitBudget, ExceededWithLimitsOvercommitWhenRequestsFit) {
  Stack st;
  st.services = {svc("api", mib(256), mib(1024)), svc("db", mib(512), mib(1024))};
  FitResult r = fit_budget(st, budget(2048, 384));
  EXPECT_FALSE(r.fits);
  EXPECT_EQ(r.shortfall, mib(2048 - 1664));
  EXPECT_EQ(r.headroom, Bytes{0});
  EXPECT_EQ(ids(r), (Ids{"budget-exceeded", "limits-overcommit"}));
  EXPECT_EQ(r.findings[0].message,
            "committed memory 2 GiB does not fit the 1.6 GiB available on t3.small (2 GiB less 384 MiB kept by OS "
            "and engine): 384 MiB short");
  EXPECT_EQ(r.findings[1].message,
            "memory limits total 2 GiB exceed the 1.6 GiB available on t3.small (2 GiB less 384 MiB kept by OS and "
            "engine) while the requests (768 MiB) fit: services can be OOM-killed when they peak together");
  EXPECT_EQ(r.findings[0].severity, Severity::failure);
  EXPECT_EQ(r.findings[1].severity, Severity::warning);
  EXPECT_EQ(r.findings[0].service, "");
}

TEST(FitBudget, RequestsExceedWhileLimitsFit) {
  Stack st;
  // The worker reserves 1.5 GiB but declares no limit; the api's limit is small.
  st.services = {svc("api", mib(128), mib(256)), svc("worker", mib(1536), std::nullopt)};
  Budget b{"budget 1.5 GiB", mib(1536), Bytes{0}, std::nullopt};
  FitResult r = fit_budget(st, b);
  EXPECT_FALSE(r.fits);
  EXPECT_EQ(ids(r), (Ids{"budget-exceeded", "requests-exceed-limits-budget"}));
  EXPECT_EQ(r.findings[1].message,
            "memory requests total 1.6 GiB exceed the 1.5 GiB available on budget 1.5 GiB although the limits "
            "(256 MiB) fit: requests without limits, or above them, reserve more than the limits");
}

TEST(FitBudget, CpuLimitsAboveMachineCpus) {
  Stack st;
  Service api = svc("api", mib(64), mib(128), 3);
  api.resources.cpu_limit = Millicores{1000};
  st.services = {api};
  FitResult r = fit_budget(st, budget(2048, 384, Millicores{2000}));
  EXPECT_TRUE(r.fits);
  EXPECT_EQ(ids(r), Ids{"cpu-exceeds-budget"});
  EXPECT_EQ(r.findings[0].message,
            "CPU limits total 3 exceed the 2 CPUs of t3.small: services are throttled when they are busy together");
  EXPECT_TRUE(fit_budget(st, budget(2048, 384)).findings.empty());  // no CPU figure, no CPU finding
}

TEST(FitBudget, UnboundedServicesAreListedButAddNothing) {
  Stack st;
  st.services = {svc("api", std::nullopt, mib(256)), svc("free", std::nullopt, std::nullopt)};
  FitResult r = fit_budget(st, budget(1024, 256));
  EXPECT_TRUE(r.fits);
  EXPECT_EQ(r.totals.memory_committed, mib(256));
  EXPECT_EQ(r.totals.unbounded_memory, std::vector<std::string>{"free"});
  EXPECT_EQ(ids(r), Ids{"budget-unbounded"});
  EXPECT_EQ(r.findings[0].message,
            "1 service declares neither memory limit nor request and counts as 0 B in this fit: free");
}

TEST(FitBudget, ServicesWithOnlyARequestAreCountedNotUnbounded) {
  Stack st;
  st.services = {svc("a", mib(64), std::nullopt), svc("b", std::nullopt, std::nullopt),
                 svc("c", std::nullopt, std::nullopt), svc("off", std::nullopt, std::nullopt, 0)};
  FitResult r = fit_budget(st, budget(1024, 256));
  EXPECT_EQ(r.totals.memory_committed, mib(64));
  ASSERT_EQ(ids(r), Ids{"budget-unbounded"});
  EXPECT_EQ(r.findings[0].message,
            "2 services declare neither memory limit nor request and count as 0 B in this fit: b, c");
}

TEST(FitBudget, ReserveLargerThanMemoryLeavesNothing) {
  Stack st;
  st.services = {svc("api", std::nullopt, mib(1))};
  FitResult r = fit_budget(st, budget(256, 512));
  EXPECT_EQ(r.budget.available(), Bytes{0});
  EXPECT_FALSE(r.fits);
  EXPECT_EQ(r.shortfall, mib(1));
}

}  // namespace
}  // namespace stackfit
