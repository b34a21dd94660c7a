// load_compose on small projects written to a temporary folder: features,
// merge rules, profiles, project name, and exact errors for bad input.
#include "stackfit/load/compose/compose_loader.hpp"

#include <gtest/gtest.h>

#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

class ComposeLoader : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& text) { return m_dir.write(name, text); }
  std::string path(const std::string& name) const { return m_dir.path() + "/" + name; }

  Expected<Stack> load(std::vector<std::string> files, Environment env = {}, std::vector<std::string> profiles = {}) {
    ComposeOptions o;
    for (auto& f : files) o.files.push_back(path(f));
    o.environment = std::move(env);
    o.profiles = std::move(profiles);
    return load_compose(o);
  }
  Stack ok(std::vector<std::string> files, Environment env = {}, std::vector<std::string> profiles = {}) {
    auto s = load(std::move(files), std::move(env), std::move(profiles));
    EXPECT_TRUE(s) << s.error().message;
    return s ? *s : Stack{};
  }
  std::string error(std::vector<std::string> files, Environment env = {}) {
    auto s = load(std::move(files), std::move(env));
    if (s) return "<no error>";
    std::string msg = s.error().message;
    // Messages carry the temporary folder; tests compare the rest.
    for (std::size_t at; (at = msg.find(m_dir.path() + "/")) != std::string::npos;) {
      msg.erase(at, m_dir.path().size() + 1);
    }
    return msg;
  }

  testing::TempDir m_dir;
};

const Service& only(const Stack& s) {
  EXPECT_EQ(s.services.size(), 1u);
  return s.services.at(0);
}

TEST_F(ComposeLoader, ResourceFieldsAndYamlNumbers) {
  write("c.yml",
        "services:\n  web:\n    image: nginx\n    mem_limit: 512m\n    mem_reservation: 268435456\n"
        "    memswap_limit: -1\n    cpus: 1.5\n");
  Stack st = ok({"c.yml"});
  const Service& s = only(st);
  EXPECT_EQ(s.resources.memory_limit, Bytes{512 * k_mib});
  EXPECT_EQ(s.resources.memory_request, Bytes{256 * k_mib});
  EXPECT_EQ(s.resources.cpu_limit, Millicores{1500});
  EXPECT_EQ(s.resources.cpu_request, std::nullopt);
  EXPECT_EQ(s.kind, "service");
  EXPECT_EQ(s.declared_at.to_string(), path("c.yml") + ":2:3");
  ASSERT_EQ(s.containers.size(), 1u);
  EXPECT_EQ(s.containers[0].resources, s.resources);
  EXPECT_EQ(s.containers[0].image, "nginx");
}

TEST_F(ComposeLoader, DeployResourcesAndReplicas) {
  write("c.yml",
        "services:\n  api:\n    image: a\n    deploy:\n      replicas: 3\n      resources:\n"
        "        limits: {memory: 1G, cpus: '0.5'}\n        reservations: {memory: 256M, cpus: '0.25'}\n");
  Stack st = ok({"c.yml"});
  const Service& s = only(st);
  EXPECT_EQ(s.replicas, 3);
  EXPECT_EQ(s.resources, (Resources{Bytes{256 * k_mib}, Bytes{k_gib}, Millicores{250}, Millicores{500}}));
}

TEST_F(ComposeLoader, CpuQuotaOverPeriod) {
  write("c.yml", "services:\n  a: {image: x, cpu_quota: 50000}\n  b: {image: x, cpu_quota: 30000, cpu_period: 20000}\n");
  auto s = ok({"c.yml"});
  EXPECT_EQ(s.services[0].resources.cpu_limit, Millicores{500});
  EXPECT_EQ(s.services[1].resources.cpu_limit, Millicores{1500});
}

TEST_F(ComposeLoader, ScaleAndEqualLegacyAndDeployValuesAgree) {
  write("c.yml",
        "services:\n  w:\n    image: x\n    scale: 2\n    mem_limit: 1g\n    cpus: 2\n"
        "    deploy: {replicas: 2, resources: {limits: {memory: 1024M, cpus: '2.0'}}}\n");
  Stack st = ok({"c.yml"});
  const Service& s = only(st);
  EXPECT_EQ(s.replicas, 2);
  EXPECT_EQ(s.resources.memory_limit, Bytes{k_gib});
  EXPECT_EQ(s.resources.cpu_limit, Millicores{2000});
}

TEST_F(ComposeLoader, DistinctLegacyAndDeployValuesAreRefused) {
  write("m.yml", "services:\n  web:\n    image: x\n    mem_limit: 1g\n    deploy: {resources: {limits: {memory: 2g}}}\n");
  EXPECT_EQ(error({"m.yml"}),
            "m.yml:2:3: services.web: can't set distinct values on 'mem_limit' and 'deploy.resources.limits.memory'");
  // compose-go counts an unset deploy value as distinct when limits exist.
  write("u.yml", "services:\n  web:\n    image: x\n    mem_limit: 1g\n    deploy: {resources: {limits: {cpus: '1'}}}\n");
  EXPECT_EQ(error({"u.yml"}),
            "u.yml:2:3: services.web: can't set distinct values on 'mem_limit' and 'deploy.resources.limits.memory'");
  write("c.yml", "services:\n  web:\n    image: x\n    cpus: 1\n    deploy: {resources: {limits: {cpus: '2'}}}\n");
  EXPECT_EQ(error({"c.yml"}),
            "c.yml:2:3: services.web: can't set distinct values on 'cpus' and 'deploy.resources.limits.cpus'");
  write("r.yml", "services:\n  web:\n    image: x\n    mem_reservation: 1g\n    deploy: {resources: {reservations: {memory: 2g}}}\n");
  EXPECT_EQ(error({"r.yml"}), "r.yml:2:3: services.web: can't set distinct values on 'mem_reservation' and "
                              "'deploy.resources.reservations.memory'");
  write("s.yml", "services:\n  web:\n    image: x\n    scale: 2\n    deploy: {replicas: 3}\n");
  EXPECT_EQ(error({"s.yml"}), "s.yml:2:3: services.web: can't set distinct values on 'scale' and 'deploy.replicas'");
}

// compose-go loads mem_limit: -1 (and "-1") as -1; Docker refuses it at
// start. Like 0 it declares no amount; any other negative is refused.
TEST_F(ComposeLoader, MinusOneMemoryDeclaresNoAmount) {
  write("m.yml", "services:\n  web:\n    image: x\n    mem_limit: -1\n    mem_reservation: \"-1\"\n"
                 "    deploy: {resources: {limits: {memory: -1}}}\n");
  Stack st = ok({"m.yml"});
  const Service& s = only(st);
  EXPECT_EQ(s.resources.memory_limit, std::nullopt);
  EXPECT_EQ(s.resources.memory_request, std::nullopt);
  write("n.yml", "services:\n  web:\n    image: x\n    mem_limit: -2\n");
  EXPECT_EQ(error({"n.yml"}), "n.yml:4:16: services.web.mem_limit: invalid byte value \"-2\": negative");
  write("o.yml", "services:\n  web:\n    image: x\n    mem_limit: -1k\n");
  EXPECT_EQ(error({"o.yml"}), "o.yml:4:16: services.web.mem_limit: invalid byte value \"-1k\": negative");
}

// compose-go interpolates the whole file, x- extension blocks included: a
// lone `$` there is text, an unset ${VAR:?} is an error.
TEST_F(ComposeLoader, ExtensionBlocksAreInterpolatedLikeCompose) {
  write("x.yml", "x-build:\n  cmd: make -j$(nproc) && echo $1\nservices:\n  web:\n    image: x\n");
  Stack st = ok({"x.yml"});
  EXPECT_EQ(only(st).name, "web");
  write("y.yml", "x-build:\n  cmd: ${MAKEFLAGS:?set MAKEFLAGS}\nservices:\n  web:\n    image: x\n");
  EXPECT_EQ(error({"y.yml"}), "y.yml:2:8: required variable MAKEFLAGS is missing a value: set MAKEFLAGS");
}

TEST_F(ComposeLoader, WrongTypesAreLocated) {
  write("a.yml", "services:\n  web:\n    image: x\n    mem_limit: [1]\n");
  EXPECT_EQ(error({"a.yml"}), "a.yml:4:16: services.web.mem_limit: expected a byte value (string or number), got a list");
  write("b.yml", "services: 3\n");
  EXPECT_EQ(error({"b.yml"}), "b.yml:1:11: services: expected a mapping, got a scalar");
  write("c.yml", "services:\n  web:\n    image: x\n    deploy: \"x\"\n");
  EXPECT_EQ(error({"c.yml"}), "c.yml:4:13: services.web.deploy: expected a mapping, got a scalar");
  write("d.yml", "- a\n- b\n");
  EXPECT_EQ(error({"d.yml"}), "d.yml:1:1: top level: expected a mapping, got a list");
  write("e.yml", "services:\n  web: nginx\n");
  EXPECT_EQ(error({"e.yml"}), "e.yml:2:8: services.web: expected a mapping, got a scalar");
  write("f.yml", "services:\n  web:\n    image: x\n    deploy: {replicas: two}\n");
  EXPECT_EQ(error({"f.yml"}), "f.yml:4:24: services.web.deploy.replicas: expected an integer, got \"two\"");
  write("g.yml", "services:\n  web:\n    image: x\n    cpus: lots\n");
  EXPECT_EQ(error({"g.yml"}), "g.yml:4:11: services.web.cpus: invalid cpus value \"lots\"");
  write("h.yml", "services:\n  web:\n    image: x\n    healthcheck: {interval: 10}\n");
  EXPECT_EQ(error({"h.yml"}), "h.yml:4:29: services.web.healthcheck.interval: invalid duration \"10\"");
  write("i.yml", "services:\n  web:\n    build: .\n    deploy: {resources: {limits: {memory: -1g}}}\n");
  EXPECT_EQ(error({"i.yml"}),
            "i.yml:4:43: services.web.deploy.resources.limits.memory: invalid byte value \"-1g\": negative");
}

TEST_F(ComposeLoader, BrokenAndHostileFiles) {
  write("empty.yml", "");
  EXPECT_EQ(error({"empty.yml"}), "empty.yml: empty compose file");
  write("comments.yml", "# nothing\n");
  EXPECT_EQ(error({"comments.yml"}), "comments.yml: empty compose file");
  write("bad.yml", "services:\n  web:\n    image: [unclosed\n");
  EXPECT_EQ(error({"bad.yml"}).rfind("bad.yml:", 0), 0u);
  write("utf.yml", "services:\n  web:\n    image: caf\xe9\n");
  EXPECT_EQ(error({"utf.yml"}), "utf.yml:3:15: not valid UTF-8");
  EXPECT_EQ(error({"missing.yml"}), "missing.yml: No such file or directory");
  write("noimage.yml", "services:\n  web:\n    mem_limit: 1g\n");
  EXPECT_EQ(error({"noimage.yml"}), "noimage.yml:2:3: service \"web\" has neither an image nor a build context specified");
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'i'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [*" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) +
            ", *" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) +
            ", *" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) +
            ", *" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) + "]\n";
  }
  write("bomb.yml", bomb + "services: {}\n");
  EXPECT_EQ(error({"bomb.yml"}).rfind("bomb.yml:", 0), 0u);
}

TEST_F(ComposeLoader, UnknownAndExtensionFieldsAreIgnored) {
  write("c.yml",
        "version: '3.8'\nx-common: &c {restart: always}\nfrobnicate: 1\nservices:\n  web:\n    <<: *c\n"
        "    image: x\n    x-note: [anything]\n    future_field: {a: 1}\n");
  Stack st = ok({"c.yml"});
  const Service& s = only(st);
  EXPECT_EQ(s.image, "x");
}

TEST_F(ComposeLoader, EmptyServicesIsAnEmptyStack) {
  write("c.yml", "services: {}\n");
  EXPECT_TRUE(ok({"c.yml"}).services.empty());
}

TEST_F(ComposeLoader, InterpolationFromEnvironmentAndDotEnv) {
  write(".env", "MEM=256m\nTAG=1.0\nCPUS=0.5\n");
  write("c.yml", "services:\n  web:\n    image: app:${TAG}\n    mem_limit: $MEM\n    cpus: ${CPUS:-2}\n"
                 "    environment: {COST: $$5, N: '${UNSET}'}\n");
  Stack st = ok({"c.yml"}, Environment{{"TAG", "2.0"}});
  const Service& s = only(st);
  EXPECT_EQ(s.image, "app:2.0");  // the process environment wins over .env
  EXPECT_EQ(s.resources.memory_limit, Bytes{256 * k_mib});
  EXPECT_EQ(s.resources.cpu_limit, Millicores{500});
  EXPECT_EQ(s.containers[0].environment, (KeyValues{{"COST", "$5"}, {"N", ""}}));
}

TEST_F(ComposeLoader, RequiredVariableMissing) {
  write("c.yml", "services:\n  web:\n    image: \"${IMAGE:?set IMAGE}\"\n");
  EXPECT_EQ(error({"c.yml"}), "c.yml:3:12: required variable IMAGE is missing a value: set IMAGE");
}

TEST_F(ComposeLoader, EnvFileOptionsLaterWinsAndReplaceDotEnv) {
  write(".env", "MEM=1g\n");
  write("a.env", "MEM=128m\nB=x\n");
  write("b.env", "MEM=${B}\nMEM=64m\n");
  write("c.yml", "services:\n  web: {image: x, mem_limit: $MEM}\n");
  ComposeOptions o;
  o.files = {path("c.yml")};
  o.env_files = {path("a.env"), path("b.env")};
  auto s = load_compose(o);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->services[0].resources.memory_limit, Bytes{64 * k_mib});
}

TEST_F(ComposeLoader, EnvironmentLabelsCommandEntrypoint) {
  write("svc.env", "FROM_FILE=1\nBOTH=file\n");
  write("c.yml",
        "services:\n  web:\n    image: x\n    env_file: [svc.env, {path: none.env, required: false}]\n"
        "    environment: [BOTH=env, PASS, ABSENT, 'EQ=a=b']\n    labels: [a=1, b]\n"
        "    entrypoint: /bin/sh -c\n    command: [\"echo hi\"]\n");
  Stack st = ok({"c.yml"}, Environment{{"PASS", "through"}});
  const Service& s = only(st);
  EXPECT_EQ(s.containers[0].environment,
            (KeyValues{{"FROM_FILE", "1"}, {"BOTH", "env"}, {"PASS", "through"}, {"EQ", "a=b"}}));
  EXPECT_EQ(s.labels, (KeyValues{{"a", "1"}, {"b", ""}}));
  EXPECT_EQ(s.containers[0].command, (std::vector<std::string>{"/bin/sh", "-c", "echo hi"}));
}

TEST_F(ComposeLoader, MissingRequiredEnvFile) {
  write("c.yml", "services:\n  web:\n    image: x\n    env_file: gone.env\n");
  auto s = load({"c.yml"});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::not_found);
  EXPECT_EQ(error({"c.yml"}), "c.yml:4:15: services.web.env_file: env file gone.env not found");
}

TEST_F(ComposeLoader, DependsOnAndHealthcheck) {
  write("c.yml",
        "services:\n  db:\n    image: pg\n    healthcheck:\n      test: [CMD, pg_isready]\n      interval: 1m30s\n"
        "      timeout: 500ms\n      start_period: 10s\n      retries: 5\n"
        "  cache: {image: r, healthcheck: {disable: true}}\n"
        "  app:\n    image: a\n    depends_on:\n      db: {condition: service_healthy}\n"
        "      cache: {condition: service_started, required: false}\n"
        "  job: {image: j, depends_on: [db, cache], healthcheck: {test: [NONE]}}\n");
  auto s = ok({"c.yml"});
  ASSERT_EQ(s.services.size(), 4u);
  const Healthcheck& hc = *s.services[0].healthcheck;
  EXPECT_FALSE(hc.disabled);
  EXPECT_EQ(hc.interval_ms, 90000);
  EXPECT_EQ(hc.timeout_ms, 500);
  EXPECT_EQ(hc.start_period_ms, 10000);
  EXPECT_EQ(hc.retries, 5);
  EXPECT_TRUE(s.services[1].healthcheck->disabled);
  const auto& deps = s.services[2].depends_on;
  ASSERT_EQ(deps.size(), 2u);
  EXPECT_EQ(deps[0].service, "db");
  EXPECT_EQ(deps[0].condition, "service_healthy");
  EXPECT_TRUE(deps[0].required);
  EXPECT_FALSE(deps[1].required);
  EXPECT_EQ(s.services[3].depends_on.size(), 2u);
  EXPECT_EQ(s.services[3].depends_on[1].condition, "service_started");
  EXPECT_TRUE(s.services[3].healthcheck->disabled);
}

TEST_F(ComposeLoader, DependsOnErrors) {
  write("a.yml", "services:\n  app: {image: a, depends_on: [nope]}\n");
  EXPECT_EQ(error({"a.yml"}), "a.yml:2:32: service \"app\" depends on undefined service \"nope\"");
  write("b.yml", "services:\n  db: {image: d}\n  app: {image: a, depends_on: {db: {condition: started}}}\n");
  EXPECT_EQ(error({"b.yml"}), "b.yml:3:48: services.app.depends_on.db.condition: expected service_started, "
                              "service_healthy or service_completed_successfully, got \"started\"");
}

TEST_F(ComposeLoader, Priority) {
  write("c.yml",
        "services:\n  a: {image: x, labels: {stackfit.priority: critical}}\n"
        "  b: {image: x, x-stackfit: {priority: optional}, labels: [stackfit.priority=critical]}\n  c: {image: x}\n");
  auto s = ok({"c.yml"});
  EXPECT_EQ(s.services[0].priority, Priority::critical);
  EXPECT_EQ(s.services[1].priority, Priority::optional);
  EXPECT_EQ(s.services[2].priority, Priority::normal);
  write("bad.yml", "services:\n  a: {image: x, x-stackfit: {priority: urgent}}\n");
  EXPECT_EQ(error({"bad.yml"}),
            "bad.yml:2:40: services.a.x-stackfit.priority: expected critical, normal or optional, got \"urgent\"");
}

TEST_F(ComposeLoader, Profiles) {
  write("c.yml",
        "services:\n  always: {image: x}\n  dbg: {image: x, profiles: [debug]}\n"
        "  both: {image: x, profiles: [debug, tools]}\n  app: {image: x, depends_on: [dbg]}\n");
  auto names = [](const Stack& s) {
    std::vector<std::string> out;
    for (const auto& svc : s.services) out.push_back(svc.name);
    return out;
  };
  using V = std::vector<std::string>;
  // depends_on does not pull an inactive service in (docker compose config).
  EXPECT_EQ(names(ok({"c.yml"})), (V{"always", "app"}));
  EXPECT_EQ(names(ok({"c.yml"}, {}, {"tools"})), (V{"always", "both", "app"}));
  EXPECT_EQ(names(ok({"c.yml"}, Environment{{"COMPOSE_PROFILES", "debug, x"}})), (V{"always", "dbg", "both", "app"}));
  EXPECT_EQ(names(ok({"c.yml"}, {}, {"*"})), (V{"always", "dbg", "both", "app"}));
  EXPECT_EQ(ok({"c.yml"}, {}, {"debug"}).services[1].profiles, (V{"debug"}));
}

TEST_F(ComposeLoader, ProjectName) {
  m_dir.write("My Project!/compose.yaml", "services:\n  a: {image: x}\n");
  ComposeOptions o;
  o.project_directory = path("My Project!");
  auto s = load_compose(o);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->name, "myproject");
  EXPECT_EQ(s->source_files, (std::vector<std::string>{path("My Project!/compose.yaml")}));
  write("n.yml", "name: from-file\nservices: {}\n");
  EXPECT_EQ(ok({"n.yml"}).name, "from-file");
  EXPECT_EQ(ok({"n.yml"}, Environment{{"COMPOSE_PROJECT_NAME", "env_name"}}).name, "env_name");
  o.files = {path("n.yml")};
  o.project_name = "flag";
  EXPECT_EQ(load_compose(o)->name, "flag");
  o.project_name = "Bad Name";
  EXPECT_EQ(load_compose(o).error().message,
            "invalid project name \"Bad Name\": must consist only of lowercase alphanumeric characters, hyphens, "
            "and underscores as well as start with a letter or number");
}

TEST_F(ComposeLoader, DefaultFileDiscoveryWithOverride) {
  m_dir.write("p/docker-compose.yml", "services:\n  a: {image: x, mem_limit: 1g}\n");
  m_dir.write("p/docker-compose.override.yml", "services:\n  a: {mem_limit: 2g}\n");
  m_dir.write("p/compose.override.yaml", "services:\n  a: {mem_limit: 3g}\n");
  ComposeOptions o;
  o.project_directory = path("p");
  auto s = load_compose(o);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->services[0].resources.memory_limit, Bytes{2 * k_gib});
  EXPECT_EQ(s->source_files.size(), 2u);
  o.project_directory = path("nowhere");
  EXPECT_EQ(load_compose(o).error().message,
            path("nowhere") + ": no compose file found (compose.yaml, compose.yml, docker-compose.yaml, "
                              "docker-compose.yml)");
}

TEST_F(ComposeLoader, ComposeFileVariableWithSeparator) {
  m_dir.write("p/one.yml", "services:\n  a: {image: x}\n");
  m_dir.write("p/two.yml", "services:\n  b: {image: y}\n");
  ComposeOptions o;
  o.project_directory = path("p");
  o.environment = {{"COMPOSE_FILE", "one.yml;two.yml"}, {"COMPOSE_PATH_SEPARATOR", ";"}};
  auto s = load_compose(o);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->services.size(), 2u);
  m_dir.write("p/.env", "COMPOSE_FILE=two.yml\n");
  o.environment = {};
  s = load_compose(o);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->services.at(0).name, "b");
}

}  // namespace
}  // namespace stackfit

namespace stackfit {
namespace {

TEST_F(ComposeLoader, TopLevelVolumeNamesAsTheEngineNamesThem) {
  write("c.yml",
        "name: shop\nservices:\n  db:\n    image: postgres\n    volumes: [\"data:/var/lib/postgresql/data\"]\n"
        "volumes:\n  data:\n  logs:\n    name: shared-logs\n  old:\n    external: true\n"
        "  older:\n    external:\n      name: legacy-vol\n  plain: {}\n");
  Stack st = ok({"c.yml"});
  EXPECT_EQ(st.volume_names,
            (std::vector<std::string>{"shop_data", "shared-logs", "old", "legacy-vol", "shop_plain"}));
}

}  // namespace
}  // namespace stackfit
