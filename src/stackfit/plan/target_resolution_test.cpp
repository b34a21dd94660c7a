#include "stackfit/plan/target_resolution.hpp"

#include <gtest/gtest.h>

#include "stackfit/plan/kube_reserve.hpp"

namespace stackfit {
namespace {

const MachineCatalog& catalog() {
  static const MachineCatalog c = MachineCatalog::builtin();
  return c;
}

std::string error_of(const TargetRequest& r, StackKind kind = StackKind::compose) {
  auto t = resolve_target(r, catalog(), kind);
  return t ? "" : t.error().message;
}

TEST(TargetResolution, NoneWithoutBudgetOrMachine) {
  auto t = resolve_target(TargetRequest{}, catalog(), StackKind::compose);
  ASSERT_TRUE(t);
  EXPECT_FALSE(*t);
}

TEST(TargetResolution, BudgetKeepsOnlyWhatReserveSays) {
  auto t = resolve_target(TargetRequest{"1Gi", "", ""}, catalog(), StackKind::compose);
  ASSERT_TRUE(t && *t);
  EXPECT_EQ((*t)->memory, Bytes{k_gib});
  EXPECT_EQ((*t)->reserve, Bytes{0});
  EXPECT_EQ((*t)->budget().available(), Bytes{k_gib});
  auto r = resolve_target(TargetRequest{"1Gi", "", "256Mi"}, catalog(), StackKind::compose);
  ASSERT_TRUE(r && *r);
  EXPECT_EQ((*r)->budget().available(), Bytes{768 * k_mib});
}

TEST(TargetResolution, MachineReserveDependsOnTheStackKind) {
  auto machine = catalog().resolve("t3.medium");
  ASSERT_TRUE(machine);
  auto compose = resolve_target(TargetRequest{"", "t3.medium", ""}, catalog(), StackKind::compose);
  auto kube = resolve_target(TargetRequest{"", "t3.medium", ""}, catalog(), StackKind::kubernetes);
  ASSERT_TRUE(compose && *compose && kube && *kube);
  EXPECT_EQ((*compose)->reserve, machine->os_reserve);
  EXPECT_EQ((*kube)->reserve, node_allocatable(*machine).reserved_memory);
  EXPECT_EQ((*kube)->price_per_hour_usd, machine->price_per_hour_usd);
  auto forced = resolve_target(TargetRequest{"", "t3.medium", "1Gi"}, catalog(), StackKind::kubernetes);
  ASSERT_TRUE(forced && *forced);
  EXPECT_EQ((*forced)->reserve, Bytes{k_gib});
}

TEST(TargetResolution, ErrorsNameTheFlag) {
  EXPECT_EQ(error_of({"1Gi", "", "2Gi"}),
            "--budget: 1 GiB is not above the 2 GiB reserve kept by OS and engine: nothing is left for containers");
  EXPECT_EQ(error_of({"lots", "", ""}).rfind("--budget: ", 0), 0u);
  EXPECT_EQ(error_of({"", "t3.micro", "x"}).rfind("--reserve: ", 0), 0u);
  EXPECT_EQ(error_of({"", "t3.mcro", ""}).rfind("--machine: unknown machine \"t3.mcro\" (nearest: t3.micro", 0), 0u);
  EXPECT_EQ(error_of({"", "t3.micro", "4Gi"}).rfind("--reserve: 4 GiB leaves nothing of the 1 GiB of t3.micro", 0), 0u);
  auto unknown = resolve_target(TargetRequest{"", "mainframe", ""}, catalog(), StackKind::compose);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace stackfit
