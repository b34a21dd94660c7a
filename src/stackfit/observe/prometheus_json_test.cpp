#include "stackfit/observe/prometheus_json.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

constexpr const char* k_matrix = R"({"status":"success","data":{"resultType":"matrix","result":[
  {"metric":{"namespace":"shop","pod":"web-1","container":"app"},"values":[[1700000000,"100"],[1700000060.5,"2.5e3"]]},
  {"metric":{},"values":[[1700000000,"NaN"],[1700000060,"7"]]}]},
  "stats":{"timings":{"evalTotalTime":0.1}},"infos":["x"],"warnings":["store gateway down: partial data"]})";

std::string error_of(std::string_view body) {
  auto parsed = parse_prometheus_matrix(body);
  EXPECT_FALSE(parsed.has_value());
  return parsed ? std::string() : parsed.error().message;
}

TEST(PrometheusJson, ParsesMatrixLabelsPointsAndWarnings) {
  auto m = parse_prometheus_matrix(k_matrix);
  ASSERT_TRUE(m.has_value()) << m.error().message;
  ASSERT_EQ(m->series.size(), 2u);
  EXPECT_EQ(m->series[0].label("pod"), "web-1");
  EXPECT_EQ(m->series[0].label("absent"), "");
  ASSERT_EQ(m->series[0].points.size(), 2u);
  EXPECT_EQ(m->series[0].points[0].t_ms, 1700000000000);
  EXPECT_EQ(m->series[0].points[1].t_ms, 1700000060500);
  EXPECT_EQ(m->series[0].points[1].value, 2500);
  // NaN is left out and counted, never passed on as a number.
  ASSERT_EQ(m->series[1].points.size(), 1u);
  EXPECT_EQ(m->series[1].points[0].value, 7);
  EXPECT_EQ(m->non_finite_points, 1);
  ASSERT_EQ(m->warnings.size(), 1u);
  EXPECT_EQ(m->warnings[0], "store gateway down: partial data");
}

TEST(PrometheusJson, EmptyResultIsNoSeries) {
  auto m = parse_prometheus_matrix(R"({"status":"success","data":{"resultType":"matrix","result":[]}})");
  ASSERT_TRUE(m.has_value());
  EXPECT_TRUE(m->series.empty());
}

TEST(PrometheusJson, StatusErrorGivesTypeAndMessage) {
  EXPECT_EQ(error_of(R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error"})"),
            "bad_data: invalid parameter \"query\": 1:5: parse error");
  EXPECT_EQ(prometheus_error_of(R"({"status":"error","errorType":"execution","error":"query timed out"})"),
            "execution: query timed out");
  EXPECT_EQ(prometheus_error_of("<html>502 Bad Gateway</html>"), "");
  EXPECT_EQ(prometheus_error_of(R"({"status":"success"})"), "");
}

TEST(PrometheusJson, RefusesWhatIsNotAMatrixAnswer) {
  EXPECT_EQ(error_of("<html>"), "not a Prometheus API answer: invalid JSON at byte 1 (syntax error while parsing value - invalid literal; last read: '<')");
  EXPECT_EQ(error_of("[]"), "not a Prometheus API answer: top level: expected an object");
  EXPECT_EQ(error_of(R"({"data":{}})"), "not a Prometheus API answer: no \"status\":\"success\"");
  EXPECT_EQ(error_of(R"({"status":"success","data":{"resultType":"vector","result":[]}})"),
            "not a Prometheus API answer: resultType \"vector\", expected \"matrix\"");
  EXPECT_EQ(error_of(R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"x"]]}]}})"),
            "not a Prometheus API answer: data.result[0].values[0]: value \"x\" is not a number");
}

TEST(PrometheusJson, RefusesWrongTypes) {
  EXPECT_EQ(error_of(R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,2]]}]}})"),
            "not a Prometheus API answer: data.result[0].values[0]: unexpected a number");
  EXPECT_EQ(error_of(R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":1},"values":[]}]}})"),
            "not a Prometheus API answer: data.result[0].metric: unexpected a number");
  EXPECT_EQ(error_of(R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1]]}]}})"),
            "not a Prometheus API answer: data.result[0].values[0]: expected [<time>, \"<value>\"]");
  EXPECT_EQ(error_of(R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[-5,"1"]]}]}})"),
            "not a Prometheus API answer: data.result[0].values[0]: timestamp out of range");
  EXPECT_EQ(error_of(R"({"status":"success","data":{"resultType":"matrix","result":["x"]}})"),
            "not a Prometheus API answer: data.result[0]: unexpected a string");
  EXPECT_EQ(error_of(R"({"status":"success","data":{"resultType":"matrix","result":{}}})"),
            "not a Prometheus API answer: data.result: expected an array, got an object");
  EXPECT_EQ(error_of(R"({"status":"success","data":{"resultType":"matrix","result":"[]"}})"),
            "not a Prometheus API answer: data.result: expected an array, got a string");
  EXPECT_EQ(error_of(R"({"status":"success","data":{"resultType":"matrix","result":null}})"),
            "not a Prometheus API answer: data.result: expected an array, got null");
}

TEST(PrometheusJson, RefusesDeepNestingWithoutRecursing) {
  std::string deep = R"({"status":"success","data":{"resultType":"matrix","junk":)" + std::string(100000, '[');
  EXPECT_EQ(error_of(deep), "not a Prometheus API answer: nested deeper than 16 levels");
}

TEST(PrometheusJson, RefusesHugeStringsAndTooManyLabels) {
  std::string huge = R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":")" +
                     std::string(k_max_prom_string_bytes + 1, 'x') + R"("},"values":[]}]}})";
  EXPECT_EQ(error_of(huge), "not a Prometheus API answer: a string longer than 65536 bytes");
  std::string many = R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{)";
  for (int i = 0; i < 300; ++i) many += (i ? ",\"l" : "\"l") + std::to_string(i) + "\":\"v\"";
  many += R"(},"values":[]}]}})";
  EXPECT_EQ(error_of(many), "not a Prometheus API answer: a series with more than 256 labels");
}

TEST(PrometheusJson, TruncatedAnswerIsRefused) {
  std::string body = k_matrix;
  body.resize(body.size() / 2);
  std::string message = error_of(body);
  EXPECT_TRUE(message.starts_with("not a Prometheus API answer: invalid JSON at byte ")) << message;
}

}  // namespace
}  // namespace stackfit
