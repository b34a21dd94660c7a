#include "stackfit/analyze/doctor_checks.hpp"

#include <algorithm>
#include <cctype>

#include "stackfit/analyze/doctor_history_checks.hpp"
#include "stackfit/analyze/doctor_runtime_checks.hpp"

namespace stackfit {
namespace {

constexpr std::int64_t k_gib = 1024LL * 1024 * 1024;
constexpr std::int64_t k_small_engine_bytes = 2 * k_gib;  // below this a VM-capped engine is warned about
constexpr int k_stack_warn_percent = 90;                  // committed above this share of the engine: warn

std::string human(Bytes b) { return format_human_bytes(b); }

bool contains_nocase(std::string text, std::string_view word) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text.find(word) != std::string::npos;
}

std::string platform_label(EnginePlatform p) {
  switch (p) {
    case EnginePlatform::docker_desktop: return "Docker Desktop's VM";
    case EnginePlatform::wsl2: return "the WSL2 VM";
    case EnginePlatform::podman_machine: return "the podman machine VM";
    case EnginePlatform::colima: return "colima's VM";
    case EnginePlatform::unknown_vm: return "the engine's VM";
    case EnginePlatform::native: break;
  }
  return "the engine (this host's kernel)";
}

// How to give the engine more memory, per platform.
std::string raise_memory_fix(EnginePlatform p) {
  switch (p) {
    case EnginePlatform::wsl2: return "raise memory= under [wsl2] in %UserProfile%\\.wslconfig, then `wsl --shutdown`";
    case EnginePlatform::docker_desktop: return "raise Docker Desktop > Settings > Resources > Memory";
    case EnginePlatform::podman_machine: return "`podman machine stop && podman machine set --memory <MiB> && podman machine start`";
    case EnginePlatform::colima: return "`colima stop && colima start --memory <GiB>`";
    case EnginePlatform::unknown_vm: return "give the engine's VM more memory";
    case EnginePlatform::native: break;
  }
  return "add memory to the host, or run fewer services";
}

DoctorCheck engine_memory(const DoctorInput& in, EnginePlatform platform) {
  DoctorCheck c{"engine-memory", CheckStatus::ok, "", ""};
  std::string host = in.host.mem_total ? human(*in.host.mem_total) : "unknown";
  c.message = platform_label(platform) + " has " + human(in.engine.mem_total) + " and " +
              std::to_string(in.engine.cpus) + " CPUs; this host has " + host;
  if (platform != EnginePlatform::native && in.engine.mem_total.count < k_small_engine_bytes) {
    c.status = CheckStatus::warn;
    c.message += ": a VM capped below " + human(Bytes{k_small_engine_bytes}) + " OOM-kills most stacks";
    c.fix = raise_memory_fix(platform);
  }
  return c;
}

DoctorCheck stack_fit(const StackCommitment& stack, const DoctorInput& in, EnginePlatform platform) {
  DoctorCheck c{"stack-fit", CheckStatus::ok, "", ""};
  const Bytes have = in.engine.mem_total;
  c.message = "stack " + stack.name + " commits " + human(stack.committed) + " of the engine's " + human(have);
  if (stack.committed > have) {
    c.status = CheckStatus::fail;
    c.message += ": " + human(stack.committed - have) + " short";
    c.fix = raise_memory_fix(platform) + ", or shrink the stack: `stackfit plan --budget " + human(have) + "`";
  } else if (stack.committed.count * 100 > have.count * k_stack_warn_percent) {
    c.status = CheckStatus::warn;
    c.message += ": only " + human(have - stack.committed) + " left for the OS and the engine";
    c.fix = raise_memory_fix(platform) + ", or `stackfit plan --budget " + human(have) + "`";
  } else {
    c.message += ": fits with " + human(have - stack.committed) + " to spare";
  }
  if (!stack.unbounded.empty()) {
    if (c.status == CheckStatus::ok) c.status = CheckStatus::warn;
    c.message += "; " + std::to_string(stack.unbounded.size()) + " services have no memory limit and count as 0 B";
    if (c.fix.empty()) c.fix = "set mem_limit on every service (`stackfit recommend` sizes them)";
  }
  return c;
}

DoctorCheck memory_limits(const DoctorInput& in) {
  DoctorCheck c{"memory-limits", CheckStatus::ok, "memory limits are enforced (memory controller on)", ""};
  if (!in.engine.memory_limit || in.host.memory_controller == std::optional<bool>(false)) {
    c.status = CheckStatus::fail;
    c.message = !in.engine.memory_limit ? "the engine reports no memory-limit support: mem_limit is silently ignored"
                                        : "the kernel's memory controller is disabled: limits are silently ignored";
    c.fix = "boot with cgroup_enable=memory (Raspberry Pi: /boot/cmdline.txt) and restart the engine";
  }
  return c;
}

DoctorCheck cgroup(const DoctorInput& in) {
  std::string version = !in.engine.cgroup_version.empty() ? in.engine.cgroup_version : in.host.cgroup_version;
  std::string driver = in.engine.cgroup_driver.empty() ? "unknown" : in.engine.cgroup_driver;
  DoctorCheck c{"cgroup", CheckStatus::ok, "cgroup v" + (version.empty() ? "?" : version) + ", driver " + driver, ""};
  if (version == "1") {
    c.status = CheckStatus::warn;
    c.message += ": v1 is deprecated (Docker 25+, Kubernetes 1.31+) and the kernel counts a kill only in the victim's cgroup";
    c.fix = "boot with systemd.unified_cgroup_hierarchy=1 (cgroup v2)";
  }
  return c;
}

DoctorCheck swap(const DoctorInput& in) {
  DoctorCheck c{"swap", CheckStatus::ok, "", ""};
  Bytes total = in.host.swap_total.value_or(Bytes{0});
  if (total.count == 0) {
    c.message = "no swap: a container at its memory limit is OOM-killed at once";
  } else if (!in.engine.swap_limit) {
    c.status = CheckStatus::warn;
    c.message = human(total) + " of swap and the engine cannot limit it: a container swaps past its limit instead of failing";
    c.fix = "enable swap accounting (boot with swapaccount=1) or move to cgroup v2";
  } else {
    c.message = human(total) + " of swap; a container may swap as much as its memory limit unless memswap_limit says otherwise";
  }
  return c;
}

std::optional<DoctorCheck> overcommit(const DoctorInput& in) {
  if (!in.host.overcommit_memory) return std::nullopt;
  int mode = *in.host.overcommit_memory;
  DoctorCheck c{"overcommit", CheckStatus::ok, "vm.overcommit_memory=" + std::to_string(mode), ""};
  if (mode == 2) {
    c.status = CheckStatus::warn;
    c.message += " (never): allocations fail with ENOMEM before any limit is reached; JVMs and Node may not start";
    c.fix = "sysctl vm.overcommit_memory=0";
  } else {
    c.message += mode == 1 ? " (always): allocations never fail, the OOM killer decides" : " (heuristic)";
  }
  return c;
}

}  // namespace

const char* to_string(CheckStatus status) {
  switch (status) {
    case CheckStatus::ok: return "ok";
    case CheckStatus::warn: return "warn";
    case CheckStatus::fail: return "fail";
  }
  return "ok";
}

EnginePlatform classify_platform(const EngineFacts& engine, const HostFacts& host) {
  if (contains_nocase(engine.kernel_version, "microsoft-standard-wsl2") || contains_nocase(engine.kernel_version, "-wsl2")) {
    return EnginePlatform::wsl2;
  }
  if (engine.operating_system == "Docker Desktop" || contains_nocase(engine.kernel_version, "linuxkit")) {
    return EnginePlatform::docker_desktop;
  }
  if (engine.name == "colima" || engine.name.starts_with("colima-")) return EnginePlatform::colima;
  bool other_kernel = !engine.kernel_version.empty() && !host.kernel_release.empty() &&
                      engine.kernel_version != host.kernel_release;
  if (other_kernel) return engine.podman ? EnginePlatform::podman_machine : EnginePlatform::unknown_vm;
  return EnginePlatform::native;
}

std::vector<DoctorCheck> run_doctor_checks(const DoctorInput& in) {
  EnginePlatform platform = in.engine.platform;
  std::vector<DoctorCheck> checks;
  checks.push_back(engine_memory(in, platform));
  if (in.stack) checks.push_back(stack_fit(*in.stack, in, platform));
  checks.push_back(memory_limits(in));
  checks.push_back(cgroup(in));
  checks.push_back(swap(in));
  if (auto c = overcommit(in)) checks.push_back(*c);
  checks.push_back(oom_kills_check(in.kernel_log));
  checks.push_back(engine_oom_check(in.containers));
  checks.push_back(restart_loops_check(in.containers));
  if (in.history) {
    checks.push_back(recorded_oom_kills_check(*in.history));
    checks.push_back(recorded_restarts_check(*in.history));
    checks.push_back(recorded_headroom_check(*in.history));
    checks.push_back(recorded_stack_fit_check(*in.history, in.engine.mem_total));
  }
  checks.push_back(disk_check(in));
  if (!in.engine.warnings.empty()) {
    std::string joined;
    for (const std::string& w : in.engine.warnings) joined += (joined.empty() ? "" : "; ") + w;
    checks.push_back({"engine-warnings", CheckStatus::warn, "the engine warns: " + joined, "see the engine's documentation for each warning"});
  }
  return checks;
}

int doctor_exit_code(const std::vector<DoctorCheck>& checks) {
  return std::any_of(checks.begin(), checks.end(), [](const DoctorCheck& c) { return c.status == CheckStatus::fail; }) ? 1 : 0;
}

}  // namespace stackfit
