// Ctrl-C and SIGTERM as a stop flag for long-running commands (record, top).
#pragma once

#include <atomic>

namespace stackfit::cli {

// Installs SIGINT/SIGTERM handlers that set the returned flag. The flag is
// the program's one mutable global: a signal handler can reach nothing else.
[[nodiscard]] const std::atomic<bool>& install_stop_signals();

// A descriptor that becomes readable when a stop signal arrives (an eventfd
// the handler writes to), for SystemClock to sleep on instead of waking up
// to look at the flag; -1 before install_stop_signals or without eventfd.
[[nodiscard]] int stop_signal_wake_fd();

}  // namespace stackfit::cli
