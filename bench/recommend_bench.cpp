// The input of the `recommend` benchmark (docs/recommend.md, "Benchmark"):
// N series x D days x one sample per interval, written once into a stackfit
// store and, with --openmetrics, the same series as OpenMetrics text for
// `promtool tsdb create-blocks-from openmetrics` (the Prometheus side).
//
//   recommend_bench --store FILE [--openmetrics FILE] [--series 1000] [--days 14] [--interval-s 60]
//                   [--end-s EPOCH]
//
// Series i is Compose service "svc-<i>" of project "bench", one container
// (key i + 1). Working set: a base of 64..2,047 MiB, a daily wave of 10%,
// deterministic noise; every 50th series leaks 1 MiB/hour; every 100th has
// one OOM kill on day 2. CPU: a counter growing 50..500m with the same wave.
// The store is written in one transaction with one prepared statement.
// OpenMetrics: container_memory_working_set_bytes,
// container_cpu_usage_seconds_total and container_oom_events_total with
// labels {namespace="bench", pod="svc-<i>-0", container="svc-<i>"}, in
// seconds, ending with "# EOF".
#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "stackfit/store/sample_store.hpp"

namespace {

using namespace stackfit;

struct Args {
  std::string store;
  std::string openmetrics;
  int series = 1000;
  int days = 14;
  int interval_s = 60;
  std::int64_t end_s = 0;
};

bool parse(int argc, char** argv, Args& a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    std::string v = argv[i + 1];
    if (k == "--store") a.store = v;
    else if (k == "--openmetrics") a.openmetrics = v;
    else if (k == "--series") a.series = std::atoi(v.c_str());
    else if (k == "--days") a.days = std::atoi(v.c_str());
    else if (k == "--interval-s") a.interval_s = std::atoi(v.c_str());
    else if (k == "--end-s") a.end_s = std::atoll(v.c_str());
    else return false;
  }
  return (!a.store.empty() || !a.openmetrics.empty()) && a.series > 0 && a.days > 0 && a.interval_s > 0;
}

// Deterministic noise in [0, 1).
double noise(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return static_cast<double>(x >> 11) / 9007199254740992.0;
}

struct Point {
  std::int64_t working_set = 0;
  std::int64_t cpu_ns = 0;
  std::int64_t ooms = 0;
};

class SeriesModel {
 public:
  SeriesModel(int i, std::int64_t interval_s) : m_i(i), m_interval_s(interval_s) {
    m_base_mib = 64 + static_cast<double>((i * 7919) % 1984);
    m_cpu_m = 50 + (i * 131) % 450;
  }
  Point at(std::int64_t step) {
    double t_h = static_cast<double>(step * m_interval_s) / 3600.0;
    double wave = std::sin(t_h / 24.0 * 2 * M_PI);
    double mib = m_base_mib * (1 + 0.1 * wave + 0.05 * noise(static_cast<std::uint64_t>(m_i) * 1000003ULL + step));
    if (m_i % 50 == 0) mib += t_h;  // the leak
    double cpu_m = m_cpu_m * (1 + 0.3 * wave) * (0.5 + noise(static_cast<std::uint64_t>(step) * 7 + m_i));
    m_cpu_ns += static_cast<std::int64_t>(cpu_m / 1000.0 * static_cast<double>(m_interval_s) * 1e9);
    if (m_i % 100 == 0 && step == static_cast<std::int64_t>(48 * 3600 / m_interval_s)) ++m_ooms;
    return Point{static_cast<std::int64_t>(mib * 1048576.0), m_cpu_ns, m_ooms};
  }

 private:
  int m_i;
  std::int64_t m_interval_s;
  double m_base_mib = 0;
  std::int64_t m_cpu_m = 0;
  std::int64_t m_cpu_ns = 0;
  std::int64_t m_ooms = 0;
};

bool check(int rc, sqlite3* db, const char* what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return true;
  std::fprintf(stderr, "recommend_bench: %s: %s\n", what, sqlite3_errmsg(db));
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!parse(argc, argv, a)) {
    std::fprintf(stderr,
                 "usage: recommend_bench --store FILE [--openmetrics FILE] [--series N] [--days D] "
                 "[--interval-s S] [--end-s EPOCH]\n");
    return 2;
  }
  if (a.end_s == 0) a.end_s = std::chrono::duration_cast<std::chrono::seconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
  const std::int64_t steps = static_cast<std::int64_t>(a.days) * 86400 / a.interval_s;
  const std::int64_t start_s = a.end_s - (steps - 1) * a.interval_s;
  auto t0 = std::chrono::steady_clock::now();

  sqlite3* db = nullptr;
  sqlite3_stmt* insert = nullptr;
  if (!a.store.empty()) {
    {
      auto store = SampleStore::open(a.store);
      if (!store) {
        std::fprintf(stderr, "recommend_bench: %s\n", store.error().message.c_str());
        return 3;
      }
      for (int i = 0; i < a.series; ++i) {
        ContainerInfo info;
        info.id = "bench-" + std::to_string(i);
        info.name = "bench-svc-" + std::to_string(i) + "-1";
        info.project = "bench";
        info.service = "svc-" + std::to_string(i);
        info.cgroup_path = "/docker/" + info.id;
        info.declared.memory_limit = Bytes{4LL << 30};
        if (!store->upsert_container(info, start_s * 1'000'000'000)) return 3;
      }
    }
    if (!check(sqlite3_open(a.store.c_str(), &db), db, "open")) return 3;
    sqlite3_exec(db, "PRAGMA synchronous=OFF; BEGIN", nullptr, nullptr, nullptr);
    const char* sql =
        "INSERT INTO samples (container_key, time_ns, working_set_bytes, usage_bytes, rss_bytes, cache_bytes, "
        "inactive_file_bytes, oom_kills, cpu_usage_ns, cpu_throttled_periods, cpu_throttled_ns) "
        "VALUES (?1, ?2, ?3, ?3, ?3, 0, 0, ?4, ?5, 0, 0)";
    if (!check(sqlite3_prepare_v2(db, sql, -1, &insert, nullptr), db, "prepare")) return 3;
  }
  std::FILE* om = nullptr;
  if (!a.openmetrics.empty()) {
    om = std::fopen(a.openmetrics.c_str(), "w");
    if (om == nullptr) {
      std::perror(a.openmetrics.c_str());
      return 3;
    }
  }

  std::vector<SeriesModel> models;
  for (int i = 0; i < a.series; ++i) models.emplace_back(i, a.interval_s);
  if (db != nullptr) {
    // Primary-key order: time, then container.
    for (std::int64_t step = 0; step < steps; ++step) {
      std::int64_t t_ns = (start_s + step * a.interval_s) * 1'000'000'000;
      for (int i = 0; i < a.series; ++i) {
        Point p = models[i].at(step);
        sqlite3_bind_int64(insert, 1, i + 1);
        sqlite3_bind_int64(insert, 2, t_ns);
        sqlite3_bind_int64(insert, 3, p.working_set);
        sqlite3_bind_int64(insert, 4, p.ooms);
        sqlite3_bind_int64(insert, 5, p.cpu_ns);
        if (!check(sqlite3_step(insert), db, "insert")) return 3;
        sqlite3_reset(insert);
      }
    }
    if (!check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit")) return 3;
    sqlite3_finalize(insert);
    sqlite3_close(db);
  }
  if (om != nullptr) {
    // OpenMetrics wants each metric family's samples together: one pass per family.
    const char* families[] = {"container_memory_working_set_bytes", "container_cpu_usage_seconds_total",
                              "container_oom_events_total"};
    const char* types[] = {"gauge", "counter", "counter"};
    for (int f = 0; f < 3; ++f) {
      std::fprintf(om, "# TYPE %s %s\n", f == 0 ? families[f] : std::string(families[f]).substr(0, std::strlen(families[f]) - 6).c_str(), types[f]);
      for (int i = 0; i < a.series; ++i) {
        SeriesModel m(i, a.interval_s);
        for (std::int64_t step = 0; step < steps; ++step) {
          Point p = m.at(step);
          std::int64_t t = start_s + step * a.interval_s;
          std::fprintf(om, "%s{namespace=\"bench\",pod=\"svc-%d-0\",container=\"svc-%d\"} ", families[f], i, i);
          if (f == 0) std::fprintf(om, "%lld %lld\n", static_cast<long long>(p.working_set), static_cast<long long>(t));
          if (f == 1) std::fprintf(om, "%.9f %lld\n", static_cast<double>(p.cpu_ns) / 1e9, static_cast<long long>(t));
          if (f == 2) std::fprintf(om, "%lld %lld\n", static_cast<long long>(p.ooms), static_cast<long long>(t));
        }
      }
    }
    std::fprintf(om, "# EOF\n");
    std::fclose(om);
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("generated %d series x %lld samples (%lld samples) from %lld to %lld in %.1f s\n", a.series,
              static_cast<long long>(steps), static_cast<long long>(steps) * a.series,
              static_cast<long long>(start_s), static_cast<long long>(a.end_s), secs);
  return 0;
}
