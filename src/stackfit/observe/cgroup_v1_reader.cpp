#include "stackfit/observe/cgroup_v1_reader.hpp"

#include <algorithm>
#include <array>

namespace stackfit {
namespace {

// Working set = usage - inactive_file, clamped at 0: cAdvisor's
// setMemoryStats (kubelet's container_memory_working_set_bytes) clamps at 0;
// the docker CLI's calculateMemUsageUnixNoCache subtracts
// total_inactive_file on v1 (inactive_file on v2) the same way but keeps
// usage when inactive_file exceeds it. Both agree whenever usage >= inactive.
Bytes working_set_of(std::int64_t usage, std::int64_t inactive_file) {
  return Bytes{usage > inactive_file ? usage - inactive_file : 0};
}

// The hierarchical "total_" key when present, else the cgroup's own key
// (kernels that do not print total_ keys, e.g. with use_hierarchy off).
std::optional<std::int64_t> total_or_local(const KeyedField& total, const KeyedField& local) {
  return total.value ? total.value : local.value;
}

}  // namespace

Expected<std::unique_ptr<CgroupReader>> CgroupV1Reader::open(const CgroupMounts& mounts,
                                                             const std::string& relative_path) {
  auto dir = cgroup_dir_path(mounts.memory_root, relative_path);
  TRY(dir);
  std::unique_ptr<CgroupV1Reader> reader(new CgroupV1Reader());
  TRY(reader->open_memory_files(*dir));
  TRY(reader->open_cpu_files(mounts, relative_path));
  return std::unique_ptr<CgroupReader>(std::move(reader));
}

Expected<void> CgroupV1Reader::open_memory_files(const std::string& dir) {
  const std::array<WantedCgroupFile, 5> wanted{{
      {&m_usage, "memory.usage_in_bytes", FilePresence::required},
      {&m_stat, "memory.stat", FilePresence::required},
      {&m_max_usage, "memory.max_usage_in_bytes", FilePresence::optional},
      {&m_oom_control, "memory.oom_control", FilePresence::required},
      {&m_limit, "memory.limit_in_bytes", FilePresence::required},
  }};
  return open_cgroup_files(dir, wanted);
}

Expected<void> CgroupV1Reader::open_cpu_files(const CgroupMounts& mounts, const std::string& relative_path) {
  if (!mounts.cpu_root.empty()) {
    auto dir = cgroup_dir_path(mounts.cpu_root, relative_path);
    TRY(dir);
    if (auto ok = require_cgroup_dir(*dir); !ok) return ok;
    auto file = CgroupFile::open(*dir, "cpuacct.usage", FilePresence::required);
    TRY(file);
    m_cpu_usage = std::move(*file);
  }
  if (!mounts.cpu_stat_root.empty()) {
    auto dir = cgroup_dir_path(mounts.cpu_stat_root, relative_path);
    TRY(dir);
    if (!require_cgroup_dir(*dir)) return {};  // no cpu cgroup there: no throttling figures
    auto file = CgroupFile::open(*dir, "cpu.stat", FilePresence::optional);
    TRY(file);
    m_cpu_stat = std::move(*file);
    auto quota = CgroupFile::open(*dir, "cpu.cfs_quota_us", FilePresence::optional);
    TRY(quota);
    m_cfs_quota = std::move(*quota);
  }
  return {};
}

Expected<Sample> CgroupV1Reader::read(TasksRan ran) {
  // One stack buffer reused for every file: no allocation per reading.
  std::array<char, k_cgroup_read_buffer_bytes> buffer;
  Sample sample;
  std::optional<std::int64_t> cpu_ns;
  bool cpu_known = ran == TasksRan::none && m_schedule.has_previous() && m_cpu_usage.is_open();
  if (cpu_known) {
    cpu_ns = m_schedule.last_cpu_ns();
    sample.cpu_usage_ns = *cpu_ns;
  } else if (m_cpu_usage.is_open()) {
    auto usage_ns = m_cpu_usage.read_integer(buffer);
    TRY(usage_ns);
    sample.cpu_usage_ns = *usage_ns;
    cpu_ns = *usage_ns;
  }
  Expected<std::int64_t> usage = m_schedule.last_usage();
  if (m_schedule.usage_needed(cpu_ns)) usage = m_usage.read_integer(buffer);
  TRY(usage);
  sample.usage = Bytes{*usage};
  CgroupReadSchedule::Need need = m_schedule.next(*usage, sample.cpu_usage_ns);
  if (need.stat) {
    TRY(read_memory_stat(buffer));
  }
  if (auto ok = read_oom_and_peak(m_oom_control, m_max_usage, need.oom, need.peak, buffer, m_oom_kills, m_peak); !ok) {
    return tl::unexpected<Error>(ok.error());
  }
  TRY(read_throttling(sample, !cpu_known, buffer));
  if (m_usage.unlinked()) return tl::unexpected<Error>(m_usage.vanished_error());
  sample.inactive_file = Bytes{m_inactive_file};
  sample.rss = Bytes{m_rss};
  sample.page_cache = Bytes{m_cache};
  sample.working_set = working_set_of(*usage, m_inactive_file);
  if (m_peak) sample.peak = Bytes{std::max(*m_peak, *usage)};
  sample.oom_kills = m_oom_kills;
  return sample;
}

Expected<void> CgroupV1Reader::read_memory_stat(std::span<char> buffer) {
  std::array<KeyedField, 6> stat{{{"total_inactive_file", {}},
                                  {"inactive_file", {}},
                                  {"total_rss", {}},
                                  {"rss", {}},
                                  {"total_cache", {}},
                                  {"cache", {}}}};
  if (auto ok = m_stat.read_keyed(buffer, stat); !ok) return ok;
  auto inactive_file = total_or_local(stat[0], stat[1]);
  auto rss = total_or_local(stat[2], stat[3]);
  auto cache = total_or_local(stat[4], stat[5]);
  const char* missing = !inactive_file ? "inactive_file" : !rss ? "rss" : !cache ? "cache" : nullptr;
  if (missing) {
    return make_error(ErrorCode::bad_input,
                      m_stat.path() + ": no \"total_" + missing + "\" or \"" + missing + "\" line");
  }
  m_inactive_file = *inactive_file;
  m_rss = *rss;
  m_cache = *cache;
  return {};
}

Expected<bool> CgroupV1Reader::throttle_figures_may_change(std::span<char> buffer) {
  if (!m_throttle_known || !m_cfs_quota.is_open()) return true;
  if (m_reads_until_quota_check <= 0) {
    auto text = m_cfs_quota.read(buffer);
    TRY(text);
    // "-1\n" is no quota; anything else is a quota (or a file we do not
    // understand: read cpu.stat then, as without the file).
    m_quota_set = !text->starts_with("-1");
    m_reads_until_quota_check = k_quota_recheck_reads;
  }
  --m_reads_until_quota_check;
  return m_quota_set;
}

// A cgroup none of whose tasks ran was not throttled either: a throttled
// task runs again at the next CFS period (100 ms unless set otherwise), so
// over an interval longer than the period its throttling shows with CPU time.
Expected<void> CgroupV1Reader::read_throttling(Sample& sample, bool tasks_ran, std::span<char> buffer) {
  if (!m_cpu_stat.is_open()) return {};
  if (!tasks_ran && m_throttle_known) {
    copy_throttling(sample);
    return {};
  }
  auto may_change = throttle_figures_may_change(buffer);
  TRY(may_change);
  if (*may_change) {
    std::array<KeyedField, 3> stat{{{"nr_periods", {}}, {"nr_throttled", {}}, {"throttled_time", {}}}};
    if (auto ok = m_cpu_stat.read_keyed(buffer, stat); !ok) return ok;
    m_periods = stat[0].value.value_or(0);
    m_throttled_periods = stat[1].value.value_or(0);
    m_throttled_ns = stat[2].value.value_or(0);
    m_throttle_known = true;
  }
  copy_throttling(sample);
  return {};
}

void CgroupV1Reader::copy_throttling(Sample& sample) const {
  sample.cpu_periods = m_periods;
  sample.cpu_throttled_periods = m_throttled_periods;
  sample.cpu_throttled_ns = m_throttled_ns;
}

Expected<std::optional<Bytes>> CgroupV1Reader::memory_limit() {
  std::array<char, 64> buffer;
  auto limit = m_limit.read_limit(buffer);
  TRY(limit);
  if (m_limit.unlinked()) return tl::unexpected<Error>(m_limit.vanished_error());
  if (!*limit) return std::optional<Bytes>{};
  return std::optional<Bytes>{Bytes{**limit}};
}

}  // namespace stackfit
