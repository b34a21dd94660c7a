#include "stackfit/load/compose/compose_project.hpp"

#include <cctype>

#include "stackfit/load/compose/compose_document.hpp"
#include "stackfit/util/file_io.hpp"

namespace stackfit::compose {
namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::string part;
  for (char c : text) {
    if (c == separator) {
      out.push_back(part);
      part.clear();
    } else {
      part += c;
    }
  }
  out.push_back(part);
  return out;
}

std::string trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  std::size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

}  // namespace

Expected<std::vector<std::string>> discover_files(const std::string& project_directory,
                                                  const VariableLookup& environment) {
  std::vector<std::string> files;
  if (auto compose_file = environment("COMPOSE_FILE"); compose_file && !compose_file->empty()) {
    std::string sep = environment("COMPOSE_PATH_SEPARATOR").value_or(":");
    for (const auto& part : split(*compose_file, sep.empty() ? ':' : sep[0])) {
      if (!part.empty()) files.push_back(join_path(project_directory, part));
    }
    if (!files.empty()) return files;
  }
  for (const char* name : k_default_file_names) {
    std::string path = join_path(project_directory, name);
    if (!file_exists(path)) continue;
    files.push_back(path);
    std::string stem = path.substr(0, path.rfind('.'));
    for (const char* ext : {".override.yml", ".override.yaml"}) {
      if (file_exists(stem + ext)) {
        files.push_back(stem + ext);
        break;
      }
    }
    return files;
  }
  std::string dir = project_directory.empty() ? "." : project_directory;
  return make_error(ErrorCode::not_found,
                    dir + ": no compose file found (compose.yaml, compose.yml, docker-compose.yaml, "
                          "docker-compose.yml)");
}

std::vector<std::string> active_profiles(const std::vector<std::string>& flags,
                                         const VariableLookup& environment) {
  if (!flags.empty()) return flags;
  std::vector<std::string> out;
  if (auto env = environment("COMPOSE_PROFILES")) {
    for (const auto& part : split(*env, ',')) {
      std::string p = trim(part);
      if (!p.empty()) out.push_back(p);
    }
  }
  return out;
}

Expected<void> check_project_name(const std::string& name) {
  bool ok = !name.empty() && std::isalnum(static_cast<unsigned char>(name[0]));
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
  }
  if (ok) return {};
  return make_error(ErrorCode::bad_input,
                    "invalid project name \"" + name +
                        "\": must consist only of lowercase alphanumeric characters, hyphens, and "
                        "underscores as well as start with a letter or number");
}

std::string sanitize_project_name(const std::string& folder_name) {
  std::string out;
  for (char c : folder_name) {
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '-' || l == '_') out += l;
  }
  std::size_t start = out.find_first_not_of("-_");
  return start == std::string::npos ? "" : out.substr(start);
}

}  // namespace stackfit::compose
