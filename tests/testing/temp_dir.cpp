#include "testing/temp_dir.hpp"

#include "testing/corpus.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace stackfit::testing {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "stackfit-test-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  m_path = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

std::string TempDir::write(const std::string& relative, const std::string& content) const {
  std::filesystem::path full = std::filesystem::path(m_path) / relative;
  std::filesystem::create_directories(full.parent_path());
  std::ofstream out(full, std::ios::binary);
  out << content;
  return full.string();
}

std::string corpus_path(const std::string& relative) {
  return std::string(STACKFIT_CORPUS_DIR) + "/" + relative;
}

bool corpus_present() {
  std::error_code ec;
  return std::filesystem::is_directory(corpus_path(""), ec);
}

std::string source_path(const std::string& relative) {
  return std::string(STACKFIT_SOURCE_DIR) + "/" + relative;
}

}  // namespace stackfit::testing
