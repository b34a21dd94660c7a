// Memory-usage series as `backtest` replays them: per series (a service, a
// pod's container, a VM), its points in time order with the limit that was in
// force when the source knows it, and the OOM kills it recorded.
//
// Stored compactly, because a backtest holds every series before replaying
// any (CSV rows of different series may interleave in any order): 16 bytes
// per point in fixed blocks of 512 points (at most one partly filled block per
// series), plus one entry per change of the limit and per recorded kill.
// Filled by load/usage_csv_reader and analyze/usage_series_collector.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace stackfit {

// One reading of one series.
struct UsagePoint {
  std::int64_t t_ns = 0;           // Unix epoch, nanoseconds
  std::int64_t usage_bytes = 0;    // working set (or the source's usage figure)
  std::int64_t limit_bytes = -1;   // limit in force at t; -1: not known
  bool killed = false;             // the source recorded an OOM kill at t
};

class UsageSeriesSet {
 public:
  // Index of the series `id`, added (empty) when new. Indexes are dense, in
  // order of first appearance.
  std::size_t series_index(std::string_view id);
  // Appends a point to series `index`. Points of one series must come in
  // nondecreasing time order (the reader or collector checks and sorts).
  void append(std::size_t index, const UsagePoint& point);

  [[nodiscard]] std::size_t size() const { return m_series.size(); }
  [[nodiscard]] const std::string& id(std::size_t index) const { return m_series[index].id; }
  [[nodiscard]] std::size_t point_count(std::size_t index) const { return m_series[index].count; }
  [[nodiscard]] std::size_t total_points() const { return m_total; }
  // Time of the last point of series `index` (0 when it has none).
  [[nodiscard]] std::int64_t last_t_ns(std::size_t index) const { return m_series[index].last_t_ns; }
  // The points of series `index`, in order, into `out` (cleared first).
  void copy_points(std::size_t index, std::vector<UsagePoint>& out) const;
  // Bytes held, for the benchmark's account of memory.
  [[nodiscard]] std::size_t bytes_held() const;

 private:
  static constexpr std::size_t k_block_points = 512;
  struct Block {
    std::array<std::int64_t, k_block_points> t_ns;
    std::array<std::int64_t, k_block_points> usage_bytes;
  };
  struct Series {
    std::string id;
    std::vector<std::unique_ptr<Block>> blocks;
    std::size_t count = 0;
    std::int64_t last_t_ns = 0;
    std::int64_t last_limit = -1;
    std::vector<std::pair<std::size_t, std::int64_t>> limit_changes;  // (point index, limit from there on)
    std::vector<std::size_t> kills;                                   // point indexes
  };
  std::vector<Series> m_series;
  std::unordered_map<std::string, std::size_t> m_index;
  std::size_t m_total = 0;
};

}  // namespace stackfit
