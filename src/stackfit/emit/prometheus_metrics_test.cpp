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

TEST(PrometheusMetrics, EscapesBackslashQuoteNewline) { EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd"); }

}  // namespace
}  // namespace stackfit
