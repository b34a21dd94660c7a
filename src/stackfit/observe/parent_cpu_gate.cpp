#include "stackfit/observe/parent_cpu_gate.hpp"

#include <array>

namespace stackfit {

Expected<ParentCpuGate> ParentCpuGate::open(const CgroupMounts& mounts, const std::string& parent_relative_path) {
  bool unified = mounts.version == CgroupVersion::v2;
  const std::string& root = unified ? mounts.memory_root : mounts.cpu_root;
  if (root.empty()) return make_error(ErrorCode::unavailable, "no cpuacct controller mounted");
  auto dir = cgroup_dir_path(root, parent_relative_path);
  TRY(dir);
  TRY(require_cgroup_dir(*dir));
  auto file = CgroupFile::open(*dir, unified ? "cpu.stat" : "cpuacct.usage", FilePresence::required);
  TRY(file);
  return ParentCpuGate(std::move(*file), unified);
}

std::optional<std::int64_t> ParentCpuGate::read_cpu_time() const {
  std::array<char, k_cgroup_read_buffer_bytes> buffer;
  if (!m_unified) {
    auto ns = m_counter.read_integer(buffer);
    return ns ? std::optional<std::int64_t>(*ns) : std::nullopt;
  }
  std::array<KeyedField, 1> usage{{{"usage_usec", {}}}};
  if (!m_counter.read_keyed(buffer, usage)) return std::nullopt;
  return usage[0].value;
}

bool ParentCpuGate::check() {
  if (m_pause_left > 0) {
    --m_pause_left;
    m_last.reset();
    return false;
  }
  std::optional<std::int64_t> now = read_cpu_time();
  bool still = now && *now != 0 && m_last == now;
  m_last = now;
  if (still) {
    m_moved_in_a_row = 0;
  } else if (++m_moved_in_a_row >= k_moved_checks_before_pause) {
    m_moved_in_a_row = 0;
    m_pause_left = k_pause_ticks;
  }
  return still;
}

std::optional<std::string> parent_cgroup_path(const std::string& relative_path) {
  std::string path = relative_path;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path.empty() || path == "/") return std::nullopt;
  std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos || slash == 0) return std::string("/");
  return path.substr(0, slash);
}

ParentCpuGates::Slot* ParentCpuGates::add(const std::string& child_relative_path) {
  auto parent = parent_cgroup_path(child_relative_path);
  if (!parent) return nullptr;
  auto it = m_slots.find(*parent);
  if (it == m_slots.end()) {
    auto slot = std::make_unique<Slot>();
    slot->path = *parent;
    if (auto gate = ParentCpuGate::open(m_mounts, *parent)) slot->gate = std::move(*gate);
    it = m_slots.emplace(*parent, std::move(slot)).first;
  }
  ++it->second->children;
  return it->second.get();
}

void ParentCpuGates::remove(Slot* slot) {
  if (!slot) return;
  if (--slot->children > 0) return;
  m_slots.erase(slot->path);
}

void ParentCpuGates::check_all() {
  for (auto& [path, slot] : m_slots) {
    slot->still = false;
    if (!slot->gate) continue;
    if (slot->children < 2) {
      slot->gate->skip();
      continue;
    }
    slot->still = slot->gate->check();
  }
}

TasksRan ParentCpuGates::tasks_ran(const Slot* slot) {
  return slot && slot->still ? TasksRan::none : TasksRan::maybe;
}

}  // namespace stackfit
