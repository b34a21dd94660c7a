// Time-series charts drawn as inline SVG text for `stackfit report`: no
// script, no font or file from elsewhere, so the page opens offline. A chart
// is a fixed-size plot of buckets (ReportTimelines' grid) against a value
// axis; lines, stacked areas, horizontal levels, markers and shaded spans are
// added, then text() closes it. Every user-provided string goes through
// html_escape.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stackfit {

// &, <, >, " and ' as entities: safe in element text and quoted attributes.
[[nodiscard]] std::string html_escape(std::string_view text);

struct ChartFrame {
  std::int64_t first_ns = 0;   // time of bucket 0's start
  std::int64_t bucket_ns = 1;  // width of a bucket
  std::size_t buckets = 0;
  double max_value = 1;        // top of the value axis (> 0)
  bool bytes = true;           // axis labels as bytes (else millicores)
};

class SvgChart {
 public:
  // `css_class` and `label` go on the <svg> (class, aria-label; escaped).
  SvgChart(const ChartFrame& frame, std::string css_class, std::string_view label, int width = 560,
           int height = 190);
  // A line through the buckets' values; -1 values break it.
  void line(const std::vector<std::int64_t>& values, std::string_view css_class);
  // The area between `lower` and `upper` (same length; -1 counts as lower).
  void band(const std::vector<std::int64_t>& lower, const std::vector<std::int64_t>& upper,
            std::string_view css_class, std::string_view fill, std::string_view title);
  // A horizontal level across the plot, labelled at its right end.
  void level(double value, std::string_view css_class, std::string_view label);
  // A vertical marker at `t_ns` with a hover title.
  void marker(std::int64_t t_ns, std::string_view css_class, std::string_view title);
  // A shaded span [from_ns, to_ns), clipped to the plot.
  void span(std::int64_t from_ns, std::int64_t to_ns, std::string_view css_class, std::string_view title);
  [[nodiscard]] std::string text() const;

 private:
  [[nodiscard]] double x_of_time(std::int64_t t_ns) const;
  [[nodiscard]] double x_of_bucket(std::size_t i) const;
  [[nodiscard]] double y_of(double value) const;
  [[nodiscard]] std::string axes() const;

  ChartFrame m_frame;
  std::string m_class;
  std::string m_label;
  int m_width;
  int m_height;
  std::string m_spans;  // drawn first (under the data)
  std::string m_body;
};

// "1.5 GiB" / "250m" style axis label of a value.
[[nodiscard]] std::string axis_label(double value, bool bytes);

}  // namespace stackfit
