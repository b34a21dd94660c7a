#include "stackfit/observe/prometheus_json.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace stackfit {
namespace {

using Json = nlohmann::json;

constexpr std::size_t k_max_error_text_bytes = 300;

// Where the parser is: one frame per open object/array it understands; any
// value it does not need is skipped whole (m_skip counts the open containers).
enum class Frame { top, data, result, series, metric, values, point, warnings };

class MatrixSax {
 public:
  PromMatrix matrix;
  std::string status, error_type, error_text, result_type, reason;
  bool saw_result = false;

  bool null() { return scalar_other("null"); }
  bool boolean(bool) { return scalar_other("a boolean"); }
  bool number_integer(std::int64_t v) { return number(static_cast<double>(v)); }
  bool number_unsigned(std::uint64_t v) { return number(static_cast<double>(v)); }
  bool number_float(double v, const std::string&) { return number(v); }
  bool binary(Json::binary_t&) { return fail("binary value"); }

  bool string(std::string& s) {
    if (m_skip > 0 || m_stack.empty()) return true;
    if (s.size() > k_max_prom_string_bytes) return fail("a string longer than " + std::to_string(k_max_prom_string_bytes) + " bytes");
    switch (m_stack.back()) {
      case Frame::top:
        if (m_key == "status") status = std::move(s);
        else if (m_key == "errorType") error_type = std::move(s);
        else if (m_key == "error") error_text = std::move(s);
        return true;
      case Frame::data:
        if (m_key == "resultType") result_type = std::move(s);
        if (m_key == "result") return fail("data.result: expected an array, got a string");
        return true;
      case Frame::metric: {
        auto& labels = matrix.series.back().labels;
        if (labels.size() >= k_max_prom_labels) return fail("a series with more than " + std::to_string(k_max_prom_labels) + " labels");
        labels.emplace_back(std::move(m_key), std::move(s));
        return true;
      }
      case Frame::point:
        return point_value(s);
      case Frame::warnings:
        if (matrix.warnings.size() < 100) matrix.warnings.push_back(std::move(s));
        return true;
      default:
        return where_fail("a string");
    }
  }

  bool key(std::string& k) {
    if (m_skip == 0) m_key = std::move(k);
    return true;
  }

  bool start_object(std::size_t) { return open(true); }
  bool start_array(std::size_t) { return open(false); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    if (reason.empty()) {
      std::string what = e.what();
      auto column = what.find("column");
      auto colon = column == std::string::npos ? column : what.find(": ", column);
      // what() ends with the last token read, which a hostile answer can make megabytes long.
      std::string detail = colon == std::string::npos ? std::string() : what.substr(colon + 2, 160);
      if (colon != std::string::npos && what.size() > colon + 2 + 160) detail += "...";
      reason = "invalid JSON at byte " + std::to_string(position) + (detail.empty() ? "" : " (" + detail + ")");
    }
    return false;
  }

 private:
  std::vector<Frame> m_stack;
  std::size_t m_skip = 0;
  std::string m_key;
  int m_point_index = 0;
  std::size_t m_points = 0;  // points of the whole answer
  PromPoint m_point;

  bool fail(std::string why) {
    if (reason.empty()) reason = std::move(why);
    return false;
  }

  std::string where() const {
    std::string w;
    for (Frame f : m_stack) {
      if (f == Frame::data) w = "data";
      if (f == Frame::result) w += ".result[" + std::to_string(matrix.series.size() - (m_stack.back() == Frame::result ? 0 : 1)) + "]";
      if (f == Frame::values) w += ".values[" + std::to_string(matrix.series.empty() ? 0 : matrix.series.back().points.size()) + "]";
      if (f == Frame::metric) w += ".metric";
    }
    return w.empty() ? "top level" : w;
  }

  bool where_fail(const std::string& what) { return fail(where() + ": unexpected " + what); }

  bool scalar_other(const char* what) {
    if (m_skip > 0 || m_stack.empty()) return true;
    Frame f = m_stack.back();
    if (f == Frame::data && m_key == "result") return fail(std::string("data.result: expected an array, got ") + what);
    if (f == Frame::top || f == Frame::data) return true;  // unknown members of known objects are ignored
    return where_fail(what);
  }

  bool number(double v) {
    if (m_skip > 0 || m_stack.empty()) return true;
    Frame f = m_stack.back();
    if (f == Frame::data && m_key == "result") return fail("data.result: expected an array, got a number");
    if (f == Frame::top || f == Frame::data) return true;
    if (f != Frame::point || m_point_index != 0) return where_fail("a number");
    if (!std::isfinite(v) || v < 0 || v > 1e11) return fail(where() + ": timestamp out of range");
    m_point.t_ms = std::llround(v * 1000.0);
    m_point_index = 1;
    return true;
  }

  bool point_value(const std::string& s) {
    if (m_point_index != 1) return where_fail("a string");
    const char* begin = s.c_str();
    char* end = nullptr;
    double v = std::strtod(begin, &end);
    if (s.empty() || end != begin + s.size()) return fail(where() + ": value \"" + s.substr(0, 40) + "\" is not a number");
    m_point.value = v;
    m_point_index = 2;
    return true;
  }

  bool open(bool object) {
    if (m_stack.size() + m_skip >= k_max_prom_json_depth) {
      return fail("nested deeper than " + std::to_string(k_max_prom_json_depth) + " levels");
    }
    if (m_skip > 0) {
      ++m_skip;
      return true;
    }
    if (m_stack.empty()) {
      if (!object) return fail("top level: expected an object");
      m_stack.push_back(Frame::top);
      return true;
    }
    Frame f = m_stack.back();
    std::optional<Frame> next;
    bool want_object = false;
    if (f == Frame::top && m_key == "data") next = Frame::data, want_object = true;
    else if (f == Frame::top && m_key == "warnings") next = Frame::warnings;
    else if (f == Frame::data && m_key == "result") next = Frame::result;
    else if (f == Frame::result) next = Frame::series, want_object = true;
    else if (f == Frame::series && m_key == "metric") next = Frame::metric, want_object = true;
    else if (f == Frame::series && m_key == "values") next = Frame::values;
    else if (f == Frame::values) next = Frame::point;
    if (!next) {
      if (f == Frame::top || f == Frame::data || f == Frame::series) {
        ++m_skip;  // a member we do not need ("infos", "stats", "histograms", ...)
        return true;
      }
      return where_fail(object ? "an object" : "an array");
    }
    if (*next == Frame::result && object) return fail("data.result: expected an array, got an object");
    if (object != want_object) return where_fail(object ? "an object" : "an array");
    if (*next == Frame::result) saw_result = true;
    if (*next == Frame::series && matrix.series.size() >= k_max_prom_series) {
      return fail("data.result: more than " + std::to_string(k_max_prom_series) + " series");
    }
    if (*next == Frame::series) matrix.series.emplace_back();
    if (*next == Frame::point) m_point_index = 0;
    m_stack.push_back(*next);
    return true;
  }

  bool close() {
    if (m_skip > 0) {
      --m_skip;
      return true;
    }
    if (m_stack.empty()) return true;
    Frame f = m_stack.back();
    if (f == Frame::point) {
      if (m_point_index != 2) return fail(where() + ": expected [<time>, \"<value>\"]");
      auto& points = matrix.series.back().points;
      if (points.size() >= k_max_prom_series_points || ++m_points > k_max_prom_points) {
        return fail(where() + ": more points than any query asks for (at most " +
                    std::to_string(k_max_prom_series_points) + " a series, " + std::to_string(k_max_prom_points) +
                    " an answer)");
      }
      if (std::isfinite(m_point.value)) points.push_back(m_point);
      else ++matrix.non_finite_points;
    }
    m_stack.pop_back();
    return true;
  }
};

Error answer_error(std::string reason) {
  return Error{ErrorCode::unavailable, "not a Prometheus API answer: " + std::move(reason)};
}

std::string clip(std::string text) {
  if (text.size() > k_max_error_text_bytes) text = text.substr(0, k_max_error_text_bytes) + "...";
  for (char& c : text) if (c == '\n' || c == '\r') c = ' ';
  return text;
}

}  // namespace

std::string_view PromSeries::label(std::string_view name) const {
  for (const auto& [k, v] : labels) if (k == name) return v;
  return {};
}

Expected<PromMatrix> parse_prometheus_matrix(std::string_view body) {
  MatrixSax sax;
  bool ok = Json::sax_parse(body, &sax, nlohmann::detail::input_format_t::json, /*strict=*/true);
  if (!ok) return tl::unexpected(answer_error(sax.reason.empty() ? "invalid JSON" : sax.reason));
  if (sax.status == "error") {
    return make_error(ErrorCode::unavailable, clip((sax.error_type.empty() ? "error" : sax.error_type) + ": " + sax.error_text));
  }
  if (sax.status != "success") return tl::unexpected(answer_error("no \"status\":\"success\""));
  if (sax.result_type != "matrix") {
    return tl::unexpected(answer_error("resultType \"" + clip(sax.result_type) + "\", expected \"matrix\""));
  }
  if (!sax.saw_result) return tl::unexpected(answer_error("no data.result array"));
  return std::move(sax.matrix);
}

std::string prometheus_error_of(std::string_view body) {
  MatrixSax sax;  // SAX, not a DOM: an error body is as untrusted as any other
  (void)Json::sax_parse(body, &sax, nlohmann::detail::input_format_t::json, /*strict=*/true);
  if (sax.status != "error" || sax.error_text.empty()) return {};
  return clip((sax.error_type.empty() ? std::string() : sax.error_type + ": ") + sax.error_text);
}

}  // namespace stackfit
