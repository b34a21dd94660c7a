// Shared test helpers: a temporary folder removed at scope end, file writers,
// and the path of the shared real-world corpus.
#pragma once

#include <string>

namespace stackfit::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::string& path() const { return m_path; }
  // Writes `content` to path()/relative (creating folders) and returns the full path.
  std::string write(const std::string& relative, const std::string& content) const;

 private:
  std::string m_path;
};

// ../shared/corpus/<relative> as seen from the source tree.
[[nodiscard]] std::string corpus_path(const std::string& relative);
// <source tree>/<relative>.
[[nodiscard]] std::string source_path(const std::string& relative);

}  // namespace stackfit::testing
