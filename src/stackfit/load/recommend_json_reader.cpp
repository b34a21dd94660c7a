#include "stackfit/load/recommend_json_reader.hpp"

#include <memory>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "stackfit/load/yaml_node.hpp"
#include "stackfit/util/file_io.hpp"
#include "stackfit/util/quoted_excerpt.hpp"

namespace stackfit {
namespace {

constexpr std::string_view k_schema = "stackfit.recommend/1";

// Strict JSON syntax check (the YAML reader below would accept more than
// JSON): every event accepted, the first syntax error kept with its offset.
class SyntaxCheck : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
    m_position = position;
    std::string what = ex.what();
    std::size_t colon = what.find(": ", what.find("column"));
    m_reason = colon == std::string::npos ? what : what.substr(colon + 2);
    return false;
  }
  std::size_t m_position = 0;
  std::string m_reason;
};

std::string line_col(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

tl::unexpected<Error> fail(const yaml::Node& at, const std::string& path, const std::string& what) {
  return make_error(ErrorCode::bad_input, at.location.to_string() + ": " + path + ": " + what);
}

std::string shown(const yaml::Node& n) {
  if (n.is_mapping()) return "an object";
  if (n.is_sequence()) return "an array";
  if (n.style == yaml::ScalarStyle::double_quoted) return quoted_excerpt(n.text);
  return one_line_excerpt(n.text);
}

bool is_null(const yaml::Node& n) { return n.is_null() || (n.is_plain_scalar() && n.text == "null"); }
bool is_string(const yaml::Node& n) { return n.is_scalar() && n.style == yaml::ScalarStyle::double_quoted; }

// JSON integers as written (no fraction or exponent).
bool is_integer(const yaml::Node& n) {
  if (!n.is_plain_scalar() || n.text.empty()) return false;
  std::size_t i = n.text[0] == '-' ? 1 : 0;
  if (i == n.text.size()) return false;
  for (; i < n.text.size(); ++i) {
    if (n.text[i] < '0' || n.text[i] > '9') return false;
  }
  return true;
}

bool is_number(const yaml::Node& n) {
  if (!n.is_plain_scalar() || n.text.empty() || is_null(n) || n.text == "true" || n.text == "false") return false;
  return n.text.find_first_not_of("0123456789+-.eE") == std::string::npos;
}

using OptionalInt = std::optional<std::int64_t>;

// A non-negative integer or null; absent is null.
Expected<OptionalInt> count_field(const yaml::Node& parent, std::string_view key, const std::string& path) {
  const yaml::Node* n = parent.find(key);
  if (n == nullptr || is_null(*n)) return OptionalInt{};
  const std::string p = path + "." + std::string(key);
  if (!is_integer(*n)) return fail(*n, p, "expected a non-negative integer or null, got " + shown(*n));
  if (n->text[0] == '-') return fail(*n, p, "must not be negative, got " + n->text);
  if (n->text.size() > 18) return fail(*n, p, "too large: " + n->text);
  return OptionalInt{std::stoll(n->text)};
}

Expected<std::string> string_field(const yaml::Node& parent, std::string_view key, const std::string& path,
                                   bool required) {
  const yaml::Node* n = parent.find(key);
  const std::string p = path + "." + std::string(key);
  if (n == nullptr) {
    if (required) return fail(parent, p, "required field is missing");
    return std::string();
  }
  if (!is_string(*n)) return fail(*n, p, "expected a string, got " + shown(*n));
  return n->text;
}

Expected<const yaml::Node*> object_field(const yaml::Node& parent, std::string_view key, const std::string& path) {
  const yaml::Node* n = parent.find(key);
  if (n == nullptr || is_null(*n)) return static_cast<const yaml::Node*>(nullptr);
  if (!n->is_mapping()) return fail(*n, path + "." + std::string(key), "expected an object or null, got " + shown(*n));
  return n;
}

Expected<void> check_counts(const yaml::Node& parent, const std::string& path,
                            std::initializer_list<std::string_view> keys) {
  for (std::string_view k : keys) {
    TRY(count_field(parent, k, path));
  }
  return {};
}

Expected<void> read_memory(const yaml::Node& svc, const std::string& path, Resources& r) {
  auto mem = object_field(svc, "memory", path);
  TRY(mem);
  if (*mem == nullptr) return {};
  const std::string p = path + ".memory";
  auto req = count_field(**mem, "request_bytes", p);
  TRY(req);
  auto lim = count_field(**mem, "limit_bytes", p);
  TRY(lim);
  if (auto ok = check_counts(**mem, p,
                             {"declared_request_bytes", "declared_limit_bytes", "peak_bytes", "p95_bytes",
                              "startup_peak_bytes", "steady_peak_bytes"});
      !ok) {
    return ok;
  }
  if (const yaml::Node* t = (*mem)->find("trend_bytes_per_hour"); t && !is_null(*t) && !is_number(*t)) {
    return fail(*t, p + ".trend_bytes_per_hour", "expected a number or null, got " + shown(*t));
  }
  if (*req) r.memory_request = Bytes{**req};
  if (*lim) r.memory_limit = Bytes{**lim};
  return {};
}

Expected<void> read_cpu(const yaml::Node& svc, const std::string& path, Resources& r) {
  auto cpu = object_field(svc, "cpu", path);
  TRY(cpu);
  if (*cpu == nullptr) return {};
  const std::string p = path + ".cpu";
  auto req = count_field(**cpu, "request_millicores", p);
  TRY(req);
  auto lim = count_field(**cpu, "limit_millicores", p);
  TRY(lim);
  if (auto ok = check_counts(
          **cpu, p, {"declared_request_millicores", "declared_limit_millicores", "p95_millicores", "peak_millicores"});
      !ok) {
    return ok;
  }
  if (*req) r.cpu_request = Millicores{**req};
  if (*lim) r.cpu_limit = Millicores{**lim};
  return {};
}

Expected<RuntimeKnob> knob_named(const yaml::Node& n, const std::string& path) {
  for (int i = 0; i <= static_cast<int>(RuntimeKnob::node_max_old_space); ++i) {
    auto k = static_cast<RuntimeKnob>(i);
    if (n.text == to_string(k)) return k;
  }
  return fail(n, path, "unknown runtime knob " + quoted_excerpt(n.text));
}

Expected<void> read_runtime(const yaml::Node& svc, const std::string& path, std::vector<RuntimeKnobValue>& out) {
  const yaml::Node* list = svc.find("runtime");
  if (list == nullptr || is_null(*list)) return {};
  if (!list->is_sequence()) return fail(*list, path + ".runtime", "expected an array, got " + shown(*list));
  for (std::size_t i = 0; i < list->items.size(); ++i) {
    const yaml::Node& item = list->items[i];
    const std::string p = path + ".runtime[" + std::to_string(i) + "]";
    if (!item.is_mapping()) return fail(item, p, "expected an object, got " + shown(item));
    TRY(string_field(item, "knob", p, true));
    auto knob = knob_named(*item.find("knob"), p + ".knob");
    TRY(knob);
    auto bytes = count_field(item, "bytes", p);
    TRY(bytes);
    if (!*bytes) return fail(item, p + ".bytes", "required field is missing");
    auto policy = string_field(item, "policy", p, false);
    TRY(policy);
    auto reason = string_field(item, "reason", p, false);
    TRY(reason);
    out.push_back(RuntimeKnobValue{*knob, Bytes{**bytes}, *policy, *reason});
  }
  return {};
}

Expected<void> check_other_fields(const yaml::Node& svc, const std::string& path) {
  if (auto ok = check_counts(svc, path, {"samples", "history_seconds", "oom_kills", "restarts"}); !ok) return ok;
  if (const yaml::Node* c = svc.find("confidence"); c && !is_null(*c)) {
    if (!is_number(*c) || std::stod(c->text) < 0 || std::stod(c->text) > 1) {
      return fail(*c, path + ".confidence", "expected a number from 0 to 1 or null, got " + shown(*c));
    }
  }
  if (const yaml::Node* r = svc.find("reasons"); r && !is_null(*r)) {
    if (!r->is_sequence()) return fail(*r, path + ".reasons", "expected an array of strings, got " + shown(*r));
    for (const yaml::Node& item : r->items) {
      if (!is_string(item)) return fail(item, path + ".reasons", "expected an array of strings, got " + shown(item));
    }
  }
  return {};
}

struct ServiceRead {
  std::optional<RecommendedTarget> recommended;  // empty for not_enough_data
  std::string name;
};

Expected<ServiceRead> read_service(const yaml::Node& svc, const std::string& path) {
  if (!svc.is_mapping()) return fail(svc, path, "expected an object, got " + shown(svc));
  ResourceTarget t;
  auto name = string_field(svc, "name", path, true);
  TRY(name);
  if (name->empty()) return fail(*svc.find("name"), path + ".name", "must not be empty");
  t.service = *name;
  for (auto [key, field] : {std::pair{"kind", &t.kind}, {"namespace", &t.namespace_}, {"container", &t.container}}) {
    auto v = string_field(svc, key, path, false);
    TRY(v);
    *field = *v;
  }
  if (t.kind.empty()) t.kind = "service";
  auto status = string_field(svc, "status", path, true);
  TRY(status);
  if (*status != "ok" && *status != "trend" && *status != "oom_only" && *status != "not_enough_data") {
    return fail(*svc.find("status"), path + ".status",
                "expected \"ok\", \"trend\", \"oom_only\" or \"not_enough_data\", got " + quoted_excerpt(*status));
  }
  TRY(read_memory(svc, path, t.resources));
  TRY(read_cpu(svc, path, t.resources));
  TRY(read_runtime(svc, path, t.knobs));
  TRY(check_other_fields(svc, path));
  ServiceRead out;
  out.name = t.service;
  if (*status == "not_enough_data") return out;
  double confidence = 0;
  if (const yaml::Node* c = svc.find("confidence"); c && !is_null(*c)) confidence = std::stod(c->text);
  out.recommended = RecommendedTarget{std::move(t), confidence, *status};
  return out;
}

}  // namespace

Expected<RecommendFile> parse_recommend_json(std::string_view text, const std::string& file) {
  SyntaxCheck check;
  if (!nlohmann::json::sax_parse(text.begin(), text.end(), &check)) {
    return make_error(ErrorCode::bad_input, file + ":" +
                                                line_col(text, check.m_position == 0 ? 0 : check.m_position - 1) +
                                                ": not JSON: " + check.m_reason);
  }
  auto doc = yaml::parse_single_document(text, std::make_shared<const std::string>(file));
  TRY(doc);
  if (!doc->is_mapping()) return fail(*doc, "the document", "expected an object, got " + shown(*doc));
  auto schema = string_field(*doc, "schema", "", true);
  TRY(schema);
  if (*schema != k_schema) {
    return fail(*doc->find("schema"), ".schema",
                "expected \"" + std::string(k_schema) + "\", got " + quoted_excerpt(*schema) + " (not a stackfit recommend file)");
  }
  const yaml::Node* services = doc->find("services");
  if (services == nullptr) return fail(*doc, ".services", "required field is missing");
  if (!services->is_sequence()) return fail(*services, ".services", "expected an array, got " + shown(*services));
  RecommendFile out;
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (std::size_t i = 0; i < services->items.size(); ++i) {
    const std::string path = ".services[" + std::to_string(i) + "]";
    auto s = read_service(services->items[i], path);
    TRY(s);
    if (!s->recommended) {
      out.not_enough_data.push_back(s->name);
      continue;
    }
    const ResourceTarget& t = s->recommended->target;
    if (!seen.emplace(t.namespace_, t.service, t.container).second) {
      return fail(services->items[i], path, quoted_excerpt(s->name) + " appears twice");
    }
    out.services.push_back(std::move(*s->recommended));
  }
  return out;
}

std::vector<ResourceTarget> RecommendFile::targets() const {
  std::vector<ResourceTarget> out;
  out.reserve(services.size());
  for (const RecommendedTarget& s : services) out.push_back(s.target);
  return out;
}

Expected<RecommendFile> read_recommend_json(const std::string& path) {
  auto text = path == "-" ? read_stdin() : read_file(path);
  TRY(text);
  return parse_recommend_json(*text, path == "-" ? "<stdin>" : path);
}

}  // namespace stackfit
