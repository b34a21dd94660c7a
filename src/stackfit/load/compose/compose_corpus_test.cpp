// Every Compose file of the shared real-world corpus loads, with spot checks
// of values read by hand from the files.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "stackfit/load/compose/compose_loader.hpp"
#include "testing/corpus.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

using testing::corpus_path;

Expected<Stack> load(std::vector<std::string> files, std::vector<std::string> profiles = {},
                     std::vector<std::string> env_files = {}, Environment env = {}) {
  ComposeOptions o;
  for (auto& f : files) o.files.push_back(corpus_path("real/" + f));
  o.profiles = std::move(profiles);
  for (auto& f : env_files) o.env_files.push_back(corpus_path("real/" + f));
  o.environment = std::move(env);
  return load_compose(o);
}

std::string normal(const std::string& p) { return std::filesystem::path(p).lexically_normal().string(); }

const Service* find(const Stack& s, const std::string& name) {
  auto it = std::find_if(s.services.begin(), s.services.end(), [&](const Service& x) { return x.name == name; });
  return it == s.services.end() ? nullptr : &*it;
}

std::string env_of(const Service& s, const std::string& key) {
  for (const auto& [k, v] : s.containers.at(0).environment) {
    if (k == key) return v;
  }
  return "<unset>";
}

TEST(ComposeCorpus, MinecraftFractionalGigabyteLimit) {
  STACKFIT_REQUIRE_CORPUS();
  auto s = load({"docker__awesome-compose/minecraft__compose.yaml"});
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->services.size(), 1u);
  EXPECT_EQ(s->services[0].resources.memory_limit, Bytes{1610612736});
  EXPECT_EQ(s->services[0].resources.memory_request, std::nullopt);
  EXPECT_EQ(s->name, "docker__awesome-compose");
}

TEST(ComposeCorpus, SentryFeatureCompleteProfileFromDotEnvHasNoLimits) {
  STACKFIT_REQUIRE_CORPUS();
  auto s = load({"getsentry__self-hosted/docker-compose.yml"});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->services.size(), 57u);
  for (const auto& svc : s->services) {
    EXPECT_EQ(svc.resources, Resources{}) << svc.name;
  }
}

TEST(ComposeCorpus, DockerElkKeepsJavaOptsInEnvironment) {
  STACKFIT_REQUIRE_CORPUS();
  auto s = load({"deviantony__docker-elk/docker-compose.yml"});
  ASSERT_TRUE(s) << s.error().message;
  const Service* es = find(*s, "elasticsearch");
  ASSERT_NE(es, nullptr);
  EXPECT_EQ(env_of(*es, "ES_JAVA_OPTS"), "-Xms512m -Xmx512m");
  EXPECT_EQ(find(*s, "setup"), nullptr);  // profile "setup" is not active
  auto all = load({"deviantony__docker-elk/docker-compose.yml"}, {"setup"});
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_NE(find(*all, "setup"), nullptr);
}

TEST(ComposeCorpus, ElasticsearchMemLimitFromEnvFile) {
  STACKFIT_REQUIRE_CORPUS();
  auto s = load({"elastic__elasticsearch/docs__reference__setup__install__docker__docker-compose.yml"}, {},
                {"elastic__elasticsearch/docs__reference__setup__install__docker__.env"});
  ASSERT_TRUE(s) << s.error().message;
  const Service* es01 = find(*s, "es01");
  ASSERT_NE(es01, nullptr);
  EXPECT_EQ(es01->resources.memory_limit, Bytes{1073741824});
}

TEST(ComposeCorpus, OpenTelemetryDemoLayeredFiles) {
  STACKFIT_REQUIRE_CORPUS();
  auto s = load({"open-telemetry__opentelemetry-demo/compose.yaml",
                 "open-telemetry__opentelemetry-demo/compose.full.yaml",
                 "open-telemetry__opentelemetry-demo/compose.observability.yaml"});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->source_files.size(), 3u);
  const Service* kafka = find(*s, "kafka");
  ASSERT_NE(kafka, nullptr);
  EXPECT_EQ(kafka->resources.memory_limit, Bytes{620 * k_mib});
}

// The entry file also extends compose_additional_components.yaml, which the
// corpus does not hold: the error names the extends that needs it.
TEST(ComposeCorpus, ZabbixMissingExtendsFileIsALocatedError) {
  STACKFIT_REQUIRE_CORPUS();
  auto s = load({"zabbix__zabbix-docker/docker-compose_v3_alpine_mysql_latest.yaml"});
  ASSERT_FALSE(s);
  std::string dir = normal(corpus_path("real/zabbix__zabbix-docker"));
  EXPECT_EQ(s.error().message, dir + "/docker-compose_v3_alpine_mysql_latest.yaml:111:4: services.selenium.extends: " +
                                   dir + "/compose_additional_components.yaml: No such file or directory");
}

TEST(ComposeCorpus, ZabbixExtendsAcrossFilesCarriesLimits) {
  STACKFIT_REQUIRE_CORPUS();
  testing::TempDir dir;
  for (const char* f : {"docker-compose_v3_alpine_mysql_latest.yaml", "compose_zabbix_components.yaml",
                        "compose_databases.yaml", ".env"}) {
    std::filesystem::copy_file(corpus_path(std::string("real/zabbix__zabbix-docker/") + f),
                               dir.path() + "/" + f);
  }
  for (const char* e : {".env_agent", ".env_db_mysql", ".env_db_mysql_proxy", ".env_db_pgsql", ".env_java",
                        ".env_prx", ".env_prx_mysql", ".env_prx_sqlite", ".env_snmptraps", ".env_srv",
                        ".env_web", ".env_web_service"}) {
    dir.write(std::string("env_vars/") + e, "");
  }
  dir.write("compose_additional_components.yaml",
            "services:\n  selenium: {image: s}\n  selenium-chrome: {image: c}\n  selenium-firefox: {image: f}\n");
  ComposeOptions o;
  o.files = {dir.path() + "/docker-compose_v3_alpine_mysql_latest.yaml"};
  auto s = load_compose(o);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->source_files.size(), 4u);
  const Service* server = find(*s, "zabbix-server");
  ASSERT_NE(server, nullptr);
  // server-mysql extends server (same file), which declares the resources.
  EXPECT_EQ(server->resources.cpu_limit, Millicores{700});
  EXPECT_EQ(server->resources.memory_limit, Bytes{k_gib});
  EXPECT_EQ(server->resources.cpu_request, Millicores{500});
  EXPECT_EQ(server->resources.memory_request, Bytes{512 * k_mib});
  EXPECT_EQ(server->declared_at.line, 2u);
}

TEST(ComposeCorpus, SwarmpromLimitsAndReservations) {
  STACKFIT_REQUIRE_CORPUS();
  auto s = load({"stefanprodan__swarmprom/docker-compose.yml"});
  ASSERT_TRUE(s) << s.error().message;
  const Service* prometheus = find(*s, "prometheus");
  ASSERT_NE(prometheus, nullptr);
  EXPECT_EQ(prometheus->resources.memory_limit, Bytes{2048 * k_mib});
  EXPECT_EQ(prometheus->resources.memory_request, Bytes{128 * k_mib});
  const Service* unsee = find(*s, "unsee");
  ASSERT_NE(unsee, nullptr);
  EXPECT_EQ(unsee->resources, Resources{});
}

TEST(ComposeCorpus, OtherFilesLoad) {
  STACKFIT_REQUIRE_CORPUS();
  for (const char* f : {"SigNoz__signoz/deploy__docker__docker-compose.yaml"}) {
    auto s = load({f});
    EXPECT_TRUE(s) << f << ": " << s.error().message;
  }
  auto mm = load({"mattermost__docker/docker-compose.yml"}, {}, {"mattermost__docker/env.example"});
  EXPECT_TRUE(mm) << mm.error().message;
}

// The corpus keeps the Compose files but not the env files they name, so
// docker compose refuses them as they are; the same error here.
TEST(ComposeCorpus, MissingServiceEnvFileIsALocatedError) {
  STACKFIT_REQUIRE_CORPUS();
  auto s = load({"netbox-community__netbox-docker/docker-compose.yml"});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::not_found);
  std::string dir = normal(corpus_path("real/netbox-community__netbox-docker"));
  EXPECT_EQ(s.error().message, dir + "/docker-compose.yml:8:15: services.netbox.env_file: env file " + dir +
                                   "/env/netbox.env not found");
}

// A copy of a corpus file beside the (empty) env files it needs.
std::string copy_with_env_files(const testing::TempDir& dir, const std::string& relative,
                                const std::vector<std::string>& env_files) {
  std::filesystem::copy_file(corpus_path("real/" + relative), dir.path() + "/compose.yml");
  for (const auto& e : env_files) dir.write(e, "");
  return dir.path() + "/compose.yml";
}

TEST(ComposeCorpus, FilesNeedingEnvFilesLoadBesideThem) {
  STACKFIT_REQUIRE_CORPUS();
  struct Case {
    std::string file;
    std::vector<std::string> env_files;
    std::size_t services;
  };
  for (const auto& c : std::vector<Case>{
           {"netbox-community__netbox-docker/docker-compose.yml",
            {"env/netbox.env", "env/postgres.env", "env/redis.env", "env/redis-cache.env"}, 6},
           {"immich-app__immich/docker__docker-compose.yml", {".env"}, 4},
           {"apache__airflow/airflow-core__docs__howto__docker-compose__docker-compose.yaml", {".env"}, 8}}) {
    testing::TempDir dir;
    ComposeOptions o;
    o.files = {copy_with_env_files(dir, c.file, c.env_files)};
    auto s = load_compose(o);
    ASSERT_TRUE(s) << c.file << ": " << s.error().message;
    EXPECT_EQ(s->services.size(), c.services) << c.file;
  }
}

}  // namespace
}  // namespace stackfit
