// doctor's verdicts from facts, with the exact wording users see.
#include "stackfit/analyze/doctor_checks.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

constexpr std::int64_t k_gib = 1024LL * 1024 * 1024;

DoctorInput healthy() {
  DoctorInput in;
  in.engine.mem_total = Bytes{8 * k_gib};
  in.engine.cpus = 4;
  in.engine.cgroup_version = "2";
  in.engine.cgroup_driver = "systemd";
  in.engine.data_root = "/var/lib/docker";
  in.host.mem_total = Bytes{8 * k_gib};
  in.host.swap_total = Bytes{0};
  in.host.overcommit_memory = 0;
  in.host.memory_controller = true;
  in.disk = DiskFacts{"/var/lib/docker", Bytes{100 * k_gib}, Bytes{50 * k_gib}};
  in.reclaimable = Bytes{k_gib};
  in.kernel_log.readable = true;
  in.kernel_log.source = "/dev/kmsg";
  in.kernel_log.since_text = "24h";
  return in;
}

const DoctorCheck& find(const std::vector<DoctorCheck>& checks, const std::string& id) {
  for (const DoctorCheck& c : checks) {
    if (c.id == id) return c;
  }
  static const DoctorCheck k_none{"absent", CheckStatus::ok, "", ""};
  return k_none;
}

TEST(DoctorChecks, HealthyHostIsAllOk) {
  auto checks = run_doctor_checks(healthy());
  std::vector<std::string> order;
  for (const DoctorCheck& c : checks) {
    order.push_back(c.id);
    EXPECT_EQ(c.status, CheckStatus::ok) << c.id << ": " << c.message;
  }
  EXPECT_EQ(order, (std::vector<std::string>{"engine-memory", "memory-limits", "cgroup", "swap", "overcommit",
                                             "oom-kills", "engine-oom", "restart-loops", "disk"}));
  EXPECT_EQ(doctor_exit_code(checks), 0);
  EXPECT_EQ(find(checks, "disk").message,
            "data root /var/lib/docker: 50 GiB free of 100 GiB (50%); `stackfit cleanup` would reclaim 1 GiB");
  EXPECT_EQ(find(checks, "oom-kills").message, "no OOM kills in the kernel log (/dev/kmsg) in the last 24h");
}

TEST(DoctorChecks, PlatformsFromInfo) {
  HostFacts host;
  host.kernel_release = "6.1.0-18-amd64";
  EngineFacts e;
  e.kernel_version = "5.15.133.1-microsoft-standard-WSL2";
  e.operating_system = "Docker Desktop";
  EXPECT_EQ(classify_platform(e, host), EnginePlatform::wsl2);
  e.kernel_version = "6.6.16-linuxkit";
  EXPECT_EQ(classify_platform(e, host), EnginePlatform::docker_desktop);
  e = {};
  e.name = "colima";
  e.kernel_version = "6.8.0-31-generic";
  EXPECT_EQ(classify_platform(e, host), EnginePlatform::colima);
  e.name = "localhost.localdomain";
  e.podman = true;
  e.kernel_version = "6.7.5-200.fc39.x86_64";
  EXPECT_EQ(classify_platform(e, host), EnginePlatform::podman_machine);
  e.podman = false;
  EXPECT_EQ(classify_platform(e, host), EnginePlatform::unknown_vm);
  e.kernel_version = "6.1.0-18-amd64";
  EXPECT_EQ(classify_platform(e, host), EnginePlatform::native);
}

TEST(DoctorChecks, SmallVmAndAStackThatDoesNotFit) {
  DoctorInput in = healthy();
  in.engine.platform = EnginePlatform::wsl2;
  in.engine.mem_total = Bytes{k_gib + k_gib / 2};
  in.host.mem_total = Bytes{16 * k_gib};
  in.stack = StackCommitment{"shop", Bytes{2 * k_gib}, {}};
  auto checks = run_doctor_checks(in);
  const DoctorCheck& memory = find(checks, "engine-memory");
  EXPECT_EQ(memory.status, CheckStatus::warn);
  EXPECT_EQ(memory.message, "the WSL2 VM has 1.5 GiB and 4 CPUs; this host has 16 GiB: a VM capped below 2 GiB OOM-kills most stacks");
  EXPECT_EQ(memory.fix, "raise memory= under [wsl2] in %UserProfile%\\.wslconfig, then `wsl --shutdown`");
  const DoctorCheck& fit = find(checks, "stack-fit");
  EXPECT_EQ(fit.status, CheckStatus::fail);
  EXPECT_EQ(fit.message, "stack shop commits 2 GiB of the engine's 1.5 GiB: 512 MiB short");
  EXPECT_EQ(doctor_exit_code(checks), 1);
}

TEST(DoctorChecks, StackNearTheEdgeAndUnbounded) {
  DoctorInput in = healthy();
  in.stack = StackCommitment{"shop", Bytes{7 * k_gib + k_gib / 2}, {"cache"}};
  const DoctorCheck fit = find(run_doctor_checks(in), "stack-fit");
  EXPECT_EQ(fit.status, CheckStatus::warn);
  EXPECT_EQ(fit.message, "stack shop commits 7.5 GiB of the engine's 8 GiB: only 512 MiB left for the OS and the "
                         "engine; 1 services have no memory limit and count as 0 B");
}

TEST(DoctorChecks, LimitsIgnoredAreAFailure) {
  DoctorInput in = healthy();
  in.engine.memory_limit = false;
  EXPECT_EQ(find(run_doctor_checks(in), "memory-limits").status, CheckStatus::fail);
  in = healthy();
  in.host.memory_controller = false;
  EXPECT_EQ(find(run_doctor_checks(in), "memory-limits").message,
            "the kernel's memory controller is disabled: limits are silently ignored");
}

TEST(DoctorChecks, CgroupV1SwapWithoutLimitStrictOvercommit) {
  DoctorInput in = healthy();
  in.engine.cgroup_version = "1";
  in.engine.cgroup_driver = "cgroupfs";
  in.host.swap_total = Bytes{2 * k_gib};
  in.engine.swap_limit = false;
  in.host.overcommit_memory = 2;
  auto checks = run_doctor_checks(in);
  EXPECT_EQ(find(checks, "cgroup").status, CheckStatus::warn);
  EXPECT_EQ(find(checks, "swap").status, CheckStatus::warn);
  EXPECT_EQ(find(checks, "overcommit").status, CheckStatus::warn);
  EXPECT_EQ(doctor_exit_code(checks), 0);  // warnings only
  in.host.overcommit_memory.reset();
  EXPECT_EQ(find(run_doctor_checks(in), "overcommit").id, "absent");
}

TEST(DoctorChecks, KillsNamedByServiceAndProject) {
  DoctorInput in = healthy();
  OomKill a;
  a.service = "api";
  a.project = "shop";
  OomKill outside;
  outside.process = "chrome";
  OomKill gone;
  gone.container_id = std::string(64, 'e');
  in.kernel_log.kills = {a, a, outside, gone};
  const DoctorCheck kills = find(run_doctor_checks(in), "oom-kills");
  EXPECT_EQ(kills.status, CheckStatus::fail);
  EXPECT_EQ(kills.message, "4 OOM kills in the last 24h: api (shop) x2, outside containers (chrome), container eeeeeeeeeeee");
}

TEST(DoctorChecks, UnreadableKernelLogIsAWarning) {
  DoctorInput in = healthy();
  in.kernel_log = {false, "", "/dev/kmsg: Permission denied; /usr/bin/journalctl: not found", {}, "24h"};
  const DoctorCheck kills = find(run_doctor_checks(in), "oom-kills");
  EXPECT_EQ(kills.status, CheckStatus::warn);
  EXPECT_EQ(kills.message, "kernel log unreadable, OOM kills unknown: /dev/kmsg: Permission denied; /usr/bin/journalctl: not found");
}

TEST(DoctorChecks, EngineOomAndRestartLoops) {
  DoctorInput in = healthy();
  in.containers = {{"shop_api_1", "exited", 0, true}, {"shop_worker_1", "restarting", 1, false},
                   {"shop_web_1", "running", 3, false}, {"fine", "running", 2, false}};
  auto checks = run_doctor_checks(in);
  EXPECT_EQ(find(checks, "engine-oom").message, "1 containers exited OOM-killed (State.OOMKilled): shop_api_1");
  EXPECT_EQ(find(checks, "restart-loops").message,
            "restart loops: shop_worker_1 (1 restarts, restarting now), shop_web_1 (3 restarts)");
}

TEST(DoctorChecks, DiskThresholdsAndAnEngineInAVm) {
  DoctorInput in = healthy();
  in.disk->total = Bytes{40 * k_gib};  // 10 %: the bytes decide
  in.disk->available = Bytes{4 * k_gib};
  EXPECT_EQ(find(run_doctor_checks(in), "disk").status, CheckStatus::warn);
  in.disk->available = Bytes{k_gib / 2};
  EXPECT_EQ(find(run_doctor_checks(in), "disk").status, CheckStatus::fail);
  in.disk.reset();
  const DoctorCheck disk = find(run_doctor_checks(in), "disk");
  EXPECT_EQ(disk.status, CheckStatus::ok);
  EXPECT_EQ(disk.message, "data root /var/lib/docker is not on this host (the engine's VM): free space unknown; "
                          "`stackfit cleanup` would reclaim 1 GiB");
}

}  // namespace
}  // namespace stackfit
