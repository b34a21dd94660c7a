// Helpers shared by the libFuzzer targets of this folder (docs/fuzzing.md).
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>

namespace stackfit::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The line that separates the two files of a two-file input (the seeds of
// compose_merge are written with it).
inline constexpr std::string_view k_file_separator = "\n#--- next file ---\n";

// `text` cut at the first separator: {before, after}; {text, ""} without one.
inline std::pair<std::string_view, std::string_view> split_two(std::string_view text) {
  auto at = text.find(k_file_separator);
  if (at == std::string_view::npos) return {text, {}};
  return {text.substr(0, at), text.substr(at + k_file_separator.size())};
}

// True when the input names a device or kernel file system. Compose files
// may pull in other files (env_file, include, extends); opening the fuzzing
// machine's /dev/tty or a FIFO blocks, which is the hostile-input suite's
// business (tests/integration/hostile_input_test.sh), not the parsers'.
inline bool names_device(std::string_view text) {
  for (std::string_view bad : {"/dev/", "/proc/", "/sys/", "/run/", "/var/run/"}) {
    if (text.find(bad) != std::string_view::npos) return true;
  }
  return false;
}

// A private folder for inputs that must be files, removed at exit. In
// /dev/shm when there is one, so a run writes nothing to disk.
class ScratchDir {
 public:
  ScratchDir() {
    std::string base = std::filesystem::is_directory("/dev/shm") && ::access("/dev/shm", W_OK) == 0
                           ? "/dev/shm"
                           : std::filesystem::temp_directory_path().string();
    std::string pattern = base + "/stackfit-fuzz-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    m_path = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  [[nodiscard]] const std::string& path() const { return m_path; }

  // Writes `text` to `name` inside the folder (replacing it); returns its path.
  std::string write(const std::string& name, std::string_view text) const {
    std::string file = m_path + "/" + name;
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) std::abort();
    return file;
  }

 private:
  std::string m_path;
};

}  // namespace stackfit::fuzz
