// A small driver over render_compose_override for apply_test.sh: the parts
// `apply` does not drive from a recommend file (depends_on conditions and
// health-check timings, which `plan --startup` will write), so the script can
// load the result in docker-compose.
//
// usage: override_probe <compose-file> <service> <dependency> <condition>
// <interval-ms> <start-period-ms> <retries> Prints the override's YAML. Errors:
// one line on stderr, exit code from exit_code_for().
#include <cstdio>
#include <cstdlib>
#include <string>

#include "stackfit/emit/compose_override_writer.hpp"
#include "stackfit/load/compose/compose_loader.hpp"

int main(int argc, char **argv) {
  using namespace stackfit;
  if (argc != 8) {
    std::fprintf(stderr, "usage: override_probe <compose-file> <service> "
                         "<dependency> <condition> <interval-ms> "
                         "<start-period-ms> <retries>\n");
    return 2;
  }
  ComposeOptions options;
  options.files.push_back(argv[1]);
  auto stack = load_compose(options);
  if (!stack) {
    std::fprintf(stderr, "override_probe: %s\n", stack.error().message.c_str());
    return exit_code_for(stack.error().code);
  }
  ServiceOverride o;
  o.target.service = argv[2];
  o.depends_on.push_back(Dependency{argv[3], argv[4], true});
  Healthcheck h;
  h.interval_ms = std::atoll(argv[5]);
  h.start_period_ms = std::atoll(argv[6]);
  h.retries = std::atoll(argv[7]);
  o.healthcheck = h;
  auto text = render_compose_override(*stack, {o}, {});
  if (!text) {
    std::fprintf(stderr, "override_probe: %s\n", text.error().message.c_str());
    return exit_code_for(text.error().code);
  }
  std::fputs(text->c_str(), stdout);
  return 0;
}
