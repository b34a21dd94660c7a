// The host's memory, swap, overcommit and cgroup facts, read from /proc and
// /sys under a root folder (normally "/"; tests point it at a fixture tree).
// Nothing here fails: a fact that cannot be read stays unknown (nullopt, "").
#pragma once

#include <optional>
#include <string>

#include "stackfit/model/host_facts.hpp"

namespace stackfit {

// Reads <root>/proc/meminfo (MemTotal, SwapTotal), <root>/proc/sys/vm/
// overcommit_memory and swappiness, <root>/proc/sys/kernel/osrelease, <root>/proc/cgroups (the memory row's
// "enabled" column), and <root>/sys/fs/cgroup: version 2 when
// cgroup.controllers exists there (memory enabled when it lists "memory"),
// 1 when a memory/ folder does.
[[nodiscard]] HostFacts read_host_facts(const std::string& root = "/");

// statvfs of `path`: total and available bytes; nullopt when the path is not
// on this host (an engine inside a VM) or cannot be read.
[[nodiscard]] std::optional<DiskFacts> read_disk_facts(const std::string& path);

}  // namespace stackfit
