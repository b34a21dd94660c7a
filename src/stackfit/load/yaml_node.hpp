// A small owned YAML tree with source locations, built from libfyaml events.
// Aliases are expanded and `<<` merge keys applied while building, so loaders
// see plain mappings, sequences and scalars. Building is bounded (depth, node
// count after alias expansion, scalar size) so hostile input fails fast with
// a located error instead of exhausting memory.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stackfit/util/error.hpp"
#include "stackfit/util/source_location.hpp"

namespace stackfit::yaml {

enum class NodeKind { null, scalar, sequence, mapping };
enum class ScalarStyle { plain, single_quoted, double_quoted, literal, folded };

struct MapEntry;

class Node {
 public:
  NodeKind kind = NodeKind::null;
  ScalarStyle style = ScalarStyle::plain;
  std::string text;               // scalar text (also kept for plain nulls: "", "~", "null")
  std::string tag;                // explicit tag as written ("!reset", "!!str"), else ""
  std::vector<Node> items;        // sequence items
  std::vector<MapEntry> entries;  // mapping entries in document order; keys are unique
  SourceLocation location;

  [[nodiscard]] bool is_null() const { return kind == NodeKind::null; }
  [[nodiscard]] bool is_scalar() const { return kind == NodeKind::scalar; }
  [[nodiscard]] bool is_sequence() const { return kind == NodeKind::sequence; }
  [[nodiscard]] bool is_mapping() const { return kind == NodeKind::mapping; }
  // A scalar written without quotes (so "1" is a string but 1 is a number).
  [[nodiscard]] bool is_plain_scalar() const { return is_scalar() && style == ScalarStyle::plain; }

  // Mapping lookup by key; nullptr when absent or not a mapping.
  [[nodiscard]] const Node* find(std::string_view key) const;
  [[nodiscard]] Node* find(std::string_view key);
  // The entry for `key`, for its key location; nullptr when absent.
  [[nodiscard]] const MapEntry* find_entry(std::string_view key) const;
  // Sets or replaces `key` (appended when new). Only on mappings.
  void set(std::string key, Node value, SourceLocation key_location = {});
  // Removes `key` if present. Returns whether it was there.
  bool erase(std::string_view key);

  // Number of nodes in this subtree, this one included.
  [[nodiscard]] std::size_t subtree_size() const;

  // Short human name of the kind for messages: "a mapping", "a list", ...
  [[nodiscard]] const char* kind_name() const;

  [[nodiscard]] static Node make_scalar(std::string text, SourceLocation loc = {},
                                        ScalarStyle style = ScalarStyle::plain);
  [[nodiscard]] static Node make_mapping(SourceLocation loc = {});
  [[nodiscard]] static Node make_sequence(SourceLocation loc = {});
};

struct MapEntry {
  std::string key;
  SourceLocation key_location;
  Node value;
};

// Bounds on what one document may expand to.
struct ParseLimits {
  std::size_t max_depth = 256;             // nested collections
  std::size_t max_nodes = 1'000'000;       // per document, after alias expansion
  std::size_t max_scalar_bytes = 8u << 20; // one scalar
  std::size_t max_expanded_bytes = 64u << 20;  // scalar text per document, after alias expansion
};

// Parses every document of `text` and calls `on_document` for each, in order,
// so a long stream never has more than one document in memory. An empty
// stream calls it zero times. `file` names the input in locations and errors.
// Errors are bad_input with "file:line:col: reason"; the first error from
// `on_document` stops parsing and is returned.
[[nodiscard]] Expected<void> for_each_document(
    std::string_view text, const std::shared_ptr<const std::string>& file,
    const std::function<Expected<void>(Node&&)>& on_document, const ParseLimits& limits = {});

// Parses a single-document file (Compose). An empty file gives a null node;
// more than one document is an error.
[[nodiscard]] Expected<Node> parse_single_document(std::string_view text,
                                                   const std::shared_ptr<const std::string>& file,
                                                   const ParseLimits& limits = {});

// Position of the first byte that is not valid UTF-8, as a location; or an
// empty optional-like {line 0} when the text is valid.
// A NUL byte counts as invalid here (text files never hold one).
[[nodiscard]] SourceLocation find_invalid_utf8(std::string_view text,
                                               const std::shared_ptr<const std::string>& file);

// Refuses text that is not UTF-8, before any parser sees it (a parser would
// stop at a NUL and silently drop the rest). Errors bad_input:
// "file:1:1: UTF-16 LE text (byte-order mark); stackfit reads UTF-8 only"
// (also UTF-16 BE, UTF-32 LE/BE; a UTF-8 BOM is fine),
// "file:L:C: NUL byte (binary data, or UTF-16/32 text?); stackfit reads UTF-8 only",
// "file:L:C: not valid UTF-8".
[[nodiscard]] Expected<void> check_utf8_text(std::string_view text, const std::shared_ptr<const std::string>& file);

}  // namespace stackfit::yaml
