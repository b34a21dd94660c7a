#include "stackfit/plan/recommend_input.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

const char* k_good = R"({
  "schema": "stackfit.recommend/1",
  "source": {"kind": "store", "location": "stackfit.db"},
  "strategy": "peak",
  "services": [
    {"name": "api", "kind": "service", "namespace": "", "container": "", "status": "ok",
     "confidence": 0.82,
     "memory": {"request_bytes": 268435456, "limit_bytes": 536870912, "declared_limit_bytes": null},
     "cpu": {"request_millicores": 120, "limit_millicores": null},
     "runtime": [{"knob": "redis_maxmemory", "bytes": 402653184, "policy": "allkeys-lru", "reason": "75%"}]},
    {"name": "new", "status": "not_enough_data", "confidence": 0,
     "memory": {"request_bytes": null, "limit_bytes": null}, "cpu": null, "runtime": []}
  ]
})";

TEST(RecommendInput, ReadsTheFieldsPlanNeeds) {
  auto recs = read_recommendations(k_good, "rec.json");
  ASSERT_TRUE(recs) << recs.error().message;
  ASSERT_EQ(recs->size(), 1u);
  const RecommendedTarget& r = (*recs)[0];
  EXPECT_EQ(r.target.service, "api");
  EXPECT_EQ(r.target.kind, "service");
  EXPECT_EQ(r.status, "ok");
  EXPECT_DOUBLE_EQ(r.confidence, 0.82);
  EXPECT_EQ(r.target.resources.memory_request, Bytes{268435456});
  EXPECT_EQ(r.target.resources.memory_limit, Bytes{536870912});
  EXPECT_EQ(r.target.resources.cpu_request, Millicores{120});
  EXPECT_FALSE(r.target.resources.cpu_limit);
  ASSERT_EQ(r.target.knobs.size(), 1u);
  EXPECT_EQ(r.target.knobs[0].knob, RuntimeKnob::redis_maxmemory);
  EXPECT_EQ(r.target.knobs[0].value, Bytes{402653184});
  EXPECT_EQ(r.target.knobs[0].policy, "allkeys-lru");
}

std::string error_for(const std::string& text) {
  auto r = read_recommendations(text, "rec.json");
  EXPECT_FALSE(r);
  if (r) return "";
  EXPECT_EQ(r.error().code, ErrorCode::bad_input);
  return r.error().message;
}

TEST(RecommendInput, RejectsWhatIsNotTheSchemaWithALocation) {
  EXPECT_EQ(error_for("[1, 2]"), "rec.json:1:1: expected the JSON object of `stackfit recommend --format json`");
  EXPECT_EQ(error_for(R"({"schema": "stackfit.inspect/1", "services": []})"),
            "rec.json:1:12: schema: expected \"stackfit.recommend/1\" (the output of `stackfit recommend --format json`)");
  EXPECT_EQ(error_for(R"({"schema": "stackfit.recommend/1", "services": {}})"), "rec.json:1:48: services: expected a list");
  EXPECT_EQ(error_for("{\"schema\": \"stackfit.recommend/1\", \"services\": [\n"
                      "  {\"name\": \"a\", \"status\": \"ok\", \"memory\": {\"limit_bytes\": -5}}]}"),
            "rec.json:2:59: services[0].memory.limit_bytes: expected a non-negative integer or null, got -5");
  EXPECT_EQ(error_for("{\"schema\": \"stackfit.recommend/1\", \"services\": [\n"
                      "  {\"name\": \"a\", \"status\": \"ok\", \"memory\": {\"limit_bytes\": \"1g\"}}]}"),
            "rec.json:2:59: services[0].memory.limit_bytes: expected a non-negative integer or null");
  EXPECT_EQ(error_for("{\"schema\": \"stackfit.recommend/1\", \"services\": [\n"
                      "  {\"name\": \"a\", \"status\": \"ok\", \"runtime\": [{\"knob\": \"heap\", \"bytes\": 1}]}]}"),
            "rec.json:2:54: services[0].runtime[0].knob: unknown knob \"heap\"");
  EXPECT_EQ(error_for("{\"schema\": \"stackfit.recommend/1\", \"services\": [\n"
                      "  {\"name\": \"a\", \"status\": \"great\"}]}"),
            "rec.json:2:27: services[0].status: expected ok, trend or not_enough_data, got \"great\"");
  EXPECT_EQ(error_for("{\"schema\": \"stackfit.recommend/1\", \"services\": [\n  {\"status\": \"ok\"}]}"),
            "rec.json:2:3: services[0].name: missing");
  EXPECT_EQ(error_for("{\"schema\": \"stackfit.recommend/1\", \"services\": [\n"
                      "  {\"name\": \"a\", \"status\": \"ok\", \"confidence\": 7}]}"),
            "rec.json:2:47: services[0].confidence: expected a number from 0 to 1");
  EXPECT_TRUE(error_for("{\"schema\": ").starts_with("rec.json:"));
}

TEST(RecommendInput, HostileInputIsBounded) {
  // An alias bomb (YAML is accepted since JSON is read as YAML) stops at the
  // parser's node limit with a located error.
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  std::string prev = "a";
  for (char c = 'b'; c <= 'k'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" +
            prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n";
    prev = std::string(1, c);
  }
  std::string err = error_for(bomb);
  EXPECT_NE(err.find("alias bomb"), std::string::npos) << err;
  std::string deep = std::string(10000, '[') + std::string(10000, ']');
  EXPECT_NE(error_for(deep).find("nesting deeper than"), std::string::npos);
}

TEST(RecommendInput, MissingFile) {
  auto r = read_recommendations_file("/nonexistent/rec.json");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace stackfit
