#include "stackfit/plan/core_stack.hpp"

#include <unordered_map>

#include "stackfit/plan/optional_inference.hpp"

namespace stackfit {
namespace {

constexpr std::size_t k_names_in_error = 10;

std::string service_list(const Stack& stack) {
  std::string out;
  for (std::size_t i = 0; i < stack.services.size() && i < k_names_in_error; ++i) {
    out += (i ? ", " : "") + stack.services[i].name;
  }
  if (stack.services.size() > k_names_in_error) out += ", …";
  return out;
}

// `identical_to`: how many identical services `s` is one of (0: none).
std::string feature_of(const Service& s, std::size_t identical_to) {
  if (auto ui = catalog_ui_name(s.image)) return std::string(*ui) + ", a " + std::string(*catalog_ui_role(s.image)) + " UI";
  if (identical_to > 0) {
    return "one of " + std::to_string(identical_to) + " identical copies of " + s.image + ": their shared capacity";
  }
  if (auto store = datastore_name(s.image)) return "a " + std::string(*store) + " instance and the data its clients keep in it";
  std::string out = "what " + s.name + " serves";
  if (!s.profiles.empty()) out += " (profile " + s.profiles.front() + ")";
  return out;
}

}  // namespace

Expected<std::vector<std::string>> parse_keep_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (item.empty()) return make_error(ErrorCode::usage, "--keep: empty service name in \"" + text + "\"");
    out.push_back(std::move(item));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Expected<CoreStack> core_stack(const Stack& stack, const std::vector<std::string>& keep) {
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < stack.services.size(); ++i) index.emplace(stack.services[i].name, i);
  if (keep.empty()) return make_error(ErrorCode::usage, "--keep: name at least one service");
  std::vector<bool> in_core(stack.services.size(), false);
  std::vector<std::size_t> todo;
  for (const std::string& name : keep) {
    auto it = index.find(name);
    if (it == index.end()) {
      return make_error(ErrorCode::usage,
                        "--keep: unknown service \"" + name + "\" (services: " + service_list(stack) + ")");
    }
    if (!in_core[it->second]) todo.push_back(it->second);
    in_core[it->second] = true;
  }
  while (!todo.empty()) {
    std::size_t i = todo.back();
    todo.pop_back();
    for (const Dependency& d : stack.services[i].depends_on) {
      auto it = index.find(d.service);
      if (it == index.end() || in_core[it->second]) continue;
      in_core[it->second] = true;
      todo.push_back(it->second);
    }
  }
  std::vector<std::size_t> identical_to(stack.services.size(), 0);
  for (const InferredIdenticalGroup& g : infer_optional(stack).identical) {
    for (std::size_t i : g.services) identical_to[i] = g.services.size();
  }
  CoreStack core;
  core.kept = keep;
  core.stack = stack;
  for (std::size_t i = 0; i < stack.services.size(); ++i) {
    const Service& s = stack.services[i];
    if (in_core[i]) {
      core.services.push_back(s.name);
    } else {
      core.stack.services[i].replicas = 0;
      core.stack.services[i].replica_mode = ReplicaMode::fixed;
      if (s.replicas > 0) core.left_out.push_back(LeftOut{s.name, feature_of(s, identical_to[i])});
    }
  }
  return core;
}

}  // namespace stackfit
