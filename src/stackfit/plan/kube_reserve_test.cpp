#include "stackfit/plan/kube_reserve.hpp"

#include <gtest/gtest.h>

#include "stackfit/plan/machine_catalog.hpp"

namespace stackfit {
namespace {

// Expected values computed by hand from the published tiers.
TEST(KubeReserve, GkeMemoryTiers) {
  EXPECT_EQ(gke_reserved_memory(Bytes{512 * k_mib}), Bytes{255 * k_mib});  // under 1 GiB: flat
  EXPECT_EQ(gke_reserved_memory(Bytes{k_gib}), Bytes{256 * k_mib});        // 25% of 1 GiB
  EXPECT_EQ(gke_reserved_memory(Bytes{4 * k_gib}), Bytes{k_gib});          // 25% of 4 GiB
  // 1 GiB + 20% of 4 GiB (858993459.2 bytes, rounded down)
  EXPECT_EQ(gke_reserved_memory(Bytes{8 * k_gib}), Bytes{std::int64_t{1073741824} + 858993459});
  // + 10% of 8 GiB
  EXPECT_EQ(gke_reserved_memory(Bytes{16 * k_gib}), Bytes{std::int64_t{1073741824} + 858993459 + 858993459});
  // + 6% of 16 GiB (1030792151.04)
  EXPECT_EQ(gke_reserved_memory(Bytes{32 * k_gib}), Bytes{std::int64_t{1073741824} + 858993459 + 858993459 + 1030792151});
  // 256 GiB: 1 + 0.8 + 0.8 + 6.72 GiB + 2% of 128 GiB (2.56 GiB) = 11.88 GiB
  EXPECT_NEAR(static_cast<double>(gke_reserved_memory(Bytes{256 * k_gib}).count) / k_gib, 11.88, 1e-6);
}

TEST(KubeReserve, EksMemoryIsElevenMibPerPodPlus255) {
  EXPECT_EQ(eks_reserved_memory(17), Bytes{(11 * 17 + 255) * k_mib});  // t3.medium: 442 MiB
  EXPECT_EQ(eks_reserved_memory(4), Bytes{299 * k_mib});               // t3.micro
  EXPECT_EQ(eks_reserved_memory(110), Bytes{1465 * k_mib});
}

TEST(KubeReserve, CpuTiers) {
  EXPECT_EQ(kube_reserved_cpu(Millicores{1000}), Millicores{60});
  EXPECT_EQ(kube_reserved_cpu(Millicores{2000}), Millicores{70});
  EXPECT_EQ(kube_reserved_cpu(Millicores{4000}), Millicores{80});
  EXPECT_EQ(kube_reserved_cpu(Millicores{8000}), Millicores{90});
  EXPECT_EQ(kube_reserved_cpu(Millicores{500}), Millicores{30});
}

TEST(KubeReserve, NodeAllocatablePicksTheFormulaByMaxPods) {
  MachineCatalog c = MachineCatalog::builtin();
  NodeAllocatable aws = node_allocatable(*c.find("t3.medium"));
  EXPECT_EQ(aws.formula, KubeReserveFormula::eks);
  EXPECT_EQ(aws.reserved_memory, Bytes{(442 + 100) * k_mib});
  EXPECT_EQ(aws.memory, Bytes{(4096 - 542) * k_mib});
  EXPECT_EQ(aws.cpu, Millicores{2000 - 70});
  NodeAllocatable gcp = node_allocatable(*c.find("e2-standard-4"));
  EXPECT_EQ(gcp.formula, KubeReserveFormula::gke);
  EXPECT_EQ(gcp.reserved_memory, Bytes{std::int64_t{1073741824} + 858993459 + 858993459 + 100 * k_mib});
  EXPECT_EQ(gcp.cpu, Millicores{4000 - 80});
}

}  // namespace
}  // namespace stackfit
