#include "stackfit/load/kube/pod_resources.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace stackfit::kube {
namespace {

constexpr std::int64_t k_mi = k_mib;

Container make(ContainerRole role, std::optional<std::int64_t> mem_req_mi, std::optional<std::int64_t> cpu_req_m,
               std::optional<std::int64_t> mem_lim_mi = std::nullopt,
               std::optional<std::int64_t> cpu_lim_m = std::nullopt) {
  Container c;
  c.role = role;
  if (mem_req_mi) c.resources.memory_request = Bytes{*mem_req_mi * k_mi};
  if (cpu_req_m) c.resources.cpu_request = Millicores{*cpu_req_m};
  if (mem_lim_mi) c.resources.memory_limit = Bytes{*mem_lim_mi * k_mi};
  if (cpu_lim_m) c.resources.cpu_limit = Millicores{*cpu_lim_m};
  return c;
}

std::int64_t mi(const std::optional<Bytes>& b) { return b ? b->count / k_mi : -1; }
std::int64_t milli(const std::optional<Millicores>& m) { return m ? m->count : -1; }

TEST(PodResources, AppContainersAreSummed) {
  Resources pod = effective_pod_resources(
      {make(ContainerRole::app, 100, 50, 200, 100), make(ContainerRole::app, 28, 25, 56, 50)}, {});
  EXPECT_EQ(mi(pod.memory_request), 128);
  EXPECT_EQ(milli(pod.cpu_request), 75);
  EXPECT_EQ(mi(pod.memory_limit), 256);
  EXPECT_EQ(milli(pod.cpu_limit), 150);
}

TEST(PodResources, NothingDeclaredStaysAbsentNotZero) {
  Resources pod = effective_pod_resources({make(ContainerRole::app, std::nullopt, std::nullopt)}, {});
  EXPECT_FALSE(pod.memory_request.has_value());
  EXPECT_FALSE(pod.cpu_request.has_value());
  EXPECT_FALSE(pod.memory_limit.has_value());
  EXPECT_FALSE(pod.cpu_limit.has_value());
}

TEST(PodResources, UndeclaredContainerAddsNothingToTheSum) {
  Resources pod = effective_pod_resources(
      {make(ContainerRole::app, 64, std::nullopt), make(ContainerRole::app, std::nullopt, 10)}, {});
  EXPECT_EQ(mi(pod.memory_request), 64);
  EXPECT_EQ(milli(pod.cpu_request), 10);
}

TEST(PodResources, LargestInitContainerWinsOverSmallerApps) {
  // Init containers run one at a time before the apps: max(300, 500) vs 250+200.
  Resources pod = effective_pod_resources({make(ContainerRole::init, 300, 100), make(ContainerRole::init, 500, 50),
                                           make(ContainerRole::app, 250, 100), make(ContainerRole::app, 200, 100)},
                                          {});
  EXPECT_EQ(mi(pod.memory_request), 500);
  EXPECT_EQ(milli(pod.cpu_request), 200);
}

TEST(PodResources, SidecarsAddToAppsAndToLaterInitContainers) {
  // KEP-753 example shape: init(100) ; sidecar(50) ; init(200) ; app(100).
  // init steps: 100, 50 (the sidecar itself), 200 + 50 = 250.
  // app side: 100 + 50 = 150. Pod = max(250, 150) = 250.
  Resources pod = effective_pod_resources({make(ContainerRole::init, 100, 100), make(ContainerRole::sidecar, 50, 50),
                                           make(ContainerRole::init, 200, 10), make(ContainerRole::app, 100, 300)},
                                          {});
  EXPECT_EQ(mi(pod.memory_request), 250);
  // cpu: steps 100, 50, 10 + 50 = 60; apps 300 + 50 = 350.
  EXPECT_EQ(milli(pod.cpu_request), 350);
}

TEST(PodResources, InitContainerBeforeSidecarDoesNotSeeIt) {
  // init(100) runs before the sidecar starts: step 100, not 150.
  Resources pod = effective_pod_resources(
      {make(ContainerRole::init, 100, std::nullopt), make(ContainerRole::sidecar, 50, std::nullopt),
       make(ContainerRole::app, 10, std::nullopt)},
      {});
  EXPECT_EQ(mi(pod.memory_request), 100);
}

TEST(PodResources, SeveralSidecarsAccumulate) {
  // sidecar 40, sidecar 30, init 20 -> steps 40, 70, 20 + 70 = 90;
  // apps 5 + 40 + 30 = 75. The init container's step wins.
  Resources pod = effective_pod_resources(
      {make(ContainerRole::sidecar, 40, std::nullopt), make(ContainerRole::sidecar, 30, std::nullopt),
       make(ContainerRole::init, 20, std::nullopt), make(ContainerRole::app, 5, std::nullopt)},
      {});
  EXPECT_EQ(mi(pod.memory_request), 90);
}

TEST(PodResources, LimitsFoldTheSameWay) {
  Resources pod = effective_pod_resources(
      {make(ContainerRole::init, std::nullopt, std::nullopt, 1024, 2000),
       make(ContainerRole::app, std::nullopt, std::nullopt, 256, 500),
       make(ContainerRole::app, std::nullopt, std::nullopt, std::nullopt, 250)},
      {});
  EXPECT_EQ(mi(pod.memory_limit), 1024);
  EXPECT_EQ(milli(pod.cpu_limit), 2000);
}

TEST(PodResources, OverheadAddsToRequestsAndToDeclaredLimitsOnly) {
  PodLevel level;
  level.overhead.memory = Bytes{120 * k_mi};
  level.overhead.cpu = Millicores{250};
  Resources pod = effective_pod_resources({make(ContainerRole::app, 100, std::nullopt, 200, std::nullopt)}, level);
  EXPECT_EQ(mi(pod.memory_request), 220);
  EXPECT_EQ(milli(pod.cpu_request), 250);  // absent request + overhead = overhead
  EXPECT_EQ(mi(pod.memory_limit), 320);
  EXPECT_FALSE(pod.cpu_limit.has_value());  // an unlimited pod stays unlimited
}

TEST(PodResources, PodLevelValuesReplaceTheAggregate) {
  PodLevel level;
  level.resources.memory_request = Bytes{1024 * k_mi};
  level.resources.cpu_limit = Millicores{4000};
  Resources pod = effective_pod_resources({make(ContainerRole::app, 100, 100, 200, 200)}, level);
  EXPECT_EQ(mi(pod.memory_request), 1024);
  EXPECT_EQ(milli(pod.cpu_request), 100);  // containers' request stays: it exists
  EXPECT_EQ(mi(pod.memory_limit), 200);
  EXPECT_EQ(milli(pod.cpu_limit), 4000);
}

TEST(PodResources, PodLevelLimitAloneDefaultsAMissingRequest) {
  PodLevel level;
  level.resources.memory_limit = Bytes{512 * k_mi};
  Resources pod = effective_pod_resources({make(ContainerRole::app, std::nullopt, 100)}, level);
  EXPECT_EQ(mi(pod.memory_request), 512);
  EXPECT_EQ(mi(pod.memory_limit), 512);
}

TEST(PodResources, SumsSaturateInsteadOfWrapping) {
  Container big;
  big.resources.memory_request = Bytes{std::numeric_limits<std::int64_t>::max() - 1};
  Resources pod = effective_pod_resources({big, big}, {});
  EXPECT_EQ(pod.memory_request->count, std::numeric_limits<std::int64_t>::max());
}

}  // namespace
}  // namespace stackfit::kube
