// Builds yaml::Node trees from libfyaml's event stream (see yaml_node.hpp).
#include <libfyaml.h>

#include <map>
#include <optional>

#include "stackfit/load/yaml_node.hpp"

namespace stackfit::yaml {
namespace {

std::string token_text(fy_token* token) {
  if (!token) return {};
  size_t len = 0;
  const char* text = fy_token_get_text(token, &len);
  return text ? std::string(text, len) : std::string();
}

ScalarStyle to_style(fy_scalar_style s) {
  switch (s) {
    case FYSS_SINGLE_QUOTED: return ScalarStyle::single_quoted;
    case FYSS_DOUBLE_QUOTED: return ScalarStyle::double_quoted;
    case FYSS_LITERAL: return ScalarStyle::literal;
    case FYSS_FOLDED: return ScalarStyle::folded;
    default: return ScalarStyle::plain;
  }
}

bool is_plain_null(const std::string& text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

// One collection being built, with the key waiting for its value.
struct Frame {
  Node node;
  std::string anchor;
  std::optional<std::string> pending_key;
  SourceLocation pending_key_location;
  bool pending_key_is_merge = false;
  std::vector<Node> merge_sources;  // `<<` values, in order; applied at mapping end
  std::size_t nodes = 1;            // nodes in this subtree so far
};

class TreeBuilder {
 public:
  // `text` is the whole input libfyaml parses (marks index into it).
  TreeBuilder(std::string_view text, std::shared_ptr<const std::string> file, const ParseLimits& limits)
      : m_text(text), m_file(std::move(file)), m_limits(limits) {}

  // Feeds one event. Sets `finished` when a document's root is complete.
  Expected<void> on_event(fy_event* event, std::optional<Node>& finished);

 private:
  SourceLocation location_of(fy_event* event) const {
    const fy_mark* mark = fy_event_start_mark(event);
    if (!mark) return SourceLocation{m_file, 0, 0};
    return SourceLocation{m_file, static_cast<std::uint32_t>(mark->line + 1),
                          static_cast<std::uint32_t>(mark->column + 1)};
  }
  // libfyaml marks a block scalar (| or >) at the start of its first content
  // line; errors point at the line and column where its text starts.
  void skip_block_indent(fy_event* event, SourceLocation& where) const {
    const fy_mark* mark = fy_event_start_mark(event);
    if (!mark) return;
    for (std::size_t pos = mark->input_pos; pos < m_text.size(); ++pos) {
      if (m_text[pos] == ' ') {
        ++where.column;
      } else if (m_text[pos] == '\n') {
        ++where.line;
        where.column = 1;
      } else if (m_text[pos] != '\r') {
        return;
      }
    }
  }
  tl::unexpected<Error> fail(const SourceLocation& where, const std::string& what) const {
    return make_error(ErrorCode::bad_input, where.to_string() + ": " + what);
  }
  Expected<void> add_node(Node node, std::size_t nodes, const std::string& anchor,
                          bool is_merge_key_candidate, std::optional<Node>& finished);
  Expected<void> close_mapping(Frame& frame);
  Expected<void> count(std::size_t nodes, const SourceLocation& where);

  std::string_view m_text;
  std::shared_ptr<const std::string> m_file;
  ParseLimits m_limits;
  std::vector<Frame> m_stack;
  struct Anchored {
    Node node;
    std::size_t nodes;
  };
  std::map<std::string, Anchored, std::less<>> m_anchors;
  std::size_t m_document_nodes = 0;
};

Expected<void> TreeBuilder::count(std::size_t nodes, const SourceLocation& where) {
  m_document_nodes += nodes;
  if (m_document_nodes > m_limits.max_nodes) {
    return fail(where, "document expands to more than " + std::to_string(m_limits.max_nodes) +
                           " nodes (alias bomb?)");
  }
  return {};
}

Expected<void> TreeBuilder::close_mapping(Frame& frame) {
  // YAML merge keys: keys written in this mapping win; among merged mappings
  // the earlier one wins (as go-yaml and PyYAML do).
  for (Node& source : frame.merge_sources) {
    std::vector<Node*> mappings;
    if (source.is_mapping()) {
      mappings.push_back(&source);
    } else if (source.is_sequence()) {
      for (Node& item : source.items) {
        if (!item.is_mapping()) return fail(item.location, "merge key '<<' list item is not a mapping");
        mappings.push_back(&item);
      }
    } else {
      return fail(source.location, std::string("merge key '<<' needs a mapping or a list of mappings, got ") +
                                       source.kind_name());
    }
    for (Node* m : mappings) {
      for (MapEntry& e : m->entries) {
        if (!frame.node.find(e.key)) frame.node.entries.push_back(std::move(e));
      }
    }
  }
  frame.merge_sources.clear();
  return {};
}

Expected<void> TreeBuilder::add_node(Node node, std::size_t nodes, const std::string& anchor,
                                     bool is_merge_key_candidate, std::optional<Node>& finished) {
  if (!anchor.empty()) m_anchors[anchor] = Anchored{node, nodes};
  if (m_stack.empty()) {
    finished = std::move(node);
    return {};
  }
  Frame& parent = m_stack.back();
  parent.nodes += nodes;
  if (parent.node.is_sequence()) {
    parent.node.items.push_back(std::move(node));
    return {};
  }
  // Mapping: a key first, then its value.
  if (!parent.pending_key) {
    if (!node.is_scalar() && !node.is_null()) {
      return fail(node.location, std::string("mapping key must be a scalar, got ") + node.kind_name());
    }
    parent.pending_key_is_merge = is_merge_key_candidate && node.text == "<<";
    if (!parent.pending_key_is_merge) {
      if (const MapEntry* dup = parent.node.find_entry(node.text)) {
        return fail(node.location, "duplicate key \"" + node.text + "\" (first at line " +
                                       std::to_string(dup->key_location.line) + ")");
      }
    }
    parent.pending_key = std::move(node.text);
    parent.pending_key_location = std::move(node.location);
    return {};
  }
  if (parent.pending_key_is_merge) {
    parent.merge_sources.push_back(std::move(node));
  } else {
    parent.node.entries.push_back(
        MapEntry{std::move(*parent.pending_key), std::move(parent.pending_key_location), std::move(node)});
  }
  parent.pending_key.reset();
  parent.pending_key_is_merge = false;
  return {};
}

Expected<void> TreeBuilder::on_event(fy_event* event, std::optional<Node>& finished) {
  switch (event->type) {
    case FYET_DOCUMENT_START:
      m_anchors.clear();
      m_document_nodes = 0;
      return {};
    case FYET_MAPPING_START:
    case FYET_SEQUENCE_START: {
      SourceLocation where = location_of(event);
      if (m_stack.size() >= m_limits.max_depth) {
        return fail(where, "nesting deeper than " + std::to_string(m_limits.max_depth) + " levels");
      }
      if (auto ok = count(1, where); !ok) return ok;
      Frame frame;
      bool mapping = event->type == FYET_MAPPING_START;
      frame.node = mapping ? Node::make_mapping(where) : Node::make_sequence(where);
      frame.node.tag = token_text(fy_event_get_tag_token(event));
      frame.anchor = token_text(fy_event_get_anchor_token(event));
      m_stack.push_back(std::move(frame));
      return {};
    }
    case FYET_MAPPING_END:
    case FYET_SEQUENCE_END: {
      Frame frame = std::move(m_stack.back());
      m_stack.pop_back();
      if (frame.node.is_mapping()) {
        if (auto ok = close_mapping(frame); !ok) return ok;
      }
      return add_node(std::move(frame.node), frame.nodes, frame.anchor, false, finished);
    }
    case FYET_SCALAR: {
      fy_token* token = fy_event_get_token(event);
      Node node;
      node.location = location_of(event);
      node.style = to_style(fy_token_scalar_style(token));
      // libfyaml marks a quoted scalar after its opening quote; point at the quote.
      bool quoted = node.style == ScalarStyle::single_quoted || node.style == ScalarStyle::double_quoted;
      if (quoted && node.location.column > 1) --node.location.column;
      bool block = node.style == ScalarStyle::literal || node.style == ScalarStyle::folded;
      if (block) skip_block_indent(event, node.location);
      const SourceLocation& where = node.location;
      size_t length = 0;
      fy_token_get_text(token, &length);
      if (length > m_limits.max_scalar_bytes) {
        return fail(where, "scalar longer than " + std::to_string(m_limits.max_scalar_bytes >> 20) + " MiB");
      }
      node.text = token_text(token);
      node.tag = token_text(fy_event_get_tag_token(event));
      bool plain = node.style == ScalarStyle::plain;
      node.kind = plain && node.tag.empty() && is_plain_null(node.text) ? NodeKind::null : NodeKind::scalar;
      if (auto ok = count(1, where); !ok) return ok;
      return add_node(std::move(node), 1, token_text(fy_event_get_anchor_token(event)), plain, finished);
    }
    case FYET_ALIAS: {
      SourceLocation where = location_of(event);
      if (where.column > 1) --where.column;  // libfyaml marks the name; point at the '*'

      std::string name = token_text(fy_event_get_token(event));
      auto it = m_anchors.find(name);
      if (it == m_anchors.end()) return fail(where, "unknown alias *" + name);
      if (auto ok = count(it->second.nodes, where); !ok) return ok;
      Node copy = it->second.node;
      copy.location = where;  // errors about the value point at the alias
      return add_node(std::move(copy), it->second.nodes, "", false, finished);
    }
    default:
      return {};
  }
}

struct ParserDeleter {
  void operator()(fy_parser* p) const { fy_parser_destroy(p); }
};
struct DiagDeleter {
  void operator()(fy_diag* d) const { fy_diag_unref(d); }
};

// The first error libfyaml collected, as "file:line:col: message".
Error parser_error(fy_diag* diag, const std::shared_ptr<const std::string>& file) {
  void* iter = nullptr;
  if (fy_diag_error* err = fy_diag_errors_iterate(diag, &iter)) {
    SourceLocation where{file, static_cast<std::uint32_t>(err->line > 0 ? err->line : 0),
                         static_cast<std::uint32_t>(err->column > 0 ? err->column : 0)};
    if (err->fyt) {
      if (const fy_mark* mark = fy_token_start_mark(err->fyt)) {
        where.line = static_cast<std::uint32_t>(mark->line + 1);
        where.column = static_cast<std::uint32_t>(mark->column + 1);
      }
    }
    return Error{ErrorCode::bad_input, where.to_string() + ": invalid YAML: " + (err->msg ? err->msg : "parse error")};
  }
  return Error{ErrorCode::bad_input, SourceLocation{file, 0, 0}.to_string() + ": invalid YAML"};
}

}  // namespace

Expected<void> for_each_document(std::string_view text, const std::shared_ptr<const std::string>& file,
                                 const std::function<Expected<void>(Node&&)>& on_document,
                                 const ParseLimits& limits) {
  SourceLocation bad = find_invalid_utf8(text, file);
  if (bad.line != 0) return make_error(ErrorCode::bad_input, bad.to_string() + ": not valid UTF-8");

  fy_diag_cfg diag_cfg{};
  fy_diag_cfg_default(&diag_cfg);
  diag_cfg.fp = nullptr;
  diag_cfg.output_fn = [](fy_diag*, void*, const char*, size_t) {};
  diag_cfg.level = FYET_ERROR;
  std::unique_ptr<fy_diag, DiagDeleter> diag(fy_diag_create(&diag_cfg));
  if (!diag) return make_error(ErrorCode::internal, "libfyaml: cannot create diagnostics");
  fy_diag_set_collect_errors(diag.get(), true);

  fy_parse_cfg cfg{};
  // Sloppy flow indentation: real Compose files close a flow list ("]") left of
  // its items (sentry, opentelemetry-demo), which PyYAML and Go yaml accept.
  cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_DEFAULT_VERSION_AUTO | FYPCF_JSON_NONE |
                                              FYPCF_SLOPPY_FLOW_INDENTATION);
  cfg.diag = diag.get();
  std::unique_ptr<fy_parser, ParserDeleter> parser(fy_parser_create(&cfg));
  if (!parser) return make_error(ErrorCode::internal, "libfyaml: cannot create parser");
  // An empty input still needs a valid pointer.
  static const char k_empty[] = "";
  if (fy_parser_set_string(parser.get(), text.empty() ? k_empty : text.data(), text.size()) != 0) {
    return make_error(ErrorCode::internal, "libfyaml: cannot set input");
  }

  TreeBuilder builder(text, file, limits);
  for (;;) {
    fy_event* event = fy_parser_parse(parser.get());
    if (!event) break;
    std::optional<Node> finished;
    auto ok = builder.on_event(event, finished);
    fy_parser_event_free(parser.get(), event);
    if (!ok) return ok;
    if (finished) {
      if (auto done = on_document(std::move(*finished)); !done) return done;
    }
  }
  if (fy_parser_get_stream_error(parser.get())) return tl::unexpected(parser_error(diag.get(), file));
  return {};
}

Expected<Node> parse_single_document(std::string_view text, const std::shared_ptr<const std::string>& file,
                                     const ParseLimits& limits) {
  std::optional<Node> result;
  std::size_t count = 0;
  auto ok = for_each_document(
      text, file,
      [&](Node&& doc) -> Expected<void> {
        if (++count > 1) {
          return make_error(ErrorCode::bad_input,
                            doc.location.to_string() + ": more than one YAML document in this file");
        }
        result = std::move(doc);
        return {};
      },
      limits);
  TRY(ok);
  if (!result) {
    Node empty;
    empty.location = SourceLocation{file, 1, 1};
    return empty;
  }
  return std::move(*result);
}

}  // namespace stackfit::yaml
