// What `doctor` and `cleanup` learn about the machine and the engine:
// observe/ fills these, analyze/ judges them, emit/ prints them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stackfit/model/quantity.hpp"

namespace stackfit {

// Where the engine runs, from GET /info (analyze/doctor_checks words the advice per kind).
enum class EnginePlatform { native, docker_desktop, wsl2, podman_machine, colima, unknown_vm };
[[nodiscard]] const char* to_string(EnginePlatform platform);

// The engine's GET /info, the fields doctor reads.
struct EngineFacts {
  std::string name;              // Name (the engine host's hostname)
  std::string server_version;    // ServerVersion
  std::string operating_system;  // OperatingSystem ("Docker Desktop", "Debian GNU/Linux 12 (bookworm)")
  std::string kernel_version;    // KernelVersion
  Bytes mem_total;               // MemTotal: the memory the engine's kernel has
  std::int64_t cpus = 0;         // NCPU
  std::string cgroup_version;    // CgroupVersion "1" / "2" ("" when the engine does not say)
  std::string cgroup_driver;     // CgroupDriver "cgroupfs" / "systemd"
  bool memory_limit = true;      // MemoryLimit: false = the kernel ignores memory limits
  bool swap_limit = true;        // SwapLimit: false = memswap_limit is ignored
  std::string data_root;         // DockerRootDir
  bool podman = false;           // the engine is Podman's compatible service
  EnginePlatform platform = EnginePlatform::native;
  std::vector<std::string> warnings;  // Warnings, as the engine words them
};

// The host stackfit runs on (/proc, /sys), read by observe/host_facts_reader.
struct HostFacts {
  std::optional<Bytes> mem_total;   // /proc/meminfo MemTotal
  std::optional<Bytes> swap_total;  // /proc/meminfo SwapTotal
  std::optional<int> overcommit_memory;  // /proc/sys/vm/overcommit_memory: 0 heuristic, 1 always, 2 never
  std::optional<int> swappiness;         // /proc/sys/vm/swappiness
  std::string kernel_release;            // /proc/sys/kernel/osrelease (uname -r)
  std::string cgroup_version;            // "1", "2", "" (unknown)
  // /proc/cgroups' "enabled" column of the memory controller (v1 and v2), or
  // the v2 root's cgroup.controllers; nullopt when neither can be read.
  std::optional<bool> memory_controller;
};

// Free space of the engine's data root (statvfs), when it is on this host.
struct DiskFacts {
  std::string path;
  Bytes total;
  Bytes available;  // for unprivileged users (f_bavail)
};

// One kill by the kernel's OOM killer, from its log, attributed when the
// cgroup path names a container the engine knows.
struct OomKill {
  std::int64_t time_unix_ms = 0;  // wall-clock time of the record (approximate for /dev/kmsg and dmesg: boot + uptime)
  std::int64_t pid = 0;
  std::string process;            // the victim's comm
  std::string cgroup;             // the victim's memory cgroup (task_memcg, "Task in"), "" when the log has none
  std::string constraint;         // "memcg" (a cgroup's limit), "system" (the whole machine), or the kernel's CONSTRAINT_*
  std::optional<Bytes> anon_rss;  // anon-rss of the "Killed process" line
  std::string container_id;       // full id from the cgroup path ("" when none)
  std::string container_name;     // from the engine ("" when it no longer knows the container)
  std::string service;            // com.docker.compose.service / io.kubernetes.container.name
  std::string project;            // com.docker.compose.project
  std::string pod;                // "namespace/name" from the engine's labels, else "uid:<pod uid>" from the path
};

// One container as GET /system/df lists it (stopped ones included).
struct EngineContainer {
  std::string id;
  std::string name;
  std::string image_id;
  std::string state;   // running, exited, created, restarting, paused, dead
  std::string project;  // com.docker.compose.project
  std::string service;  // com.docker.compose.service, else io.kubernetes.container.name
  std::string pod;      // "namespace/name" from io.kubernetes.pod.namespace / .name labels, else ""
  std::vector<std::string> volumes;  // names of the volumes it mounts
  Bytes size_rw;        // its writable layer
};

struct EngineImage {
  std::string id;
  std::vector<std::string> tags;  // RepoTags without "<none>:<none>"
  Bytes size;
  Bytes shared_size;   // 0 when unknown (-1 on the wire)
  std::int64_t containers = 0;  // -1 on the wire when the engine did not count
};

struct EngineVolume {
  std::string name;
  std::string project;       // com.docker.compose.project label
  bool anonymous = false;    // com.docker.volume.anonymous label, or a 64-hex name
  Bytes size;                // UsageData.Size (0 when unknown)
  std::int64_t ref_count = 0;  // UsageData.RefCount (-1: unknown)
};

struct EngineBuildCache {
  std::string id;
  std::string type;
  Bytes size;
  bool in_use = false;
  bool shared = false;
};

// GET /system/df: what the engine stores and who uses it.
struct EngineDiskUsage {
  std::vector<EngineContainer> containers;
  std::vector<EngineImage> images;
  std::vector<EngineVolume> volumes;
  std::vector<EngineBuildCache> build_cache;
};

}  // namespace stackfit
