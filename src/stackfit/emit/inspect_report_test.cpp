#include "stackfit/emit/inspect_report.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace stackfit {
namespace {

Stack sample_stack() {
  Stack stack;
  stack.kind = StackKind::compose;
  stack.name = "shop";
  stack.source_files = {"compose.yaml"};
  Service db;
  db.name = "db";
  db.kind = "service";
  db.replicas = 1;
  db.resources.memory_limit = Bytes{k_gib};
  db.resources.cpu_limit = Millicores{2000};
  db.hints.kind = RuntimeKind::postgres;
  db.hints.postgres_shared_buffers = Bytes{256 * k_mib};
  db.hints.evidence = {"command: -c shared_buffers=256MB"};
  Service api;
  api.name = "api";
  api.kind = "service";
  api.replicas = 2;
  api.resources.memory_request = Bytes{128 * k_mib};
  stack.services = {db, api};
  return stack;
}

StackTotals sample_totals() {
  StackTotals t;
  t.memory_request = Bytes{256 * k_mib};
  t.memory_limit = Bytes{k_gib};
  t.memory_committed = Bytes{k_gib + 256 * k_mib};
  t.cpu_limit = Millicores{2000};
  t.unbounded_memory = {"api"};
  return t;
}

TEST(InspectReport, TableShowsDeclaredValuesAndTotals) {
  std::string text = render_inspect(sample_stack(), sample_totals(), OutputFormat::table);
  EXPECT_EQ(text,
            "shop (compose): 2 services from 1 file\n"
            "\n"
            "SERVICE             REPLICAS  MEM REQUEST  MEM LIMIT  CPU REQUEST  CPU LIMIT  RUNTIME\n"
            "-------------------------------------------------------------------------------------------------------------\n"
            "db                         1            -      1 GiB            -          2  postgres shared_buffers 256 MiB\n"
            "api                        2      128 MiB          -            -          -\n"
            "-------------------------------------------------------------------------------------------------------------\n"
            "TOTAL (x replicas)                256 MiB      1 GiB            0          2\n"
            "\n"
            "committed memory (limit where set, else request, x replicas): 1.3 GiB\n"
            "no memory limit: api\n");
}

TEST(InspectReport, JsonHasTheDocumentedFieldsWithNullForUndeclared) {
  auto json = nlohmann::json::parse(render_inspect(sample_stack(), sample_totals(), OutputFormat::json));
  EXPECT_EQ(json["schema_version"], 1);
  EXPECT_EQ(json["kind"], "compose");
  ASSERT_EQ(json["services"].size(), 2u);
  const auto& db = json["services"][0];
  EXPECT_EQ(db["name"], "db");
  EXPECT_EQ(db["replicas"], 1);
  EXPECT_TRUE(db["memory"]["request_bytes"].is_null());
  EXPECT_EQ(db["memory"]["limit_bytes"], k_gib);
  EXPECT_EQ(db["cpu"]["limit_millicores"], 2000);
  EXPECT_TRUE(db["cpu"]["request_millicores"].is_null());
  EXPECT_EQ(db["runtime"]["postgres_shared_buffers_bytes"], 256 * k_mib);
  EXPECT_TRUE(db["namespace"].is_null());
  EXPECT_EQ(json["totals"]["memory"]["request_bytes"], 256 * k_mib);
  EXPECT_EQ(json["totals"]["memory"]["limit_bytes"], k_gib);
  EXPECT_EQ(json["totals"]["cpu"]["limit_millicores"], 2000);
  EXPECT_EQ(json["totals"]["unbounded_memory"], nlohmann::json::array({"api"}));
}

TEST(InspectReport, CsvCarriesRawNumbers) {
  std::string csv = render_inspect(sample_stack(), sample_totals(), OutputFormat::csv);
  EXPECT_EQ(csv,
            "service,kind,namespace,replicas,replica_mode,memory_request_bytes,memory_limit_bytes,"
            "cpu_request_millicores,cpu_limit_millicores,runtime\r\n"
            "db,service,,1,fixed,,1073741824,,2000,postgres shared_buffers 256 MiB\r\n"
            "api,service,,2,fixed,134217728,,,,\r\n");
}

TEST(InspectReport, KubernetesRowsNameNamespaceAndKind) {
  Stack stack;
  stack.kind = StackKind::kubernetes;
  Service ds;
  ds.name = "node-exporter";
  ds.kind = "DaemonSet";
  ds.namespace_ = "monitoring";
  ds.replica_mode = ReplicaMode::per_node;
  stack.services = {ds};
  std::string text = render_inspect(stack, StackTotals{}, OutputFormat::markdown);
  EXPECT_NE(text.find("| monitoring/DaemonSet/node-exporter | 1/node |"), std::string::npos) << text;
}

}  // namespace
}  // namespace stackfit
