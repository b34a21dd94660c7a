// A small driver over EngineClient for tests/integration/engine_client_test.sh:
// it talks to the test's own dockerd and prints what the client understood, one
// fact per line, so the script can compare it with `docker inspect`.
//
// usage: engine_probe <socket> version
//        engine_probe <socket> list [project]
//        engine_probe <socket> inspect <id-or-name>
//        engine_probe <socket> events <since-unix-s> <timeout-ms> [stop-after-kind]
// Errors: the client's one line on stderr, exit code from exit_code_for().
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "stackfit/observe/engine_client.hpp"

namespace {

using stackfit::ContainerInfo;

std::string optional_count(const auto& value) { return value ? std::to_string(value->count) : "unset"; }

void print_info(const ContainerInfo& info) {
  std::printf("id=%s\nname=%s\nproject=%s\nservice=%s\nnumber=%lld\nimage=%s\n", info.id.c_str(), info.name.c_str(),
              info.project.c_str(), info.service.c_str(), static_cast<long long>(info.container_number),
              info.image.c_str());
  std::printf("memory_limit=%s\nmemory_request=%s\ncpu_limit=%s\n", optional_count(info.declared.memory_limit).c_str(),
              optional_count(info.declared.memory_request).c_str(), optional_count(info.declared.cpu_limit).c_str());
  std::printf("pid=%lld\noom_killed=%s\nrestart_count=%lld\n", static_cast<long long>(info.pid),
              info.oom_killed ? "true" : "false", static_cast<long long>(info.restart_count));
}

int fail(const stackfit::Error& error) {
  std::fprintf(stderr, "%s\n", error.message.c_str());
  return stackfit::exit_code_for(error.code);
}

int run_events(stackfit::EngineClient& client, const std::vector<std::string>& args) {
  std::string stop_after = args.size() > 5 ? args[5] : "";
  auto streamed = client.stream_events(
      std::atoll(args[3].c_str()), std::atoll(args[4].c_str()), [&](const stackfit::ContainerEvent& event) {
        std::printf("%s %s %s %lld\n", stackfit::to_string(event.kind), event.container_id.c_str(),
                    event.exit_code ? std::to_string(*event.exit_code).c_str() : "-",
                    static_cast<long long>(event.time_ns));
        std::fflush(stdout);
        return stop_after != stackfit::to_string(event.kind);
      });
  return streamed ? 0 : fail(streamed.error());
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  if (args.size() < 3) {
    std::fprintf(stderr, "usage: engine_probe <socket> version|list|inspect|events ...\n");
    return 2;
  }
  stackfit::EngineClient client(args[1]);
  const std::string& command = args[2];
  if (command == "version") {
    auto version = client.version();
    if (!version) return fail(version.error());
    std::printf("%s\n", version->c_str());
    return 0;
  }
  if (command == "list") {
    auto ids = client.list_container_ids({args.size() > 3 ? args[3] : ""});
    if (!ids) return fail(ids.error());
    for (const auto& id : *ids) std::printf("%s\n", id.c_str());
    return 0;
  }
  if (command == "inspect" && args.size() > 3) {
    auto info = client.inspect(args[3]);
    if (!info) return fail(info.error());
    print_info(*info);
    return 0;
  }
  if (command == "events" && args.size() > 4) return run_events(client, args);
  std::fprintf(stderr, "engine_probe: bad arguments\n");
  return 2;
}
