// Multi-file merge rules and extends / include, through load_compose.
#include "stackfit/load/compose/compose_merge.hpp"

#include <gtest/gtest.h>

#include "stackfit/load/compose/compose_loader.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

class ComposeMerge : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& text) { return m_dir.write(name, text); }
  Expected<Stack> load(std::vector<std::string> files, Environment env = {}) {
    ComposeOptions o;
    for (auto& f : files) o.files.push_back(m_dir.path() + "/" + f);
    o.environment = std::move(env);
    return load_compose(o);
  }
  std::string error(std::vector<std::string> files) {
    auto s = load(std::move(files));
    if (s) return "<no error>";
    std::string msg = s.error().message;
    for (std::size_t at; (at = msg.find(m_dir.path() + "/")) != std::string::npos;) {
      msg.erase(at, m_dir.path().size() + 1);
    }
    return msg;
  }
  testing::TempDir m_dir;
};

const Service* find(const Stack& s, const std::string& name) {
  for (const auto& svc : s.services) {
    if (svc.name == name) return &svc;
  }
  return nullptr;
}

TEST_F(ComposeMerge, ScalarsOverrideMappingsMergeKeyValuesByKey) {
  write("a.yml",
        "services:\n  web:\n    image: web:1\n    mem_limit: 1g\n    environment: [A=1, B=2]\n"
        "    labels: {x: '1'}\n    command: [run, --fast]\n    deploy: {resources: {limits: {cpus: '1', memory: 1g}}}\n"
        "  db: {image: pg}\n");
  write("b.yml",
        "services:\n  web:\n    mem_limit: 2g\n    environment: {B: three, C: '4'}\n    labels: [y=2]\n"
        "    command: serve\n    deploy: {resources: {limits: {memory: 2g}}}\n  cache: {image: redis}\n");
  auto s = load({"a.yml", "b.yml"});
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->services.size(), 3u);
  const Service& web = s->services[0];
  EXPECT_EQ(web.image, "web:1");
  EXPECT_EQ(web.resources.memory_limit, Bytes{2 * k_gib});
  EXPECT_EQ(web.resources.cpu_limit, Millicores{1000});
  EXPECT_EQ(web.containers[0].environment, (KeyValues{{"A", "1"}, {"B", "three"}, {"C", "4"}}));
  EXPECT_EQ(web.labels, (KeyValues{{"x", "1"}, {"y", "2"}}));
  EXPECT_EQ(web.containers[0].command, (std::vector<std::string>{"serve"}));
  EXPECT_EQ(web.declared_at.to_string(), m_dir.path() + "/a.yml:2:3");
  EXPECT_EQ(s->services[2].declared_at.to_string(), m_dir.path() + "/b.yml:8:3");
  EXPECT_EQ(s->source_files.size(), 2u);
}

TEST_F(ComposeMerge, DependsOnMergesByNameAndProfilesAppend) {
  write("a.yml", "services:\n  db: {image: d}\n  q: {image: q}\n  app: {image: a, depends_on: [db], profiles: [one]}\n");
  write("b.yml", "services:\n  app:\n    depends_on: {q: {condition: service_healthy}}\n    profiles: [two]\n");
  ComposeOptions o;
  o.files = {m_dir.path() + "/a.yml", m_dir.path() + "/b.yml"};
  o.profiles = {"two"};
  auto s = load_compose(o);
  ASSERT_TRUE(s) << s.error().message;
  const Service* app = find(*s, "app");
  ASSERT_NE(app, nullptr);
  ASSERT_EQ(app->depends_on.size(), 2u);
  EXPECT_EQ(app->depends_on[0].service, "db");
  EXPECT_EQ(app->depends_on[1].condition, "service_healthy");
  EXPECT_EQ(app->profiles, (std::vector<std::string>{"one", "two"}));
}

TEST_F(ComposeMerge, ResetAndOverrideTags) {
  write("a.yml", "services:\n  web: {image: x, mem_limit: 1g, environment: [A=1, B=2]}\n");
  write("b.yml", "services:\n  web:\n    mem_limit: !reset null\n    environment: !override [C=3]\n");
  auto s = load({"a.yml", "b.yml"});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->services[0].resources.memory_limit, std::nullopt);
  EXPECT_EQ(s->services[0].containers[0].environment, (KeyValues{{"C", "3"}}));
}

TEST_F(ComposeMerge, IncompatibleKindsAreLocated) {
  write("a.yml", "services:\n  web: {image: x, ports: ['80:80']}\n");
  write("b.yml", "services:\n  web:\n    ports: {a: 1}\n");
  EXPECT_EQ(error({"a.yml", "b.yml"}), "b.yml:3:12: services.web.ports: cannot merge a mapping into a list");
}

TEST_F(ComposeMerge, ExtendsSameFileAndOtherFileWithRelativePaths) {
  write("base/common.yml",
        "services:\n  base:\n    image: base\n    mem_limit: 256m\n    env_file: base.env\n"
        "    environment: {A: '1'}\n");
  write("base/base.env", "FROM_BASE=yes\n");
  write("c.yml",
        "services:\n  mid:\n    extends: {file: base/common.yml, service: base}\n    cpus: 0.5\n"
        "  top:\n    extends: mid\n    environment: {B: '2'}\n    mem_limit: 512m\n");
  auto s = load({"c.yml"});
  ASSERT_TRUE(s) << s.error().message;
  const Service* top = find(*s, "top");
  ASSERT_NE(top, nullptr);
  EXPECT_EQ(top->image, "base");
  EXPECT_EQ(top->resources.memory_limit, Bytes{512 * k_mib});
  EXPECT_EQ(top->resources.cpu_limit, Millicores{500});
  EXPECT_EQ(top->containers[0].environment, (KeyValues{{"FROM_BASE", "yes"}, {"A", "1"}, {"B", "2"}}));
  EXPECT_EQ(top->declared_at.to_string(), m_dir.path() + "/c.yml:5:3");
  EXPECT_EQ(s->source_files, (std::vector<std::string>{m_dir.path() + "/c.yml", m_dir.path() + "/base/common.yml"}));
}

TEST_F(ComposeMerge, CircularExtendsNamesTheCycle) {
  write("c.yml",
        "services:\n  a: {image: x, extends: b}\n  b: {image: x, extends: {service: c}}\n  c: {image: x, extends: a}\n");
  EXPECT_EQ(error({"c.yml"}), "c.yml:4:26: services.c.extends: circular extends: a -> b -> c -> a");
  write("self.yml", "services:\n  a: {image: x, extends: a}\n");
  EXPECT_EQ(error({"self.yml"}), "self.yml:2:26: services.a.extends: circular extends: a -> a");
  write("x.yml", "services:\n  a: {image: x, extends: {file: y.yml, service: b}}\n");
  write("y.yml", "services:\n  b: {image: x, extends: {file: x.yml, service: a}}\n");
  EXPECT_EQ(error({"x.yml"}), "y.yml:2:26: services.b.extends: circular extends: a -> b (y.yml) -> a");
}

TEST_F(ComposeMerge, ExtendsOfUnknownServiceOrFile) {
  write("c.yml", "services:\n  a: {image: x, extends: nope}\n");
  EXPECT_EQ(error({"c.yml"}), "c.yml:2:26: services.a.extends: service \"nope\" not found in c.yml");
  write("d.yml", "services:\n  a: {image: x, extends: {file: gone.yml, service: b}}\n");
  EXPECT_EQ(error({"d.yml"}), "d.yml:2:26: services.a.extends: gone.yml: No such file or directory");
}

TEST_F(ComposeMerge, IncludeAddsServicesRelativeToIncludingFile) {
  write("sub/db.yml", "services:\n  db: {image: pg, mem_limit: 1g, env_file: db.env}\n");
  write("sub/db.env", "PGDATA=/d\n");
  write("more.yml", "services:\n  cache: {image: redis}\n");
  write("c.yml", "include:\n  - sub/db.yml\n  - path: [more.yml]\nservices:\n  app: {image: a, depends_on: [db]}\n");
  auto s = load({"c.yml"});
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->services.size(), 3u);
  const Service* db = find(*s, "db");
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->resources.memory_limit, Bytes{k_gib});
  EXPECT_EQ(db->containers[0].environment, (KeyValues{{"PGDATA", "/d"}}));
  EXPECT_EQ(db->declared_at.to_string(), m_dir.path() + "/sub/db.yml:2:3");
}

TEST_F(ComposeMerge, IncludeConflictsAndCycles) {
  write("dup.yml", "services:\n  app: {image: b}\n");
  write("c.yml", "include: [dup.yml]\nservices:\n  app: {image: a}\n");
  EXPECT_EQ(error({"c.yml"}), "c.yml:1:11: include: imported compose file dup.yml defines conflicting service \"app\"");
  write("x.yml", "include: [y.yml]\nservices: {}\n");
  write("y.yml", "include: [x.yml]\nservices: {}\n");
  EXPECT_EQ(error({"x.yml"}), "y.yml:1:11: include: include cycle: x.yml -> y.yml -> x.yml");
}

TEST(ComposeMergeTree, KeyValueListsBecomeMappings) {
  auto file = std::make_shared<const std::string>("t.yml");
  auto doc = yaml::parse_single_document("- A=1\n- B\n- C=x=y\n", file);
  ASSERT_TRUE(doc);
  yaml::Node m = compose::key_values_as_mapping(*doc);
  ASSERT_TRUE(m.is_mapping());
  EXPECT_EQ(m.find("A")->text, "1");
  EXPECT_TRUE(m.find("B")->is_null());
  EXPECT_EQ(m.find("C")->text, "x=y");
  EXPECT_EQ(m.find_entry("C")->key_location.to_string(), "t.yml:3:3");
}

}  // namespace
}  // namespace stackfit
