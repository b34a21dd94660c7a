// stackfit entry point: everything happens in the command table (cli/).
// The only catch in the program: anything that escapes is a bug, reported on
// one line with exit code 70, never an abort with a core dump.
#include <cstdio>
#include <exception>
#include <new>

#include "stackfit/cli/command.hpp"

int main(int argc, char** argv) {
  try {
    return stackfit::cli::run_cli(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs("stackfit: out of memory\n", stderr);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "stackfit: internal error: %s\n", e.what());
  }
  return 70;
}
