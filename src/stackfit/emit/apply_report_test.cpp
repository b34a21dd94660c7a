// apply's reports: the renamed-service check, the dry-run table and the
// Compose -> Kubernetes translation, on a stack read by the Compose loader.
#include "stackfit/emit/apply_report.hpp"

#include <gtest/gtest.h>

#include "stackfit/load/compose/compose_loader.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

Stack load(testing::TempDir &dir) {
  ComposeOptions o;
  o.files.push_back(dir.write(
      "compose.yml",
      "services:\n  api:\n    image: x\n    mem_limit: 1g\n    cpus: 2\n"
      "  db:\n    image: y\n    deploy: {resources: {reservations: {memory: "
      "256m, cpus: '0.5'}}}\n"));
  auto s = load_compose(o);
  EXPECT_TRUE(s) << s.error().message;
  return s ? *s : Stack{};
}

ResourceTarget target(std::string name, std::optional<std::int64_t> limit_mib) {
  ResourceTarget t;
  t.service = std::move(name);
  t.kind = "service";
  if (limit_mib)
    t.resources.memory_limit = Bytes{*limit_mib * k_mib};
  return t;
}

TEST(ApplyReport, RenamedServiceIsOneLine) {
  testing::TempDir dir;
  Stack s = load(dir);
  EXPECT_TRUE(check_targets_in_stack(s, {target("api", 1)}, "rec.json"));
  auto r = check_targets_in_stack(s, {target("api", 1), target("apii", 1)},
                                  "rec.json");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
  EXPECT_EQ(r.error().message,
            "rec.json: service \"apii\" is not in the stack (renamed or "
            "removed since it was recorded?); nothing written");
}

TEST(ApplyReport, DryRunShowsDeclaredAndTarget) {
  testing::TempDir dir;
  Stack s = load(dir);
  auto api = target("api", 512);
  api.resources.cpu_limit = Millicores{2000};
  api.knobs.push_back(
      {RuntimeKnob::redis_maxmemory, Bytes{384 * k_mib}, "allkeys-lru", ""});
  auto db = target("db", std::nullopt);
  db.replicas = 0;
  EXPECT_EQ(render_apply_dry_run(s, {api, db}),
            "SERVICE  MEMORY REQUEST  MEMORY LIMIT      CPU REQUEST  CPU LIMIT "
            " REPLICAS  RUNTIME\n"
            "------------------------------------------------------------------"
            "----------------------------------------------\n"
            "api      -               1 GiB -> 512 MiB  -            2 (=)     "
            " 1         redis_maxmemory=384 MiB allkeys-lru\n"
            "db       256 MiB         -                 0.5          -         "
            " 1 -> 0    -\n"
            "dry run: nothing written\n");
}

TEST(ApplyReport, ComposeAsKubernetesDefaultsRequestsToLimits) {
  testing::TempDir dir;
  Stack s = load(dir);
  EXPECT_EQ(render_compose_as_kubernetes(s, {target("db", 768)}),
            "# Kubernetes resources per Compose service (stackfit apply --to "
            "kubernetes)\n"
            "api:\n  resources:\n    requests:\n      memory: \"1Gi\"\n      "
            "cpu: \"2\"\n"
            "    limits:\n      memory: \"1Gi\"\n      cpu: \"2\"\n"
            "db:\n  resources:\n    requests:\n      memory: \"256Mi\"\n      "
            "cpu: \"500m\"\n"
            "    limits:\n      memory: \"768Mi\"\n");
}

} // namespace
} // namespace stackfit
