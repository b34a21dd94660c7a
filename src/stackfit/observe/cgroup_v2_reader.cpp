#include "stackfit/observe/cgroup_v2_reader.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace stackfit {
namespace {

// cpu.stat's microseconds in ns; a hostile or corrupt file's value near
// int64's top saturates instead of overflowing.
std::int64_t us_to_ns(std::int64_t us) {
  constexpr std::int64_t k_ns_per_us = 1000;
  constexpr std::int64_t k_max = std::numeric_limits<std::int64_t>::max();
  return us > k_max / k_ns_per_us ? k_max : us * k_ns_per_us;
}

}  // namespace

Expected<std::unique_ptr<CgroupReader>> CgroupV2Reader::open(const CgroupMounts& mounts,
                                                             const std::string& relative_path) {
  auto dir = cgroup_dir_path(mounts.memory_root, relative_path);
  TRY(dir);
  std::unique_ptr<CgroupV2Reader> reader(new CgroupV2Reader());
  TRY(reader->open_files(*dir));
  return std::unique_ptr<CgroupReader>(std::move(reader));
}

Expected<void> CgroupV2Reader::open_files(const std::string& dir) {
  const std::array<WantedCgroupFile, 7> wanted{{
      {&m_current, "memory.current", FilePresence::required},
      {&m_stat, "memory.stat", FilePresence::required},
      {&m_peak, "memory.peak", FilePresence::optional},
      {&m_events, "memory.events", FilePresence::required},
      {&m_max, "memory.max", FilePresence::required},
      {&m_cpu_stat, "cpu.stat", FilePresence::required},
      {&m_pressure, "memory.pressure", FilePresence::optional},
  }};
  return open_cgroup_files(dir, wanted);
}

Expected<Sample> CgroupV2Reader::read(TasksRan ran) {
  // One stack buffer reused for every file: no allocation per reading.
  std::array<char, k_cgroup_read_buffer_bytes> buffer;
  Sample sample;
  // A cgroup none of whose tasks ran was not throttled either (see
  // CgroupV1Reader::read_throttling), so cpu.stat is reused whole.
  if (ran == TasksRan::maybe || !m_schedule.has_previous()) {
    TRY(read_cpu(buffer));
  }
  sample.cpu_usage_ns = m_cpu_usage_ns;
  sample.cpu_periods = m_periods;
  sample.cpu_throttled_periods = m_throttled_periods;
  sample.cpu_throttled_ns = m_throttled_ns;
  Expected<std::int64_t> current = m_schedule.last_usage();
  if (m_schedule.usage_needed(sample.cpu_usage_ns)) current = m_current.read_integer(buffer);
  TRY(current);
  sample.usage = Bytes{*current};
  CgroupReadSchedule::Need need = m_schedule.next(*current, sample.cpu_usage_ns);
  if (need.stat) {
    TRY(read_memory_stat(buffer));
    TRY(read_pressure(buffer));
  }
  // memory.events counts the cgroup and its descendants (memory.events.local
  // would be this cgroup alone); a container's processes are all below it.
  if (auto ok = read_oom_and_peak(m_events, m_peak, need.oom, need.peak, buffer, m_oom_kills, m_peak_bytes); !ok) {
    return tl::unexpected<Error>(ok.error());
  }
  if (m_current.unlinked()) return tl::unexpected<Error>(m_current.vanished_error());
  sample.rss = Bytes{m_anon};
  sample.page_cache = Bytes{m_file};
  sample.inactive_file = Bytes{m_inactive_file};
  // Working set as cAdvisor/kubelet compute it (clamped at 0); the docker
  // CLI's calculateMemUsageUnixNoCache subtracts inactive_file on v2 too.
  sample.working_set = Bytes{*current > m_inactive_file ? *current - m_inactive_file : 0};
  sample.memory_pressure_some_avg10 = m_pressure_some_avg10;
  if (m_peak_bytes) sample.peak = Bytes{std::max(*m_peak_bytes, *current)};
  sample.oom_kills = m_oom_kills;
  return sample;
}

Expected<void> CgroupV2Reader::read_memory_stat(std::span<char> buffer) {
  std::array<KeyedField, 3> stat{{{"anon", {}}, {"file", {}}, {"inactive_file", {}}}};
  if (auto ok = m_stat.read_keyed(buffer, stat); !ok) return ok;
  for (const KeyedField& field : stat) {
    if (!field.value) {
      return make_error(ErrorCode::bad_input, m_stat.path() + ": no \"" + std::string(field.key) + "\" line");
    }
  }
  m_anon = *stat[0].value;
  m_file = *stat[1].value;
  m_inactive_file = *stat[2].value;
  return {};
}

Expected<void> CgroupV2Reader::read_cpu(std::span<char> buffer) {
  std::array<KeyedField, 4> stat{
      {{"usage_usec", {}}, {"nr_periods", {}}, {"nr_throttled", {}}, {"throttled_usec", {}}}};
  if (auto ok = m_cpu_stat.read_keyed(buffer, stat); !ok) return ok;
  if (!stat[0].value) return make_error(ErrorCode::bad_input, m_cpu_stat.path() + ": no \"usage_usec\" line");
  m_cpu_usage_ns = us_to_ns(*stat[0].value);
  m_periods = stat[1].value.value_or(0);
  m_throttled_periods = stat[2].value.value_or(0);
  m_throttled_ns = us_to_ns(stat[3].value.value_or(0));
  return {};
}

Expected<void> CgroupV2Reader::read_pressure(std::span<char> buffer) {
  if (!m_pressure.is_open()) return {};
  auto text = m_pressure.read(buffer);
  TRY(text);
  auto avg10 = parse_pressure_some_avg10(*text, m_pressure.path());
  TRY(avg10);
  m_pressure_some_avg10 = *avg10;
  return {};
}

Expected<std::optional<Bytes>> CgroupV2Reader::memory_limit() {
  std::array<char, 64> buffer;
  auto limit = m_max.read_limit(buffer);
  TRY(limit);
  if (m_max.unlinked()) return tl::unexpected<Error>(m_max.vanished_error());
  if (!*limit) return std::optional<Bytes>{};
  return std::optional<Bytes>{Bytes{**limit}};
}

}  // namespace stackfit
