// The recommend JSON reader: the contract's example reads into targets;
// anything else is refused with the exact file:line:col message.
#include "stackfit/load/recommend_json_reader.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

const char* const k_good = R"({
  "schema": "stackfit.recommend/1",
  "source": {"kind": "store", "location": "stackfit.db", "from": "2026-11-20T10:00:00Z", "to": "2026-11-27T10:00:00Z"},
  "strategy": "peak",
  "profile": "prod",
  "services": [
    {
      "name": "api", "kind": "service", "namespace": "", "container": "", "status": "ok",
      "strategy": "peak", "samples": 4320, "history_seconds": 259200, "confidence": 0.82,
      "memory": {"request_bytes": 268435456, "limit_bytes": 536870912,
                 "declared_request_bytes": null, "declared_limit_bytes": 1073741824,
                 "peak_bytes": 431000000, "p95_bytes": 300000000,
                 "startup_peak_bytes": 431000000, "steady_peak_bytes": 320000000,
                 "trend_bytes_per_hour": null},
      "cpu": {"request_millicores": 120, "limit_millicores": null,
              "declared_request_millicores": null, "declared_limit_millicores": 500,
              "p95_millicores": 104, "peak_millicores": 410},
      "runtime": [{"knob": "redis_maxmemory", "bytes": 402653184, "policy": "allkeys-lru",
                   "reason": "75% of the 512 MiB limit"}],
      "oom_kills": 0, "restarts": 0,
      "reasons": ["peak 412 MiB over 3 days, +15% margin, rounded to 4 MiB"]
    },
    {"name": "batch", "status": "not_enough_data", "memory": null, "cpu": null},
    {"name": "web", "kind": "Deployment", "namespace": "shop", "container": "nginx", "status": "trend",
     "memory": {"request_bytes": null, "limit_bytes": 1048576, "trend_bytes_per_hour": -12.5}}
  ]
})";

std::string error_of(const std::string& text) {
  auto r = parse_recommend_json(text, "rec.json");
  return r ? "<no error>" : r.error().message;
}

// The good file with one substring replaced.
std::string with(const std::string& from, const std::string& to) {
  std::string s = k_good;
  std::size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(RecommendJsonReader, ReadsTheContractExample) {
  auto r = parse_recommend_json(k_good, "rec.json");
  ASSERT_TRUE(r) << r.error().message;
  const std::vector<ResourceTarget> targets = r->targets();
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(r->services[0].status, "ok");
  const ResourceTarget& api = targets[0];
  EXPECT_EQ(api.service, "api");
  EXPECT_EQ(api.kind, "service");
  EXPECT_EQ(api.resources.memory_request, Bytes{268435456});
  EXPECT_EQ(api.resources.memory_limit, Bytes{536870912});
  EXPECT_EQ(api.resources.cpu_request, Millicores{120});
  EXPECT_FALSE(api.resources.cpu_limit);
  ASSERT_EQ(api.knobs.size(), 1u);
  EXPECT_EQ(api.knobs[0], (RuntimeKnobValue{RuntimeKnob::redis_maxmemory, Bytes{402653184}, "allkeys-lru",
                                            "75% of the 512 MiB limit"}));
  const ResourceTarget& web = targets[1];
  EXPECT_EQ(web.kind, "Deployment");
  EXPECT_EQ(web.namespace_, "shop");
  EXPECT_EQ(web.container, "nginx");
  EXPECT_FALSE(web.resources.memory_request);
  EXPECT_EQ(web.resources.memory_limit, Bytes{1048576});
  EXPECT_EQ(r->not_enough_data, std::vector<std::string>{"batch"});
}

TEST(RecommendJsonReader, RefusesBrokenJsonWithItsPosition) {
  EXPECT_EQ(error_of("{\"schema\": \"stackfit.recommend/1\",\n  \"services\": [}"),
            "rec.json:2:16: not JSON: syntax error while parsing value - unexpected "
            "'}'; expected '[', '{', or a literal");
  EXPECT_EQ(error_of(""),
            "rec.json:1:1: not JSON: syntax error while parsing value - "
            "unexpected end of input; expected '[', '{', or a literal");
  EXPECT_EQ(error_of("services: []\n"),
            "rec.json:1:1: not JSON: syntax error while parsing value - "
            "invalid literal; last read: 's'");
  EXPECT_EQ(error_of("{\"a\": \"\xff\"}"),
            "rec.json:1:8: not JSON: syntax error while parsing value - "
            "invalid string: ill-formed UTF-8 byte; last read: '\"\xff'");
}

TEST(RecommendJsonReader, RefusesOtherSchemas) {
  EXPECT_EQ(error_of("[1]"), "rec.json:1:1: the document: expected an object, got an array");
  EXPECT_EQ(error_of("{\"services\": []}"), "rec.json:1:1: .schema: required field is missing");
  EXPECT_EQ(error_of(with("\"stackfit.recommend/1\"", "\"stackfit.inspect/1\"")),
            "rec.json:2:13: .schema: expected \"stackfit.recommend/1\", got "
            "\"stackfit.inspect/1\" (not a stackfit recommend file)");
  EXPECT_EQ(error_of(with("\"stackfit.recommend/1\"", "1")), "rec.json:2:13: .schema: expected a string, got 1");
  // A hostile value is quoted on one line, control characters escaped.
  EXPECT_EQ(error_of(with("\"stackfit.recommend/1\"", "\"\\u001b[2Jx\\ny\"")),
            "rec.json:2:13: .schema: expected \"stackfit.recommend/1\", got \"\\x1b[2Jx…\" (not a stackfit recommend file)");
  EXPECT_EQ(error_of("{\"schema\": \"stackfit.recommend/1\", \"services\": {}}"),
            "rec.json:1:48: .services: expected an array, got an object");
}

TEST(RecommendJsonReader, RefusesWrongTypesAndNegativeNumbers) {
  EXPECT_EQ(error_of(with("\"limit_bytes\": 536870912", "\"limit_bytes\": \"512Mi\"")),
            "rec.json:10:61: .services[0].memory.limit_bytes: expected a "
            "non-negative integer or null, got \"512Mi\"");
  EXPECT_EQ(error_of(with("\"request_millicores\": 120", "\"request_millicores\": -120")),
            "rec.json:15:37: .services[0].cpu.request_millicores: must not be "
            "negative, got -120");
  EXPECT_EQ(error_of(with("\"request_bytes\": 268435456", "\"request_bytes\": 2.5")),
            "rec.json:10:35: .services[0].memory.request_bytes: expected a "
            "non-negative integer or null, got 2.5");
  EXPECT_EQ(error_of(with("\"limit_bytes\": 536870912", "\"limit_bytes\": 99999999999999999999")),
            "rec.json:10:61: .services[0].memory.limit_bytes: too large: "
            "99999999999999999999");
  EXPECT_EQ(error_of(with("\"confidence\": 0.82", "\"confidence\": 3")),
            "rec.json:9:85: .services[0].confidence: expected a number from 0 "
            "to 1 or null, got 3");
  EXPECT_EQ(error_of(with("\"name\": \"api\"", "\"name\": null")),
            "rec.json:8:15: .services[0].name: expected a string, got null");
  EXPECT_EQ(error_of(with("\"status\": \"ok\"", "\"status\": \"maybe\"")),
            "rec.json:8:85: .services[0].status: expected \"ok\", \"trend\", \"oom_only\" or "
            "\"not_enough_data\", got \"maybe\"");
  EXPECT_EQ(error_of(with("\"memory\": {\"request_bytes\": 268435456",
                          "\"memory\": [{\"request_bytes\": 268435456}], \"x\": {\"y\": 1")),
            "rec.json:10:17: .services[0].memory: expected an object or null, got an "
            "array");
  EXPECT_EQ(error_of(with("\"reasons\": [\"peak", "\"reasons\": [1, \"peak")),
            "rec.json:21:19: .services[0].reasons: expected an array of "
            "strings, got 1");
}

TEST(RecommendJsonReader, RefusesUnknownKnobsAndDuplicates) {
  EXPECT_EQ(error_of(with("\"knob\": \"redis_maxmemory\"", "\"knob\": \"redis_maxmem\"")),
            "rec.json:18:28: .services[0].runtime[0].knob: unknown runtime "
            "knob \"redis_maxmem\"");
  EXPECT_EQ(error_of(with("\"bytes\": 402653184, ", "")),
            "rec.json:18:19: .services[0].runtime[0].bytes: required field is "
            "missing");
  EXPECT_EQ(
      error_of(with("{\"name\": \"batch\", \"status\": \"not_enough_data\"", "{\"name\": \"api\", \"status\": \"ok\"")),
      "rec.json:23:5: .services[1]: \"api\" appears twice");
  EXPECT_EQ(error_of(with("\"name\": \"api\", ", "")), "rec.json:7:5: .services[0].name: required field is missing");
}

TEST(RecommendJsonReader, HostileInputIsBounded) {
  // YAML's aliases are not JSON: refused before the YAML reader could expand them.
  EXPECT_EQ(error_of("a: &a [x]\nb: [*a, *a]\n").rfind("rec.json:1:1: not JSON:", 0), 0u);
  // 10,000 nested arrays are JSON; the YAML reader's depth bound stops them with a location.
  std::string deep = std::string(10000, '[') + std::string(10000, ']');
  EXPECT_NE(error_of(deep).find("nesting deeper than"), std::string::npos) << error_of(deep);
}

TEST(RecommendJsonReader, MissingFileIsNotFound) {
  auto r = read_recommend_json("/nonexistent/rec.json");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace stackfit
