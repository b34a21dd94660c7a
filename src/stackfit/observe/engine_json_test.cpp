// JSON mapping over real answers of Debian's dockerd 20.10 (API 1.41),
// captured by tests/fixtures/engine/capture.sh. Assertions hold for any
// re-capture: names, limits and the OOM kill are set by the script; ids are
// checked for agreement across files, never by value.
#include "stackfit/observe/engine_json.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "stackfit/util/file_io.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

std::string fixture(const std::string& name) {
  auto text = read_file(testing::source_path("tests/fixtures/engine/" + name));
  EXPECT_TRUE(text.has_value()) << name;
  return text.value_or("");
}

ContainerInfo inspected(const std::string& name) {
  auto info = parse_container_inspect(fixture(name));
  EXPECT_TRUE(info.has_value()) << name << ": " << (info ? "" : info.error().message);
  return info.value_or(ContainerInfo{});
}

std::vector<ContainerEvent> captured_events() {
  std::vector<ContainerEvent> events;
  std::istringstream lines(fixture("events.jsonl"));
  for (std::string line; std::getline(lines, line);) {
    auto event = parse_event_line(line);
    EXPECT_TRUE(event.has_value()) << line;
    if (event && *event) events.push_back(**event);
  }
  return events;
}

TEST(EngineJson, VersionAnswerOfDockerd20) {
  auto version = parse_version_answer(fixture("version.json"));
  ASSERT_TRUE(version.has_value());
  EXPECT_EQ(to_string(version->api), "1.41");
  EXPECT_GE(version->api, k_min_api_version);
  EXPECT_FALSE(version->podman);
}

TEST(EngineJson, VersionAnswerErrors) {
  EXPECT_EQ(parse_version_answer("<html>404</html>").error().message,
            "the answer to GET /version is not a JSON object");
  EXPECT_EQ(parse_version_answer(R"({"Version":"20.10"})").error().message,
            "the answer to GET /version has no ApiVersion");
  EXPECT_EQ(parse_version_answer(R"({"ApiVersion":141})").error().message,
            "the answer to GET /version has no ApiVersion");
}

TEST(EngineJson, ApiVersionsCompareNumerically) {
  EXPECT_LT(*parse_api_version("1.9"), *parse_api_version("1.40"));
  EXPECT_LT(*parse_api_version("1.12"), k_min_api_version);
  EXPECT_GT(*parse_api_version("1.43"), k_client_api_version);
  EXPECT_FALSE(parse_api_version("1").has_value());
  EXPECT_FALSE(parse_api_version("1.x").has_value());
  EXPECT_FALSE(parse_api_version("").has_value());
}

TEST(EngineJson, ProjectListHoldsTheComposeContainers) {
  auto ids = parse_container_list(fixture("containers_json_project.json"));
  ASSERT_TRUE(ids.has_value());
  ASSERT_EQ(ids->size(), 3u);  // web + 2 workers
  std::string web_id = inspected("inspect_compose_web.json").id;
  EXPECT_NE(std::find(ids->begin(), ids->end(), web_id), ids->end());
  auto all = parse_container_list(fixture("containers_json_all.json"));
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->size(), 5u);  // + sf-limited, sf-quota; sf-oom has exited
}

// Only the entries' own Id counts, wherever else an "Id" key appears.
TEST(EngineJson, ContainerListKeepsOnlyEachEntrysId) {
  auto ids = parse_container_list(
      R"([{"Names":["/a"],"Labels":{"Id":"label"},"Mounts":[{"Id":"mount"}],"Id":"a1","State":"running"},)"
      R"( {"Id":"b2","NetworkSettings":{"Networks":{"host":{"NetworkID":"n","Id":"net"}}}}])");
  ASSERT_TRUE(ids.has_value()) << ids.error().message;
  EXPECT_EQ(*ids, (std::vector<std::string>{"a1", "b2"}));
  EXPECT_EQ(parse_container_list(R"([{"Id":7}])").error().message, "a container list entry has no Id");
  EXPECT_EQ(parse_container_list(R"([{"Id":"a1"},)").error().message, "the container list is not a JSON array");
}

TEST(EngineJson, ContainerListErrors) {
  EXPECT_EQ(parse_container_list(R"({"message":"page not found"})").error().message,
            "the container list is not a JSON array");
  EXPECT_EQ(parse_container_list(R"([{"Names":["/x"]}])").error().message, "a container list entry has no Id");
  EXPECT_TRUE(parse_container_list("[]")->empty());
}

TEST(EngineJson, InspectMapsDockerRunLimits) {
  ContainerInfo info = inspected("inspect_limited.json");
  EXPECT_EQ(info.id.size(), 64u);
  EXPECT_EQ(info.name, "sf-limited");
  EXPECT_EQ(info.service, "sf-limited");  // no Compose label: the name stands in
  EXPECT_EQ(info.project, "");
  EXPECT_EQ(info.container_number, 0);
  EXPECT_EQ(info.image, "stackfit-base");
  EXPECT_EQ(info.declared.memory_limit, Bytes{64 * k_mib});
  EXPECT_EQ(info.declared.memory_request, Bytes{32 * k_mib});
  EXPECT_EQ(info.declared.cpu_limit, Millicores{500});
  EXPECT_FALSE(info.declared.cpu_request.has_value());
  EXPECT_GT(info.pid, 0);
  EXPECT_FALSE(info.oom_killed);
  EXPECT_TRUE(info.cgroup_path.empty());
}

TEST(EngineJson, InspectMapsCpuQuotaAndPeriod) {
  ContainerInfo info = inspected("inspect_cpu_quota.json");
  EXPECT_EQ(info.declared.cpu_limit, Millicores{1500});
  EXPECT_FALSE(info.declared.memory_limit.has_value());  // HostConfig.Memory 0 = unset
  EXPECT_FALSE(info.declared.memory_request.has_value());
}

TEST(EngineJson, InspectMapsComposeLabelsAndLimits) {
  ContainerInfo web = inspected("inspect_compose_web.json");
  EXPECT_EQ(web.name, "sfcap_web_1");
  EXPECT_EQ(web.project, "sfcap");
  EXPECT_EQ(web.service, "web");
  EXPECT_EQ(web.container_number, 1);
  EXPECT_EQ(web.image, "stackfit-base:latest");
  EXPECT_EQ(web.declared.memory_limit, Bytes{96 * k_mib});
  EXPECT_EQ(web.declared.memory_request, Bytes{48 * k_mib});
  EXPECT_EQ(web.declared.cpu_limit, Millicores{250});

  ContainerInfo worker = inspected("inspect_compose_worker.json");
  EXPECT_EQ(worker.service, "worker");
  EXPECT_EQ(worker.container_number, 2);
  EXPECT_EQ(worker.declared, Resources{});  // nothing declared, nothing invented
}

TEST(EngineJson, InspectOfOomKilledContainer) {
  ContainerInfo info = inspected("inspect_oom_killed.json");
  EXPECT_EQ(info.name, "sf-oom");
  EXPECT_TRUE(info.oom_killed);
  EXPECT_EQ(info.pid, 0);  // exited
  EXPECT_EQ(info.declared.memory_limit, Bytes{32 * k_mib});
}

TEST(EngineJson, InspectToleratesNullLabelsAndMissingHostConfig) {
  // Podman sends "Labels": null for a container without labels.
  auto info = parse_container_inspect(R"({"Id":"abc","Name":"/x","Config":{"Labels":null},"State":{}})");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->service, "x");
  EXPECT_EQ(info->declared, Resources{});
  EXPECT_EQ(parse_container_inspect(R"({"Name":"/x"})").error().message, "the container inspection has no Id or Name");
  EXPECT_EQ(parse_container_inspect("null").error().message, "the container inspection is not a JSON object");
}

TEST(EngineJson, CpuQuotaWithoutPeriodUsesKernelDefault) {
  auto info = parse_container_inspect(R"({"Id":"a","Name":"/a","HostConfig":{"CpuQuota":50000,"CpuPeriod":0}})");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->declared.cpu_limit, Millicores{500});
}

TEST(EngineJson, EventsOfTheCapturedRun) {
  std::vector<ContainerEvent> events = captured_events();
  std::string oom_id = inspected("inspect_oom_killed.json").id;
  std::string quota_id = inspected("inspect_cpu_quota.json").id;
  auto count = [&](EventKind kind, const std::string& id) {
    return std::count_if(events.begin(), events.end(),
                         [&](const ContainerEvent& e) { return e.kind == kind && e.container_id == id; });
  };
  EXPECT_EQ(count(EventKind::start, oom_id), 1);
  EXPECT_EQ(count(EventKind::oom, oom_id), 1);
  EXPECT_EQ(count(EventKind::die, oom_id), 1);
  EXPECT_EQ(count(EventKind::destroy, oom_id), 1);
  EXPECT_EQ(count(EventKind::restart, quota_id), 1);
  auto die = std::find_if(events.begin(), events.end(), [&](const ContainerEvent& e) {
    return e.kind == EventKind::die && e.container_id == oom_id;
  });
  ASSERT_NE(die, events.end());
  EXPECT_EQ(die->exit_code, 137);
  EXPECT_TRUE(std::is_sorted(events.begin(), events.end(),
                             [](const ContainerEvent& a, const ContainerEvent& b) { return a.time_ns < b.time_ns; }));
  EXPECT_GT(events.front().time_ns, 1'600'000'000'000'000'000);  // nanoseconds, not seconds
}

TEST(EngineJson, UnmappedEventsAreSkipped) {
  std::istringstream lines(fixture("events.jsonl"));
  int skipped = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.find("\"Action\":\"create\"") != std::string::npos) {
      auto event = parse_event_line(line);
      ASSERT_TRUE(event.has_value());
      EXPECT_FALSE(event->has_value());
      ++skipped;
    }
  }
  EXPECT_EQ(skipped, 6);  // sf-limited, sf-quota, sf-oom and the three Compose containers
  EXPECT_FALSE(parse_event_line(R"({"Type":"network","Action":"start"})")->has_value());
  EXPECT_EQ(parse_event_line("not json").error().message, "an event is not a JSON object");
}

TEST(EngineJson, HealthStatusEvents) {
  auto healthy = parse_event_line(
      R"({"status":"health_status: healthy","id":"abc","from":"img","Type":"container","Action":"health_status: healthy",)"
      R"("Actor":{"ID":"abc","Attributes":{"name":"x"}},"scope":"local","time":1700000000,"timeNano":1700000000123456789})");
  ASSERT_TRUE(healthy.has_value());
  ASSERT_TRUE(healthy->has_value());
  EXPECT_EQ((*healthy)->kind, EventKind::healthy);
  EXPECT_EQ((*healthy)->container_id, "abc");
  EXPECT_EQ((*healthy)->time_ns, 1700000000123456789);
  EXPECT_FALSE((*healthy)->exit_code.has_value());
  auto unhealthy = parse_event_line(R"({"Type":"container","Action":"health_status: unhealthy","Actor":{"ID":"d"}})");
  ASSERT_TRUE(unhealthy && *unhealthy);
  EXPECT_EQ((*unhealthy)->kind, EventKind::unhealthy);
  // Without the space, as some engines write it.
  auto tight = parse_event_line(R"({"Type":"container","Action":"health_status:healthy","Actor":{"ID":"d"}})");
  ASSERT_TRUE(tight && *tight);
  EXPECT_EQ((*tight)->kind, EventKind::healthy);
  // Podman: the bare action, the status beside it (or in the attributes).
  auto podman = parse_event_line(
      R"({"status":"health_status","id":"p1","Type":"container","Action":"health_status",)"
      R"("Actor":{"ID":"p1","Attributes":{"name":"web"}},"time":1656082205,"timeNano":1656082205882271276,)"
      R"("HealthStatus":"healthy"})");
  ASSERT_TRUE(podman && *podman);
  EXPECT_EQ((*podman)->kind, EventKind::healthy);
  EXPECT_EQ((*podman)->container_id, "p1");
  auto podman_attribute = parse_event_line(
      R"({"Type":"container","Action":"health_status","Actor":{"ID":"p1","Attributes":{"health_status":"unhealthy"}}})");
  ASSERT_TRUE(podman_attribute && *podman_attribute);
  EXPECT_EQ((*podman_attribute)->kind, EventKind::unhealthy);
  auto podman_starting = parse_event_line(
      R"({"Type":"container","Action":"health_status","Actor":{"ID":"p1"},"HealthStatus":"starting"})");
  ASSERT_TRUE(podman_starting.has_value());
  EXPECT_FALSE(podman_starting->has_value());
  // Other statuses, a bare prefix and look-alikes are not mapped.
  for (const char* action : {"health_status: starting", "health_status", "health_status: healthyish",
                             "health_status: ", "healthy", "exec_start: sh -c true"}) {
    auto other = parse_event_line(std::string(R"({"Type":"container","Actor":{"ID":"d"},"Action":")") + action +
                                  "\"}");
    ASSERT_TRUE(other.has_value()) << action;
    EXPECT_FALSE(other->has_value()) << action;
  }
  EXPECT_STREQ(to_string(EventKind::healthy), "healthy");
  EXPECT_STREQ(to_string(EventKind::unhealthy), "unhealthy");
}

TEST(EngineJson, InspectReadsTheEffectiveHealthcheck) {
  EXPECT_FALSE(inspected("inspect_limited.json").healthcheck.has_value());  // captured without one
  auto with = [](const std::string& healthcheck) {
    return parse_container_inspect(R"({"Id":"abc","Name":"/x","Config":{"Image":"i","Healthcheck":)" + healthcheck +
                                   "}}");
  };
  auto info = with(R"({"Test":["CMD-SHELL","test -f /tmp/ready"],"Interval":1000000000,"Timeout":2000000000,)"
                   R"("StartPeriod":3000000000,"Retries":4})");
  ASSERT_TRUE(info.has_value()) << info.error().message;
  ASSERT_TRUE(info->healthcheck.has_value());
  EXPECT_EQ(info->healthcheck->test, R"(["CMD-SHELL","test -f /tmp/ready"])");
  EXPECT_EQ(info->healthcheck->interval_ns, 1'000'000'000);
  EXPECT_EQ(info->healthcheck->timeout_ns, 2'000'000'000);
  EXPECT_EQ(info->healthcheck->start_period_ns, 3'000'000'000);
  EXPECT_EQ(info->healthcheck->retries, 4);
  // Timings left out are the engine's defaults (0 here); negative ones are not believed.
  auto bare = with(R"({"Test":["CMD","true"],"Interval":-5})");
  ASSERT_TRUE(bare && bare->healthcheck);
  EXPECT_EQ(bare->healthcheck->interval_ns, 0);
  EXPECT_EQ(bare->healthcheck->retries, 0);
  // Disabled, empty, absent or malformed: none.
  for (const char* hc : {R"({"Test":["NONE"]})", R"({"Test":[]})", R"({})", "null", R"({"Test":"CMD true"})",
                         R"({"Test":[1,2]})", "[]"}) {
    auto none = with(hc);
    ASSERT_TRUE(none.has_value()) << hc;
    EXPECT_FALSE(none->healthcheck.has_value()) << hc;
  }
}

TEST(EngineJson, ErrorMessageOfAnswers) {
  EXPECT_EQ(error_message_of(fixture("inspect_missing.json")), "No such container: no-such-container");
  EXPECT_EQ(error_message_of("404 page not found\n"), "404 page not found");
  EXPECT_EQ(error_message_of(""), "");
  EXPECT_EQ(error_message_of(std::string(500, 'x')).size(), 200u);
}

TEST(EngineJson, ProjectFilterIsUrlEncodedJson) {
  EXPECT_EQ(project_filter_query(""), "");
  EXPECT_EQ(project_filter_query("shop"), "%7B%22label%22%3A%5B%22com.docker.compose.project%3Dshop%22%5D%7D");
  // A quote in the name stays inside the JSON string.
  EXPECT_EQ(project_filter_query("a\"b"), "%7B%22label%22%3A%5B%22com.docker.compose.project%3Da%5C%22b%22%5D%7D");
  EXPECT_EQ(url_encode("a b/ü"), "a%20b%2F%C3%BC");
}

TEST(EngineJson, EventsFilterNamesTheActionsAndTheProject) {
  // {"event":["start","die","died","oom","destroy","remove","restart","health_status"],"type":["container"]}:
  // "died" and "remove" are what Podman's filter matches for die and destroy;
  // "health_status" matches every "health_status: <status>" by prefix.
  const std::string events =
      "%7B%22event%22%3A%5B%22start%22%2C%22die%22%2C%22died%22%2C%22oom%22%2C"
      "%22destroy%22%2C%22remove%22%2C%22restart%22%2C%22health_status%22%5D%2C";
  EXPECT_EQ(events_filter_query(""), events + "%22type%22%3A%5B%22container%22%5D%7D");
  // ...plus "label":["com.docker.compose.project=shop"], in key order.
  EXPECT_EQ(events_filter_query("shop"), events +
                                             "%22label%22%3A%5B%22com.docker.compose.project%3Dshop%22%5D%2C"
                                             "%22type%22%3A%5B%22container%22%5D%7D");
}

// Podman 4.3.1's compatible API (`podman system service`, rootful, cgroupfs
// manager, cgroup v1), captured by tests/fixtures/engine/podman/capture.sh.

TEST(EngineJson, VersionAnswerOfPodman43) {
  auto version = parse_version_answer(fixture("podman/version.json"));
  ASSERT_TRUE(version.has_value());
  EXPECT_EQ(to_string(version->api), "1.41");
  EXPECT_TRUE(version->podman);
}

TEST(EngineJson, PodmanMarkerInVersionIsReadDefensively) {
  auto podman = [](const char* body) {
    auto version = parse_version_answer(body);
    EXPECT_TRUE(version.has_value()) << body;
    return version && version->podman;
  };
  EXPECT_TRUE(podman(R"({"ApiVersion":"1.40","Components":[{"Name":"Conmon"},{"Name":"Podman Engine"}]})"));
  EXPECT_FALSE(podman(R"({"ApiVersion":"1.41","Components":[{"Name":"Engine"},{"Name":"containerd"}]})"));
  EXPECT_FALSE(podman(R"({"ApiVersion":"1.41","Components":{"Name":"Podman Engine"}})"));
  EXPECT_FALSE(podman(R"({"ApiVersion":"1.41","Components":[null,7,"Podman Engine",{"Name":["Podman Engine"]}]})"));
  EXPECT_FALSE(podman(R"({"ApiVersion":"1.41","Components":null})"));
  EXPECT_FALSE(podman(R"({"ApiVersion":"1.41","Platform":{"Name":"Podman Engine"}})"));
  // The marker does not make a bad answer good.
  EXPECT_FALSE(parse_version_answer(R"({"Components":[{"Name":"Podman Engine"}]})").has_value());
}

TEST(EngineJson, InspectOfPodmanComposeContainer) {
  ContainerInfo web = inspected("podman/inspect_compose_web.json");
  EXPECT_EQ(web.name, "sfpcap_web_1");
  EXPECT_EQ(web.project, "sfpcap");
  EXPECT_EQ(web.service, "web");
  EXPECT_EQ(web.container_number, 1);
  EXPECT_EQ(web.image, "localhost/stackfit-base:latest");  // podman import names it localhost/...
  EXPECT_EQ(web.declared.memory_limit, Bytes{96 * 1024 * 1024});
  EXPECT_EQ(web.declared.memory_request, Bytes{48 * 1024 * 1024});
  EXPECT_EQ(web.declared.cpu_limit, Millicores{250});  // NanoCpus, and CpuQuota/CpuPeriod agree
  EXPECT_GT(web.pid, 0);
  EXPECT_FALSE(web.oom_killed);
  EXPECT_EQ(web.id.size(), 64u);
}

TEST(EngineJson, InspectOfPodmanOomKilledMainProcess) {
  // Exit 137 after the kernel's OOM kill, but Podman 4.3 with conmon 2.1.6 on
  // cgroup v1 leaves State.OOMKilled false (docs/engine.md).
  ContainerInfo oom = inspected("podman/inspect_oom_main.json");
  EXPECT_EQ(oom.name, "sf-oom");
  EXPECT_EQ(oom.service, "sf-oom");  // no Compose labels: the container name
  EXPECT_EQ(oom.declared.memory_limit, Bytes{16 * 1024 * 1024});
  EXPECT_FALSE(oom.declared.memory_request);
  EXPECT_FALSE(oom.oom_killed);
  EXPECT_EQ(oom.pid, 0);
}

TEST(EngineJson, EventsOfThePodmanCapture) {
  std::vector<ContainerEvent> events;
  int lines_read = 0;
  std::istringstream lines(fixture("podman/events.jsonl"));
  for (std::string line; std::getline(lines, line); ++lines_read) {
    auto event = parse_event_line(line);
    ASSERT_TRUE(event.has_value()) << line;
    if (*event) events.push_back(**event);
  }
  std::string web = inspected("podman/inspect_compose_web.json").id;
  std::string oom = inspected("podman/inspect_oom_main.json").id;
  auto count = [&](EventKind kind, const std::string& id) {
    return std::count_if(events.begin(), events.end(),
                         [&](const ContainerEvent& e) { return e.kind == kind && e.container_id == id; });
  };
  EXPECT_EQ(count(EventKind::start, web), 1);
  EXPECT_EQ(count(EventKind::start, oom), 1);
  EXPECT_EQ(count(EventKind::die, oom), 1);
  EXPECT_EQ(count(EventKind::destroy, oom), 1);  // Podman's "remove"
  EXPECT_EQ(count(EventKind::oom, oom), 0);      // Podman sent no oom event for the OOM kill
  // create, init, sync, cleanup and the image's tag/pull are skipped.
  EXPECT_EQ(events.size(), 4u);
  EXPECT_GT(lines_read, 10);
  auto die = std::find_if(events.begin(), events.end(), [](const ContainerEvent& e) { return e.kind == EventKind::die; });
  ASSERT_NE(die, events.end());
  EXPECT_EQ(die->exit_code, 137);
  EXPECT_GT(die->time_ns, 1'600'000'000'000'000'000);
}

TEST(EngineJson, PodmanEventNamesMapLikeDockers) {
  auto kind = [](const char* line) {
    auto event = parse_event_line(line);
    EXPECT_TRUE(event.has_value() && event->has_value()) << line;
    return event && *event ? (*event)->kind : EventKind::start;
  };
  EXPECT_EQ(kind(R"({"Type":"container","Action":"remove","Actor":{"ID":"a"},"timeNano":1})"), EventKind::destroy);
  EXPECT_EQ(kind(R"({"Type":"container","Action":"died","Actor":{"ID":"a"},"timeNano":1})"), EventKind::die);
  EXPECT_FALSE(parse_event_line(R"({"Type":"image","Action":"remove","Actor":{"ID":"a"}})")->has_value());
  EXPECT_FALSE(parse_event_line(R"({"Type":"container","Action":"cleanup","Actor":{"ID":"a"}})")->has_value());
  EXPECT_FALSE(parse_event_line(R"({"Type":"container","Action":"sync","Actor":{"ID":"a"}})")->has_value());
  EXPECT_FALSE(parse_event_line(R"({"Type":"container","Action":"Remove","Actor":{"ID":"a"}})")->has_value());
}

}  // namespace
}  // namespace stackfit
