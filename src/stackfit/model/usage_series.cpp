#include "stackfit/model/usage_series.hpp"

namespace stackfit {

std::size_t UsageSeriesSet::series_index(std::string_view id) {
  auto it = m_index.find(std::string(id));
  if (it != m_index.end()) return it->second;
  m_series.push_back(Series{std::string(id), {}, 0, 0, -1, {}, {}});
  m_index.emplace(std::string(id), m_series.size() - 1);
  return m_series.size() - 1;
}

void UsageSeriesSet::append(std::size_t index, const UsagePoint& point) {
  Series& s = m_series[index];
  std::size_t slot = s.count % k_block_points;
  if (slot == 0) s.blocks.push_back(std::make_unique<Block>());
  Block& b = *s.blocks.back();
  b.t_ns[slot] = point.t_ns;
  b.usage_bytes[slot] = point.usage_bytes;
  if (point.limit_bytes != s.last_limit) {
    s.limit_changes.emplace_back(s.count, point.limit_bytes);
    s.last_limit = point.limit_bytes;
  }
  if (point.killed) s.kills.push_back(s.count);
  s.last_t_ns = point.t_ns;
  ++s.count;
  ++m_total;
}

void UsageSeriesSet::copy_points(std::size_t index, std::vector<UsagePoint>& out) const {
  const Series& s = m_series[index];
  out.clear();
  out.reserve(s.count);
  std::size_t next_change = 0;
  std::size_t next_kill = 0;
  std::int64_t limit = -1;
  for (std::size_t i = 0; i < s.count; ++i) {
    const Block& b = *s.blocks[i / k_block_points];
    std::size_t slot = i % k_block_points;
    if (next_change < s.limit_changes.size() && s.limit_changes[next_change].first == i) {
      limit = s.limit_changes[next_change++].second;
    }
    bool killed = next_kill < s.kills.size() && s.kills[next_kill] == i;
    if (killed) ++next_kill;
    out.push_back(UsagePoint{b.t_ns[slot], b.usage_bytes[slot], limit, killed});
  }
}

std::size_t UsageSeriesSet::bytes_held() const {
  std::size_t bytes = m_series.capacity() * sizeof(Series);
  for (const Series& s : m_series) {
    bytes += s.blocks.size() * sizeof(Block) + s.blocks.capacity() * sizeof(void*);
    bytes += s.limit_changes.capacity() * sizeof(s.limit_changes[0]) + s.kills.capacity() * sizeof(std::size_t);
    bytes += s.id.capacity();
  }
  return bytes;
}

}  // namespace stackfit
