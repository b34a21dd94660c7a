#include "stackfit/load/kube/manifest_fields.hpp"
#include "stackfit/util/quoted_excerpt.hpp"

#include <charconv>
#include <limits>

namespace stackfit::kube {
namespace {

constexpr std::int64_t k_int32_max = std::numeric_limits<std::int32_t>::max();

// The child `key` with its kind checked; nullptr when absent or null.
Expected<const yaml::Node*> child_of_kind(const yaml::Node& parent, std::string_view key, std::string_view path,
                                          yaml::NodeKind kind, std::string_view expected) {
  const yaml::Node* child = parent.find(key);
  if (!child || child->is_null()) return nullptr;
  if (child->kind != kind) return type_error(*child, field_path(path, key), expected);
  return child;
}

Expected<const yaml::Node*> require(Expected<const yaml::Node*> child, const yaml::Node& parent,
                                    std::string_view key, std::string_view path) {
  if (child && *child == nullptr) {
    return field_error(parent, field_path(path, key), "required field is missing");
  }
  return child;
}

}  // namespace

std::string field_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string out(parent);
  out += '.';
  out += key;
  return out;
}

std::string item_path(std::string_view parent, std::size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

tl::unexpected<Error> field_error(const yaml::Node& at, std::string_view path, std::string_view reason) {
  std::string message = at.location.to_string();
  message += ": ";
  if (!path.empty()) {
    message += path;
    message += ": ";
  }
  message += reason;
  return make_error(ErrorCode::bad_input, std::move(message));
}

tl::unexpected<Error> type_error(const yaml::Node& value, std::string_view path, std::string_view expected) {
  return field_error(value, path, "expected " + std::string(expected) + ", got " + value.kind_name());
}

Expected<const yaml::Node*> optional_mapping(const yaml::Node& parent, std::string_view key,
                                             std::string_view path) {
  return child_of_kind(parent, key, path, yaml::NodeKind::mapping, "a mapping");
}

Expected<const yaml::Node*> optional_list(const yaml::Node& parent, std::string_view key, std::string_view path) {
  return child_of_kind(parent, key, path, yaml::NodeKind::sequence, "a list");
}

Expected<const yaml::Node*> required_mapping(const yaml::Node& parent, std::string_view key,
                                             std::string_view path) {
  return require(optional_mapping(parent, key, path), parent, key, path);
}

Expected<const yaml::Node*> required_list(const yaml::Node& parent, std::string_view key, std::string_view path) {
  return require(optional_list(parent, key, path), parent, key, path);
}

Expected<std::optional<std::string>> optional_string(const yaml::Node& parent, std::string_view key,
                                                     std::string_view path) {
  auto child = child_of_kind(parent, key, path, yaml::NodeKind::scalar, "a string");
  TRY(child);
  if (*child == nullptr) return std::nullopt;
  return (*child)->text;
}

Expected<std::optional<std::int64_t>> optional_count(const yaml::Node& parent, std::string_view key,
                                                     std::string_view path) {
  auto child = child_of_kind(parent, key, path, yaml::NodeKind::scalar, "an integer");
  TRY(child);
  if (*child == nullptr) return std::nullopt;
  const yaml::Node& node = **child;
  const std::string& text = node.text;
  bool digits_only = !text.empty() && text.size() <= 10 && text.find_first_not_of("0123456789") == std::string::npos;
  std::int64_t value = -1;
  if (digits_only) std::from_chars(text.data(), text.data() + text.size(), value);
  if (!node.is_plain_scalar() || !digits_only || value > k_int32_max) {
    return field_error(node, field_path(path, key),
                       "expected a whole number from 0 to 2147483647, got " + quoted_excerpt(text));
  }
  return value;
}

}  // namespace stackfit::kube
