// doctor's checks of a recording (--db), with the exact wording users see.
#include "stackfit/analyze/doctor_history_checks.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace stackfit {
namespace {

constexpr std::int64_t k_mib = 1024LL * 1024;
constexpr std::int64_t k_s = 1'000'000'000;
constexpr std::int64_t k_t0 = 1796607612 * k_s;  // 2026-12-07T01:40:12Z

RecordedService service(std::string name, std::optional<std::int64_t> peak_mib, std::optional<std::int64_t> limit_mib) {
  RecordedService s;
  s.project = "shop";
  s.service = std::move(name);
  if (peak_mib) s.peak_working_set = Bytes{*peak_mib * k_mib};
  if (limit_mib) s.memory_limit = Bytes{*limit_mib * k_mib};
  return s;
}

RecordedHistory history(std::vector<RecordedService> services) {
  RecordedHistory h;
  h.db_path = "/tmp/s.db";
  h.since_text = "24h";
  h.services = std::move(services);
  h.bucket_ns = k_s;
  return h;
}

TEST(DoctorHistoryChecks, QuietRecordingIsOk) {
  RecordedHistory h = history({service("api", 100, 1000), service("worker", 10, std::nullopt)});
  DoctorCheck kills = recorded_oom_kills_check(h);
  EXPECT_EQ(kills.status, CheckStatus::ok);
  EXPECT_EQ(kills.message, "no OOM kills recorded in the last 24h (/tmp/s.db)");
  DoctorCheck restarts = recorded_restarts_check(h);
  EXPECT_EQ(restarts.status, CheckStatus::ok);
  EXPECT_EQ(restarts.message, "no restarts recorded in the last 24h (/tmp/s.db)");
  DoctorCheck headroom = recorded_headroom_check(h);
  EXPECT_EQ(headroom.status, CheckStatus::ok);
  EXPECT_EQ(headroom.message,
            "1 services peaked at least 20% below their memory limit in the last 24h (/tmp/s.db); "
            "1 without a limit or a reading not judged");
  EXPECT_EQ(headroom.fix, "");
}

TEST(DoctorHistoryChecks, KillsAreNamedWithTheirTimes) {
  RecordedService hog = service("hog", 31, 32);
  hog.project = "sfdoc";
  hog.oom_kills = 2;
  hog.oom_kill_ns = {k_t0, k_t0 + 28 * k_s};
  RecordedService api = service("api", 100, 1000);
  api.oom_kills = 5;  // more than the markers kept: the count is all, the times the first three
  api.oom_kill_ns = {k_t0, k_t0 + k_s, k_t0 + 2 * k_s, k_t0 + 3 * k_s};
  DoctorCheck c = recorded_oom_kills_check(history({api, hog}));
  EXPECT_EQ(c.status, CheckStatus::fail);
  EXPECT_EQ(c.message,
            "7 OOM kills recorded in the last 24h (/tmp/s.db): api (shop) x5 at 2026-12-07T01:40:12Z, "
            "2026-12-07T01:40:13Z, 2026-12-07T01:40:14Z, ...; hog (sfdoc) x2 at 2026-12-07T01:40:12Z, 2026-12-07T01:40:40Z");
  EXPECT_EQ(c.fix, "raise their memory limits: `stackfit recommend --db /tmp/s.db`");
}

TEST(DoctorHistoryChecks, RestartsWarnAndALoopFails) {
  RecordedService api = service("api", 1, 2);
  api.restarts = 1;
  api.restart_ns = {k_t0};
  DoctorCheck once = recorded_restarts_check(history({api}));
  EXPECT_EQ(once.status, CheckStatus::warn);
  EXPECT_EQ(once.message, "restarts recorded in the last 24h (/tmp/s.db): api (shop) at 2026-12-07T01:40:12Z");
  api.restarts = k_restart_loop_count;
  api.restart_ns = {k_t0, k_t0 + k_s, k_t0 + 2 * k_s};
  DoctorCheck loop = recorded_restarts_check(history({api}));
  EXPECT_EQ(loop.status, CheckStatus::fail);
  EXPECT_EQ(loop.message,
            "restarts recorded in the last 24h (/tmp/s.db): api (shop) x3 at 2026-12-07T01:40:12Z, "
            "2026-12-07T01:40:13Z, 2026-12-07T01:40:14Z");
}

TEST(DoctorHistoryChecks, HeadroomNamesTheMarginTightestFirst) {
  // 85 of 100: 15 % left (warn); 99 of 100: 1 % (fail); 110 of 100: over (fail); 50 of 100: fine.
  RecordedHistory h = history({service("a", 85, 100), service("b", 99, 100), service("c", 110, 100),
                               service("d", 50, 100), service("e", 5, std::nullopt)});
  DoctorCheck c = recorded_headroom_check(h);
  EXPECT_EQ(c.status, CheckStatus::fail);
  EXPECT_EQ(c.message,
            "recorded peaks near the memory limit in the last 24h (/tmp/s.db): c (shop): peak 110 MiB of its 100 MiB "
            "limit (10 MiB over); b (shop): peak 99 MiB of its 100 MiB limit (1 MiB left, 1%); a (shop): peak 85 MiB "
            "of its 100 MiB limit (15 MiB left, 15%); 1 without a limit or a reading not judged");
  EXPECT_EQ(c.fix, "raise those limits: `stackfit recommend --db /tmp/s.db` sizes them from the recording");
  DoctorCheck warn = recorded_headroom_check(history({service("a", 85, 100)}));
  EXPECT_EQ(warn.status, CheckStatus::warn);
  // Exactly at the thresholds: 5 % left is a warn, 20 % left is ok.
  EXPECT_EQ(recorded_headroom_check(history({service("a", 95, 100)})).status, CheckStatus::warn);
  EXPECT_EQ(recorded_headroom_check(history({service("a", 80, 100)})).status, CheckStatus::ok);
}

TEST(DoctorHistoryChecks, StackPeakAgainstTheEngine) {
  RecordedHistory h = history({});
  DoctorCheck none = recorded_stack_fit_check(h, Bytes{1024 * k_mib});
  EXPECT_EQ(none.status, CheckStatus::ok);
  EXPECT_EQ(none.message, "no working-set readings recorded in the last 24h (/tmp/s.db)");
  h.project = "shop";
  h.recorded_projects = {"blog", "wiki"};
  EXPECT_EQ(recorded_stack_fit_check(h, Bytes{1024 * k_mib}).message,
            "no working-set readings recorded of project shop in the last 24h (/tmp/s.db); it has projects blog, wiki "
            "(-p names the stack's)");
  h.project = "";
  h.stack_peak = Bytes{512 * k_mib};
  h.stack_peak_ns = k_t0;
  h.sum_of_peaks = Bytes{600 * k_mib};
  DoctorCheck fits = recorded_stack_fit_check(h, Bytes{1024 * k_mib});
  EXPECT_EQ(fits.status, CheckStatus::ok);
  EXPECT_EQ(fits.message,
            "the recorded stack peaked at 512 MiB at 2026-12-07T01:40:12Z (peak of the summed working set, 1 s "
            "buckets; sum of the services' peaks 600 MiB) of the engine's 1 GiB: fits with 512 MiB to spare");
  h.stack_peak = Bytes{950 * k_mib};
  EXPECT_EQ(recorded_stack_fit_check(h, Bytes{1024 * k_mib}).status, CheckStatus::warn);
  h.stack_peak = Bytes{1536 * k_mib};
  DoctorCheck over = recorded_stack_fit_check(h, Bytes{1024 * k_mib});
  EXPECT_EQ(over.status, CheckStatus::fail);
  EXPECT_TRUE(over.message.ends_with("of the engine's 1 GiB: 512 MiB over")) << over.message;
  EXPECT_EQ(over.fix,
            "give the engine more memory (engine-memory), or fit the stack to it: `stackfit plan -f STACK --db "
            "/tmp/s.db --budget 1 GiB`");
}

TEST(DoctorHistoryChecks, RunDoctorChecksAddsThemOnlyWithAStore) {
  DoctorInput in;
  in.engine.mem_total = Bytes{1024 * k_mib};
  auto without = run_doctor_checks(in);
  for (const DoctorCheck& c : without) EXPECT_FALSE(c.id.starts_with("recorded-")) << c.id;
  in.history = history({service("api", 1, 2)});
  std::vector<std::string> ids;
  for (const DoctorCheck& c : run_doctor_checks(in)) ids.push_back(c.id);
  auto at = std::find(ids.begin(), ids.end(), "restart-loops");
  ASSERT_NE(at, ids.end());
  EXPECT_EQ(std::vector<std::string>(at + 1, at + 5),
            (std::vector<std::string>{"recorded-oom-kills", "recorded-restarts", "recorded-headroom", "recorded-stack-fit"}));
}

}  // namespace
}  // namespace stackfit
