#include "stackfit/load/compose/compose_extends.hpp"

#include <algorithm>
#include <vector>

#include "stackfit/load/compose/compose_field_readers.hpp"
#include "stackfit/load/compose/compose_merge.hpp"

namespace stackfit::compose {
namespace {

// Services beyond this many extends hops are refused (cycles are caught
// earlier; this bounds pathological but acyclic chains).
constexpr std::size_t k_max_extends_depth = 64;

struct ServiceRef {
  std::string file;
  std::string name;
  friend bool operator==(const ServiceRef&, const ServiceRef&) = default;
};

class ExtendsResolver {
 public:
  ExtendsResolver(ComposeFileSource& source, std::string root_file)
      : m_source(source), m_root_file(std::move(root_file)) {}

  // The fully resolved definition of service `name` of `document` (from `file`).
  Expected<yaml::Node> resolve(const yaml::Node& document, const std::string& file,
                               const std::string& name, const yaml::Node& definition) {
    const yaml::Node* extends = definition.find("extends");
    if (extends == nullptr) return definition;
    std::string path = "services." + name + ".extends";
    auto target = parse_target(*extends, path, file);
    TRY(target);
    ServiceRef self{file, name};
    m_stack.push_back(self);
    if (std::find(m_stack.begin(), m_stack.end(), *target) != m_stack.end()) {
      return located_error(*extends, path, "circular extends: " + describe_cycle(*target));
    }
    if (m_stack.size() > k_max_extends_depth) {
      return located_error(*extends, path, "extends chain longer than 64 services");
    }
    auto base = resolve_target(document, *target, *extends, path);
    m_stack.pop_back();
    TRY(base);
    yaml::Node own = definition;
    own.erase("extends");
    TRY(merge_service(*base, std::move(own), "services." + name));
    base->location = definition.location;
    return base;
  }

 private:
  Expected<ServiceRef> parse_target(const yaml::Node& extends, const std::string& path,
                                    const std::string& file) {
    if (extends.is_scalar()) return ServiceRef{file, extends.text};
    TRY(expect_mapping(extends, path));
    const yaml::Node* service = extends.find("service");
    if (service == nullptr) return located_error(extends, path, "missing \"service\"");
    auto name = read_string(*service, path + ".service");
    TRY(name);
    std::string target_file = file;
    if (const yaml::Node* f = extends.find("file")) {
      auto text = read_string(*f, path + ".file");
      TRY(text);
      target_file = *text;
    }
    return ServiceRef{target_file, *name};
  }

  Expected<yaml::Node> resolve_target(const yaml::Node& document, const ServiceRef& target,
                                      const yaml::Node& extends, const std::string& path) {
    const yaml::Node* target_document = &document;
    if (target.file != m_stack.back().file) {
      auto loaded = m_source.load(target.file);
      if (!loaded && loaded.error().code != ErrorCode::bad_input) {
        return tl::unexpected(Error{loaded.error().code,
                                    extends.location.to_string() + ": " + path + ": " + loaded.error().message});
      }
      TRY(loaded);
      target_document = *loaded;
    }
    const yaml::Node* services = target_document->find("services");
    const yaml::Node* definition = services ? services->find(target.name) : nullptr;
    if (definition == nullptr) {
      return located_error(extends, path, "service \"" + target.name + "\" not found in " + target.file);
    }
    return resolve(*target_document, target.file, target.name, *definition);
  }

  std::string describe_cycle(const ServiceRef& closing) const {
    std::string out;
    auto it = std::find(m_stack.begin(), m_stack.end(), closing);
    for (; it != m_stack.end(); ++it) out += label(*it) + " -> ";
    return out + label(closing);
  }

  std::string label(const ServiceRef& ref) const {
    return ref.file == m_root_file ? ref.name : ref.name + " (" + ref.file + ")";
  }

  ComposeFileSource& m_source;
  std::string m_root_file;
  std::vector<ServiceRef> m_stack;
};

}  // namespace

Expected<void> resolve_extends(yaml::Node& document, const std::string& file, ComposeFileSource& source) {
  yaml::Node* services = document.find("services");
  if (services == nullptr) return {};
  ExtendsResolver resolver(source, file);
  std::vector<yaml::Node> resolved;
  resolved.reserve(services->entries.size());
  for (const auto& entry : services->entries) {
    auto r = resolver.resolve(document, file, entry.key, entry.value);
    TRY(r);
    resolved.push_back(std::move(*r));
  }
  for (std::size_t i = 0; i < resolved.size(); ++i) services->entries[i].value = std::move(resolved[i]);
  return {};
}

}  // namespace stackfit::compose
