// Top-level `include` (declared in compose_extends.hpp).
#include <algorithm>
#include <vector>

#include "stackfit/load/compose/compose_extends.hpp"
#include "stackfit/load/compose/compose_field_readers.hpp"
#include "stackfit/load/compose/compose_merge.hpp"
#include "stackfit/util/quoted_excerpt.hpp"

namespace stackfit::compose {
namespace {

constexpr std::size_t k_max_include_depth = 32;

struct IncludeEntry {
  std::vector<std::string> paths;  // relative to the including file's folder
  const yaml::Node* node = nullptr;
};

Expected<std::vector<IncludeEntry>> read_entries(const yaml::Node& include) {
  if (!include.is_sequence()) {
    return located_error(include, "include", std::string("expected a list, got ") + include.kind_name());
  }
  std::vector<IncludeEntry> out;
  for (std::size_t i = 0; i < include.items.size(); ++i) {
    const yaml::Node& item = include.items[i];
    std::string path = "include[" + std::to_string(i) + "]";
    IncludeEntry entry{{}, &item};
    if (item.is_scalar()) {
      entry.paths.push_back(item.text);
    } else {
      TRY(expect_mapping(item, path));
      const yaml::Node* p = item.find("path");
      if (p == nullptr) return located_error(item, path, "missing \"path\"");
      auto paths = read_string_list(*p, path + ".path");
      TRY(paths);
      entry.paths = std::move(*paths);
    }
    out.push_back(std::move(entry));
  }
  return out;
}

class IncludeResolver {
 public:
  explicit IncludeResolver(ComposeFileSource& source) : m_source(source) {}

  Expected<void> apply(yaml::Node& document, const std::string& file) {
    const yaml::Node* include = document.find("include");
    if (include == nullptr) return {};
    if (m_stack.size() > k_max_include_depth) {
      return located_error(*include, "include", "includes nested deeper than 32 files");
    }
    m_stack.push_back(file);
    auto entries = read_entries(*include);
    TRY(entries);
    for (const auto& entry : *entries) {
      auto imported = load_entry(entry, parent_folder(file));
      TRY(imported);
      if (auto r = add_services(document, std::move(*imported), entry); !r) return r;
    }
    m_stack.pop_back();
    document.erase("include");
    return {};
  }

 private:
  // The entry's files merged in order, with their own includes and extends.
  Expected<yaml::Node> load_entry(const IncludeEntry& entry, const std::string& folder) {
    yaml::Node merged;
    for (std::size_t i = 0; i < entry.paths.size(); ++i) {
      std::string path = join_path(folder, entry.paths[i]);
      if (std::find(m_stack.begin(), m_stack.end(), path) != m_stack.end()) {
        std::string cycle;
        for (const auto& f : m_stack) cycle += f + " -> ";
        return located_error(*entry.node, "include", "include cycle: " + cycle + path);
      }
      auto loaded = m_source.load(path);
      TRY(loaded);
      yaml::Node copy = **loaded;
      TRY(apply(copy, path));
      TRY(resolve_extends(copy, path, m_source));
      if (i == 0) {
        merged = std::move(copy);
      } else if (auto r = merge_documents(merged, std::move(copy)); !r) {
        return tl::unexpected(r.error());
      }
    }
    return merged;
  }

  static Expected<void> add_services(yaml::Node& document, yaml::Node&& imported, const IncludeEntry& entry) {
    yaml::Node* theirs = imported.find("services");
    if (theirs == nullptr) return {};
    yaml::Node* ours = document.find("services");
    if (ours == nullptr) {
      document.set("services", yaml::Node::make_mapping(entry.node->location), entry.node->location);
      ours = document.find("services");
    }
    for (auto& e : theirs->entries) {
      if (ours->find(e.key) != nullptr) {
        return located_error(*entry.node, "include",
                             "imported compose file " + entry.paths.front() +
                                 " defines conflicting service " + quoted_excerpt(e.key));
      }
      ours->entries.push_back(std::move(e));
    }
    return {};
  }

  ComposeFileSource& m_source;
  std::vector<std::string> m_stack;
};

}  // namespace

Expected<void> resolve_includes(yaml::Node& document, const std::string& file, ComposeFileSource& source) {
  return IncludeResolver(source).apply(document, file);
}

}  // namespace stackfit::compose
