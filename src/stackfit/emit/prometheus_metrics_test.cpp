#include "stackfit/emit/prometheus_metrics.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

TEST(PrometheusMetrics, CadvisorNamesWithLabelsAndEscaping) {
  LiveReading r;
  r.info.id = "abc";
  r.info.name = "shop-db-1";
  r.info.service = "db";
  r.info.project = "sh\"op";
  r.sample.working_set = Bytes{100};
  r.sample.usage = Bytes{150};
  r.sample.cpu_usage_ns = 1'500'000'000;
  r.sample.oom_kills = 2;
  r.limit = Bytes{1024};
  std::string text = render_prometheus_metrics({r});
  const std::string labels = "{name=\"shop-db-1\",service=\"db\",project=\"sh\\\"op\",id=\"abc\"}";
  EXPECT_NE(text.find("# TYPE container_memory_working_set_bytes gauge\n"
                      "container_memory_working_set_bytes" + labels + " 100\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("container_cpu_usage_seconds_total" + labels + " 1.500000000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("container_oom_events_total" + labels + " 2\n"), std::string::npos);
  EXPECT_NE(text.find("container_spec_memory_limit_bytes" + labels + " 1024\n"), std::string::npos);
  // No peak known: the metric has HELP/TYPE but no sample.
  EXPECT_EQ(text.find("container_memory_max_usage_bytes{"), std::string::npos);
}

// cAdvisor's CFS series, only for a container with a CPU limit.
TEST(PrometheusMetrics, CfsThrottlingSeriesOnlyWithACpuLimit) {
  LiveReading limited;
  limited.info.id = "a";
  limited.info.declared.cpu_limit = Millicores{100};
  limited.sample.cpu_periods = 4121;
  limited.sample.cpu_throttled_periods = 37;
  limited.sample.cpu_throttled_ns = 1'850'412'379;
  LiveReading free;
  free.info.id = "b";
  std::string text = render_prometheus_metrics({limited, free});
  const std::string labels = "{name=\"\",service=\"\",project=\"\",id=\"a\"}";
  EXPECT_NE(text.find("# TYPE container_cpu_cfs_periods_total counter\ncontainer_cpu_cfs_periods_total" + labels +
                      " 4121\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("container_cpu_cfs_throttled_periods_total" + labels + " 37\n"), std::string::npos) << text;
  EXPECT_NE(text.find("container_cpu_cfs_throttled_seconds_total" + labels + " 1.850412379\n"), std::string::npos);
  EXPECT_EQ(text.find("container_cpu_cfs_periods_total{name=\"\",service=\"\",project=\"\",id=\"b\"}"),
            std::string::npos);
}

// record --kube-node: cAdvisor's Kubernetes labels, which recommend --prometheus reads, instead of Compose's.
TEST(PrometheusMetrics, KubernetesContainerGetsCadvisorLabels) {
  LiveReading r;
  r.info.id = std::string(64, 'a');
  r.info.name = "web-7d4b9c8f6d-x2k9p/app";
  r.info.service = "web/app";
  r.info.project = "shop";
  r.info.cgroup_path = "/kubepods/burstable/pod1/" + r.info.id;
  r.info.kube = KubeLabels{"shop", "web-7d4b9c8f6d-x2k9p", "app"};
  r.sample.working_set = Bytes{4096};
  std::string text = render_prometheus_metrics({r});
  EXPECT_NE(text.find("\ncontainer_memory_working_set_bytes{container=\"app\",pod=\"web-7d4b9c8f6d-x2k9p\","
                      "namespace=\"shop\",id=\"/kubepods/burstable/pod1/" + r.info.id + "\"} 4096\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("service="), std::string::npos);
}

TEST(PrometheusMetrics, EscapesBackslashQuoteNewline) { EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd"); }

}  // namespace
}  // namespace stackfit
