// The Compose override writer, checked by loading the user's file plus the
// written override with stackfit's own Compose loader (which merges files the
// way `docker compose` does): the merged values must be the targets.
#include "stackfit/emit/compose_override_writer.hpp"

#include <gtest/gtest.h>

#include "stackfit/load/compose/compose_loader.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

class ComposeOverrideWriter : public ::testing::Test {
 protected:
  Stack load(const std::vector<std::string>& files) {
    ComposeOptions o;
    for (const auto& f : files) o.files.push_back(m_dir.path() + "/" + f);
    auto s = load_compose(o);
    EXPECT_TRUE(s) << s.error().message;
    return s ? *s : Stack{};
  }
  // Writes the override for `overrides` and returns the merged stack.
  Stack apply(const std::string& user, const std::vector<ServiceOverride>& overrides,
              ComposeOverrideOptions options = {}) {
    m_dir.write("compose.yml", user);
    Stack declared = load({"compose.yml"});
    auto text = render_compose_override(declared, overrides, options);
    EXPECT_TRUE(text) << text.error().message;
    m_text = text ? *text : "";
    m_dir.write("override.yml", m_text);
    return load({"compose.yml", "override.yml"});
  }
  static const Service& service(const Stack& s, const std::string& name) {
    for (const Service& sv : s.services) {
      if (sv.name == name) return sv;
    }
    static Service none;
    ADD_FAILURE() << "no service " << name;
    return none;
  }
  static ServiceOverride memory(const std::string& name, std::int64_t request_mib, std::int64_t limit_mib) {
    ServiceOverride o;
    o.target.service = name;
    o.target.kind = "service";
    if (request_mib) o.target.resources.memory_request = Bytes{request_mib * k_mib};
    if (limit_mib) o.target.resources.memory_limit = Bytes{limit_mib * k_mib};
    return o;
  }

  testing::TempDir m_dir;
  std::string m_text;
};

TEST_F(ComposeOverrideWriter, ServiceLevelStyleStaysServiceLevel) {
  auto o = memory("api", 256, 512);
  o.target.resources.cpu_limit = Millicores{500};
  Stack s = apply("services:\n  api:\n    image: nginx\n    mem_limit: 1g\n    cpus: 2\n", {o});
  EXPECT_EQ(m_text,
            "services:\n  api:\n    mem_limit: \"512m\"\n    "
            "mem_reservation: \"256m\"\n    cpus: \"0.5\"\n");
  const Service& api = service(s, "api");
  EXPECT_EQ(api.resources.memory_limit, Bytes{512 * k_mib});
  EXPECT_EQ(api.resources.memory_request, Bytes{256 * k_mib});
  EXPECT_EQ(api.resources.cpu_limit, Millicores{500});
}

TEST_F(ComposeOverrideWriter, DeployStyleStaysDeploy) {
  auto o = memory("api", 128, 384);
  o.target.resources.cpu_request = Millicores{250};
  o.target.replicas = 3;
  Stack s = apply(
      "services:\n  api:\n    image: nginx\n    deploy:\n      replicas: "
      "2\n      resources:\n        limits: {memory: 1g}\n",
      {o});
  EXPECT_EQ(m_text,
            "services:\n  api:\n    deploy:\n      resources:\n        "
            "limits:\n          memory: \"384m\"\n"
            "        reservations:\n          memory: \"128m\"\n       "
            "   cpus: \"0.25\"\n      replicas: 3\n");
  const Service& api = service(s, "api");
  EXPECT_EQ(api.resources.memory_limit, Bytes{384 * k_mib});
  EXPECT_EQ(api.resources.memory_request, Bytes{128 * k_mib});
  EXPECT_EQ(api.resources.cpu_request, Millicores{250});
  EXPECT_EQ(api.replicas, 3);
}

TEST_F(ComposeOverrideWriter, BothStylesWrittenWhenTheUserHasBoth) {
  // With only one of them changed, compose-go would refuse "distinct values".
  Stack s = apply(
      "services:\n  api:\n    image: nginx\n    mem_limit: 1g\n    "
      "deploy:\n      resources:\n        limits:\n"
      "          memory: 1g\n",
      {memory("api", 0, 300)});
  EXPECT_EQ(service(s, "api").resources.memory_limit, Bytes{300 * k_mib});
  EXPECT_NE(m_text.find("mem_limit"), std::string::npos);
  EXPECT_NE(m_text.find("deploy"), std::string::npos);
}

TEST_F(ComposeOverrideWriter, UndeclaredServiceFollowsTheStacksHabitOrTheForcedStyle) {
  const std::string user =
      "services:\n  a:\n    image: x\n    deploy: "
      "{resources: {limits: {memory: 1g}}}\n"
      "  b:\n    image: x\n    deploy: {resources: "
      "{limits: {memory: 1g}}}\n  c:\n    image: x\n";
  apply(user, {memory("c", 0, 64)});
  EXPECT_EQ(m_text,
            "services:\n  c:\n    deploy:\n      resources:\n        "
            "limits:\n          memory: \"64m\"\n");
  ComposeOverrideOptions forced;
  forced.style = ComposeResourceStyle::service_level;
  Stack s = apply(user, {memory("c", 0, 64), memory("a", 0, 32)}, forced);
  EXPECT_EQ(service(s, "c").resources.memory_limit, Bytes{64 * k_mib});
  EXPECT_EQ(service(s, "a").resources.memory_limit, Bytes{32 * k_mib});  // both keys for a: no conflict
}

TEST_F(ComposeOverrideWriter, CpuQuotaStaysCpuQuota) {
  ServiceOverride o;
  o.target.service = "api";
  o.target.resources.cpu_limit = Millicores{1500};
  Stack s = apply(
      "services:\n  api:\n    image: x\n    cpu_quota: 50000\n    "
      "cpu_period: 50000\n",
      {o});
  EXPECT_EQ(m_text, "services:\n  api:\n    cpu_period: 100000\n    cpu_quota: 150000\n");
  EXPECT_EQ(service(s, "api").resources.cpu_limit, Millicores{1500});
}

TEST_F(ComposeOverrideWriter, ScaleZeroSwitchesOff) {
  ServiceOverride o;
  o.target.service = "worker";
  o.target.replicas = 0;
  Stack s = apply("services:\n  worker:\n    image: x\n    scale: 2\n", {o});
  EXPECT_EQ(m_text, "services:\n  worker:\n    scale: 0\n");
  EXPECT_EQ(service(s, "worker").replicas, 0);
}

TEST_F(ComposeOverrideWriter, KnobsRewriteCommandAndEnvironmentKeepingTheRest) {
  auto redis = memory("cache", 0, 512);
  redis.target.knobs.push_back({RuntimeKnob::redis_maxmemory, Bytes{384 * k_mib}, "allkeys-lru", "75%"});
  auto pg = memory("db", 0, 0);
  pg.target.knobs.push_back({RuntimeKnob::postgres_shared_buffers, Bytes{128 * k_mib}, "", ""});
  auto jvm = memory("app", 0, 0);
  jvm.target.knobs.push_back({RuntimeKnob::jvm_max_heap, Bytes{768 * k_mib}, "", ""});
  Stack s = apply(
      "services:\n"
      "  cache:\n    image: redis:7\n    mem_limit: 1g\n    command: "
      "redis-server --appendonly yes --maxmemory 900mb\n"
      "  db:\n    image: postgres:15\n    entrypoint: [docker-entrypoint.sh]\n "
      "   command: [postgres, -c, max_connections=50]\n"
      "  app:\n    image: app\n    environment:\n      TZ: UTC\n      "
      "JAVA_OPTS: -Xms1g -Xmx2g -Dcost=$$5\n",
      {redis, pg, jvm});
  EXPECT_EQ(service(s, "cache").containers[0].command,
            (std::vector<std::string>{"redis-server", "--appendonly", "yes", "--maxmemory", "384mb",
                                      "--maxmemory-policy", "allkeys-lru"}));
  EXPECT_EQ(service(s, "db").containers[0].command,
            (std::vector<std::string>{"docker-entrypoint.sh", "postgres", "-c", "max_connections=50", "-c",
                                      "shared_buffers=128MB"}));
  EXPECT_EQ(m_text.find("entrypoint"),
            std::string::npos);  // only the command part changed
  const Container& app = service(s, "app").containers[0];
  EXPECT_EQ(app.environment, (KeyValues{{"TZ", "UTC"}, {"JAVA_OPTS", "-Xms1g -Xmx768m -Dcost=$5"}}));
}

TEST_F(ComposeOverrideWriter, DependsOnLongFormAndHealthcheckTimings) {
  ServiceOverride o;
  o.target.service = "api";
  o.depends_on = {{"db", "service_healthy", true}, {"cache", "", false}};
  Healthcheck h;
  h.interval_ms = 10'000;
  h.timeout_ms = 1'500;
  h.start_period_ms = 90'000;
  h.retries = 5;
  o.healthcheck = h;
  Stack s = apply(
      "services:\n  db:\n    image: x\n  cache:\n    image: x\n  api:\n  "
      "  image: x\n    depends_on: [db]\n"
      "    healthcheck:\n      test: [CMD, true]\n      interval: 30s\n",
      {o});
  const Service& api = service(s, "api");
  ASSERT_EQ(api.depends_on.size(), 2u);
  EXPECT_EQ(api.depends_on[0].service, "db");
  EXPECT_EQ(api.depends_on[0].condition, "service_healthy");
  EXPECT_EQ(api.depends_on[1].condition, "service_started");
  EXPECT_FALSE(api.depends_on[1].required);
  ASSERT_TRUE(api.healthcheck);
  EXPECT_EQ(api.healthcheck->interval_ms, 10'000);
  EXPECT_EQ(api.healthcheck->timeout_ms, 1'500);
  EXPECT_EQ(api.healthcheck->start_period_ms, 90'000);
  EXPECT_EQ(api.healthcheck->retries, 5);
  EXPECT_NE(m_text.find("start_period: \"1m30s\""), std::string::npos);
  EXPECT_NE(m_text.find("timeout: \"1s500ms\""), std::string::npos);
}

TEST_F(ComposeOverrideWriter, HostileServiceNamesAndValuesRoundTrip) {
  auto o = memory("yes", 0, 64);
  o.target.knobs.push_back({RuntimeKnob::node_max_old_space, Bytes{48 * k_mib}, "", ""});
  auto o2 = memory("1.5", 0, 32);
  Stack s = apply(
      "services:\n  \"yes\":\n    image: node\n    environment:\n  "
      "    NODE_OPTIONS: '--title=\"a: b #c\" ${X:-$$y}'\n"
      "  \"1.5\":\n    image: x\n",
      {o, o2});
  EXPECT_EQ(service(s, "yes").resources.memory_limit, Bytes{64 * k_mib});
  EXPECT_EQ(service(s, "1.5").resources.memory_limit, Bytes{32 * k_mib});
  EXPECT_EQ(service(s, "yes").containers[0].environment,
            (KeyValues{{"NODE_OPTIONS", "--title=\"a: b #c\" $y --max-old-space-size=48"}}));
}

TEST_F(ComposeOverrideWriter, UnknownServiceIsAnError) {
  m_dir.write("compose.yml", "services:\n  api:\n    image: x\n");
  Stack declared = load({"compose.yml"});
  auto text = render_compose_override(declared, {memory("apii", 0, 64)}, {});
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, ErrorCode::not_found);
  EXPECT_EQ(text.error().message, "service \"apii\" is not in the stack (" + m_dir.path() + "/compose.yml)");
}

TEST_F(ComposeOverrideWriter, HeaderCommentAndEmptyOverridesLeftOut) {
  ComposeOverrideOptions opt;
  opt.header_comment = "Written by stackfit apply\n\nfrom rec.json";
  ServiceOverride nothing;
  nothing.target.service = "api";
  Stack s = apply("services:\n  api:\n    image: x\n", {nothing}, opt);
  EXPECT_EQ(m_text, "# Written by stackfit apply\n#\n# from rec.json\nservices: {}\n");
}

TEST(ComposeDuration, Formats) {
  EXPECT_EQ(format_compose_duration(10'000), "10s");
  EXPECT_EQ(format_compose_duration(500), "500ms");
  EXPECT_EQ(format_compose_duration(3'725'000), "1h2m5s");
  EXPECT_EQ(format_compose_duration(0), "0s");
}

}  // namespace
}  // namespace stackfit
