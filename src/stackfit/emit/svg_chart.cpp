#include "stackfit/emit/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "stackfit/emit/recommend_report.hpp"
#include "stackfit/model/quantity.hpp"

namespace stackfit {
namespace {

constexpr int k_left = 64;    // room for value labels
constexpr int k_right = 8;
constexpr int k_top = 8;
constexpr int k_bottom = 22;  // room for time labels

// One decimal is finer than a pixel: keeps the page small.
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

// "2026-11-20 10:00:00" from format_utc's ISO form.
std::string time_label(std::int64_t t_ns) {
  std::string s = format_utc(t_ns);
  if (s.size() >= 19) s[10] = ' ';
  if (!s.empty() && s.back() == 'Z') s.pop_back();
  return s;
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string axis_label(double value, bool bytes) {
  if (bytes) return format_human_bytes(Bytes{static_cast<std::int64_t>(std::llround(value))});
  return format_human_cpu(Millicores{static_cast<std::int64_t>(std::llround(value))});
}

SvgChart::SvgChart(const ChartFrame& frame, std::string css_class, std::string_view label, int width, int height)
    : m_frame(frame), m_class(std::move(css_class)), m_label(label), m_width(width), m_height(height) {
  if (!(m_frame.max_value > 0)) m_frame.max_value = 1;
  m_frame.bucket_ns = std::max<std::int64_t>(m_frame.bucket_ns, 1);
}

double SvgChart::x_of_time(std::int64_t t_ns) const {
  double span = static_cast<double>(m_frame.bucket_ns) * static_cast<double>(std::max<std::size_t>(m_frame.buckets, 1));
  double f = static_cast<double>(t_ns - m_frame.first_ns) / span;
  f = std::clamp(f, 0.0, 1.0);
  return k_left + f * (m_width - k_left - k_right);
}

// A bucket's value is drawn at the bucket's middle.
double SvgChart::x_of_bucket(std::size_t i) const {
  double n = static_cast<double>(std::max<std::size_t>(m_frame.buckets, 1));
  return k_left + (static_cast<double>(i) + 0.5) / n * (m_width - k_left - k_right);
}

double SvgChart::y_of(double value) const {
  double f = std::clamp(value / m_frame.max_value, 0.0, 1.0);
  return m_height - k_bottom - f * (m_height - k_top - k_bottom);
}

void SvgChart::line(const std::vector<std::int64_t>& values, std::string_view css_class) {
  std::string d;
  bool pen_down = false;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] < 0) {
      pen_down = false;
      continue;
    }
    d += (pen_down ? "L" : "M") + num(x_of_bucket(i)) + "," + num(y_of(static_cast<double>(values[i])));
    pen_down = true;
  }
  // A lone reading would be an invisible path: a dot shows it.
  if (std::count_if(values.begin(), values.end(), [](std::int64_t v) { return v >= 0; }) == 1) {
    auto it = std::find_if(values.begin(), values.end(), [](std::int64_t v) { return v >= 0; });
    auto i = static_cast<std::size_t>(it - values.begin());
    m_body += "<circle class=\"" + html_escape(css_class) + " dot\" cx=\"" + num(x_of_bucket(i)) + "\" cy=\"" +
              num(y_of(static_cast<double>(*it))) + "\" r=\"3\"/>";
  }
  if (!d.empty()) m_body += "<path class=\"" + html_escape(css_class) + "\" d=\"" + d + "\"/>";
}

void SvgChart::band(const std::vector<std::int64_t>& lower, const std::vector<std::int64_t>& upper,
                    std::string_view css_class, std::string_view fill, std::string_view title) {
  if (upper.empty() || lower.size() != upper.size()) return;
  std::string d;
  for (std::size_t i = 0; i < upper.size(); ++i) {
    double v = static_cast<double>(std::max(upper[i], lower[i]));
    d += (i ? "L" : "M") + num(x_of_bucket(i)) + "," + num(y_of(v));
  }
  for (std::size_t i = lower.size(); i-- > 0;) {
    d += "L" + num(x_of_bucket(i)) + "," + num(y_of(static_cast<double>(std::max<std::int64_t>(lower[i], 0))));
  }
  m_body += "<path class=\"" + html_escape(css_class) + "\" fill=\"" + html_escape(fill) + "\" d=\"" + d +
            "Z\"><title>" + html_escape(title) + "</title></path>";
}

void SvgChart::level(double value, std::string_view css_class, std::string_view label) {
  std::string y = num(y_of(value));
  m_body += "<g class=\"" + html_escape(css_class) + "\"><line x1=\"" + num(k_left) + "\" x2=\"" +
            num(m_width - k_right) + "\" y1=\"" + y + "\" y2=\"" + y + "\"/><text x=\"" + num(m_width - k_right - 2) +
            "\" y=\"" + num(y_of(value) - 3) + "\" text-anchor=\"end\">" + html_escape(label) + "</text></g>";
}

void SvgChart::marker(std::int64_t t_ns, std::string_view css_class, std::string_view title) {
  std::string x = num(x_of_time(t_ns));
  m_body += "<g class=\"marker " + html_escape(css_class) + "\" data-time=\"" + html_escape(time_label(t_ns)) +
            "\"><title>" + html_escape(title) + " at " + html_escape(time_label(t_ns)) + " UTC</title><line x1=\"" +
            x + "\" x2=\"" + x + "\" y1=\"" + num(k_top) + "\" y2=\"" + num(m_height - k_bottom) +
            "\"/><circle cx=\"" + x + "\" cy=\"" + num(k_top + 4) + "\" r=\"4\"/></g>";
}

void SvgChart::span(std::int64_t from_ns, std::int64_t to_ns, std::string_view css_class, std::string_view title) {
  double x1 = x_of_time(from_ns), x2 = x_of_time(to_ns);
  m_spans += "<rect class=\"" + html_escape(css_class) + "\" x=\"" + num(x1) + "\" y=\"" + num(k_top) +
             "\" width=\"" + num(std::max(x2 - x1, 1.0)) + "\" height=\"" + num(m_height - k_top - k_bottom) +
             "\"><title>" + html_escape(title) + "</title></rect>";
}

std::string SvgChart::axes() const {
  std::string out;
  for (int i = 0; i <= 4; ++i) {
    double v = m_frame.max_value * i / 4;
    std::string y = num(y_of(v));
    out += "<line class=\"grid\" x1=\"" + num(k_left) + "\" x2=\"" + num(m_width - k_right) + "\" y1=\"" + y +
           "\" y2=\"" + y + "\"/><text class=\"tick\" x=\"" + num(k_left - 4) + "\" y=\"" + num(y_of(v) + 4) +
           "\" text-anchor=\"end\">" + html_escape(axis_label(v, m_frame.bytes)) + "</text>";
  }
  std::int64_t span = m_frame.bucket_ns * static_cast<std::int64_t>(m_frame.buckets);
  const char* anchors[] = {"start", "middle", "end"};
  for (int i = 0; i < 3; ++i) {
    std::int64_t t = m_frame.first_ns + span / 2 * i;
    out += "<text class=\"tick\" x=\"" + num(x_of_time(t)) + "\" y=\"" + num(m_height - 6) + "\" text-anchor=\"" +
           anchors[i] + "\">" + html_escape(time_label(t)) + "</text>";
  }
  return out;
}

std::string SvgChart::text() const {
  return "<svg class=\"" + html_escape(m_class) + "\" role=\"img\" aria-label=\"" + html_escape(m_label) +
         "\" viewBox=\"0 0 " + std::to_string(m_width) + " " + std::to_string(m_height) + "\" width=\"" +
         std::to_string(m_width) + "\" height=\"" + std::to_string(m_height) + "\">" + m_spans + axes() + m_body +
         "</svg>";
}

}  // namespace stackfit
