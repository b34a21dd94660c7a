#include "stackfit/analyze/stack_verify.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

Service service(const std::string& name, std::optional<std::int64_t> limit, std::optional<std::int64_t> reservation,
                std::optional<std::int64_t> cpu) {
  Service s;
  s.name = name;
  if (limit) s.resources.memory_limit = Bytes{*limit};
  if (reservation) s.resources.memory_request = Bytes{*reservation};
  if (cpu) s.resources.cpu_limit = Millicores{*cpu};
  return s;
}

ContainerInfo container(const std::string& service, std::int64_t number, const Resources& r) {
  ContainerInfo c;
  c.service = service;
  c.container_number = number;
  c.name = "p_" + service + "_" + std::to_string(number);
  c.id = c.name + "-id";
  c.project = "p";
  c.declared = r;
  return c;
}

Stack stack_of(std::vector<Service> services) {
  Stack s;
  s.name = "p";
  s.services = std::move(services);
  return s;
}

TEST(StackVerify, EverythingMatches) {
  Stack st = stack_of({service("db", 64 << 20, 32 << 20, 500), service("web", std::nullopt, std::nullopt, std::nullopt)});
  VerifyOutcome out = verify_stack(
      st, {container("web", 1, {}), container("db", 1, st.services[0].resources), container("web", 2, {})});
  EXPECT_TRUE(out.matches());
  ASSERT_EQ(out.checked.size(), 3u);
  EXPECT_EQ(out.checked[0].container, "p_db_1");
  EXPECT_EQ(out.checked[2].container, "p_web_2");
}

TEST(StackVerify, EachFieldIsComparedBothWays) {
  Stack st = stack_of({service("db", 64 << 20, 32 << 20, 500)});
  Resources running;
  running.memory_limit = Bytes{128 << 20};  // changed in the file
  running.cpu_limit = Millicores{500};      // same
  // reservation: declared, not set on the container
  VerifyOutcome out = verify_stack(st, {container("db", 1, running)});
  EXPECT_FALSE(out.matches());
  ASSERT_EQ(out.mismatches.size(), 2u);
  EXPECT_EQ(out.mismatches[0].field, VerifyField::memory_limit);
  EXPECT_EQ(out.mismatches[0].declared, 64 << 20);
  EXPECT_EQ(out.mismatches[0].running, 128 << 20);
  EXPECT_EQ(out.mismatches[0].container, "p_db_1");
  EXPECT_EQ(out.mismatches[1].field, VerifyField::memory_reservation);
  EXPECT_EQ(out.mismatches[1].declared, 32 << 20);
  EXPECT_EQ(out.mismatches[1].running, std::nullopt);

  // A limit set on the container that the file no longer declares.
  Stack bare = stack_of({service("db", std::nullopt, std::nullopt, std::nullopt)});
  Resources cpu_only;
  cpu_only.cpu_limit = Millicores{250};
  VerifyOutcome out2 = verify_stack(bare, {container("db", 1, cpu_only)});
  ASSERT_EQ(out2.mismatches.size(), 1u);
  EXPECT_EQ(out2.mismatches[0].field, VerifyField::cpu_limit);
  EXPECT_EQ(out2.mismatches[0].declared, std::nullopt);
  EXPECT_EQ(out2.mismatches[0].running, 250);
  EXPECT_STREQ(unit_of(VerifyField::cpu_limit), "millicores");
}

TEST(StackVerify, NotRunningAndUndeclared) {
  Stack st = stack_of({service("db", std::nullopt, std::nullopt, std::nullopt), service("cache", std::nullopt, std::nullopt, std::nullopt)});
  VerifyOutcome out = verify_stack(st, {container("db", 1, {}), container("old", 1, {})});
  EXPECT_FALSE(out.matches());
  EXPECT_TRUE(out.mismatches.empty());
  EXPECT_EQ(out.not_running, std::vector<std::string>{"cache"});
  ASSERT_EQ(out.undeclared.size(), 1u);
  EXPECT_EQ(out.undeclared[0].service, "old");
  EXPECT_EQ(out.undeclared[0].container, "p_old_1");
}

TEST(StackVerify, EmptyProjectWithNothingRunningMatches) {
  EXPECT_TRUE(verify_stack(stack_of({}), {}).matches());
  EXPECT_EQ(verify_stack(stack_of({service("a", 1, std::nullopt, std::nullopt)}), {}).not_running,
            std::vector<std::string>{"a"});
}

}  // namespace
}  // namespace stackfit
