// Ctrl-C and SIGTERM as a stop flag for long-running commands (record, top).
#pragma once

#include <atomic>

namespace stackfit::cli {

// Installs SIGINT/SIGTERM handlers that set the returned flag. The flag is
// the program's one mutable global: a signal handler can reach nothing else.
[[nodiscard]] const std::atomic<bool>& install_stop_signals();

}  // namespace stackfit::cli
