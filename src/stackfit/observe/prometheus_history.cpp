#include "stackfit/observe/prometheus_history.hpp"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace stackfit {
namespace {

constexpr std::size_t k_max_warnings = 20;
// The ownership queries cover the window in about this many steps.
constexpr std::int64_t k_owner_query_points = 1000;

// What the workers and the folding thread share; guarded by `mutex`.
struct Shared {
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t next_job = 0;
  std::size_t delivered_chunks = 0;
  std::int64_t jobs_done = 0;
  std::vector<int> done_in_chunk;
  std::map<std::size_t, ChunkAnswers> answers;  // chunks not yet folded
  std::optional<Error> error;
  std::int64_t retries = 0;
};

void note_warnings(const PromMatrix& m, PrometheusHistoryStats& stats) {
  for (const std::string& w : m.warnings) {
    if (stats.warnings.size() < k_max_warnings &&
        std::find(stats.warnings.begin(), stats.warnings.end(), w) == stats.warnings.end()) {
      stats.warnings.push_back(w);
    }
  }
}

Expected<void> validate(const PrometheusHistoryOptions& o) {
  if (o.step_ms < 1000) return make_error(ErrorCode::usage, "--step must be at least 1s");
  if (o.end_ms <= o.start_ms) return make_error(ErrorCode::usage, "the window is empty (end is not after start)");
  if (o.concurrency < 1 || o.concurrency > 16) return make_error(ErrorCode::usage, "--concurrency must be 1..16");
  if (o.max_points_per_query < 2 || o.max_points_per_query > k_prometheus_max_points) {
    return make_error(ErrorCode::usage, "--max-points must be 2..11000 (Prometheus refuses more per series)");
  }
  return {};
}

// The queries of a usage_only read: working set and CPU.
constexpr std::int64_t k_usage_queries = 2;
bool is_usage_query(std::size_t query) {
  return query == static_cast<std::size_t>(ChunkQuery::memory) || query == static_cast<std::size_t>(ChunkQuery::cpu);
}

void worker(const PrometheusHistoryOptions& o, const std::vector<TimeChunk>& chunks,
            const std::array<std::string, k_chunk_queries>& queries, Shared& shared) {
  PrometheusClient client(o.server);
  const std::size_t total = chunks.size() * k_chunk_queries;
  for (;;) {
    std::size_t job = 0;
    {
      std::unique_lock lock(shared.mutex);
      // Never run more than `concurrency` chunks ahead of the fold: that bounds memory.
      shared.changed.wait(lock, [&] {
        return shared.error || shared.next_job >= total ||
               shared.next_job / k_chunk_queries < shared.delivered_chunks + static_cast<std::size_t>(o.concurrency);
      });
      if (shared.error || shared.next_job >= total) break;
      job = shared.next_job++;
    }
    const TimeChunk& chunk = chunks[job / k_chunk_queries];
    Expected<PromMatrix> matrix = PromMatrix{};
    if (!o.usage_only || is_usage_query(job % k_chunk_queries)) {
      matrix = client.query_range(queries[job % k_chunk_queries], chunk.start_ms, chunk.end_ms, o.step_ms);
    }
    std::lock_guard lock(shared.mutex);
    if (!matrix) {
      if (!shared.error) shared.error = matrix.error();
    } else {
      shared.answers[job / k_chunk_queries][job % k_chunk_queries] = std::move(*matrix);
      ++shared.done_in_chunk[job / k_chunk_queries];
      ++shared.jobs_done;
    }
    shared.changed.notify_all();
  }
  std::lock_guard lock(shared.mutex);
  shared.retries += client.retries_made();
  shared.changed.notify_all();
}

}  // namespace

std::vector<TimeChunk> plan_chunks(std::int64_t start_ms, std::int64_t end_ms, std::int64_t step_ms,
                                   std::int64_t max_points) {
  std::vector<TimeChunk> chunks;
  const std::int64_t span = (max_points - 1) * step_ms;
  for (std::int64_t s = start_ms; s <= end_ms; s += span + step_ms) {
    chunks.push_back({s, std::min(end_ms, s + span)});
  }
  return chunks;
}

Expected<PrometheusHistoryStats> read_prometheus_history(const PrometheusHistoryOptions& o, UsageSink& sink) {
  TRY(validate(o));
  PrometheusHistoryStats stats;
  const std::vector<TimeChunk> chunks = plan_chunks(o.start_ms, o.end_ms, o.step_ms, o.max_points_per_query);
  stats.chunks = static_cast<std::int64_t>(chunks.size());
  const std::int64_t total = 2 + stats.chunks * static_cast<std::int64_t>(k_chunk_queries);

  // Ownership first: small (one series per pod), and every chunk needs it.
  PrometheusFold fold(o.host_label);
  {
    std::int64_t window = o.end_ms - o.start_ms;
    std::int64_t owner_step = std::max(o.step_ms, (window / k_owner_query_points / 1000 + 1) * 1000);
    auto owner_queries = prometheus_owner_queries(o.matchers, owner_step);
    PrometheusClient client(o.server);
    auto pods = client.query_range(owner_queries[0], o.start_ms, o.end_ms, owner_step);
    TRY(pods);
    if (o.progress) o.progress(1, total);
    auto replicasets = client.query_range(owner_queries[1], o.start_ms, o.end_ms, owner_step);
    TRY(replicasets);
    if (o.progress) o.progress(2, total);
    note_warnings(*pods, stats);
    note_warnings(*replicasets, stats);
    fold.set_owners(*pods, *replicasets);
    stats.retries += client.retries_made();
    stats.queries += 2;
  }

  const auto queries = prometheus_chunk_queries(o.matchers, o.step_ms);
  Shared shared;
  shared.done_in_chunk.assign(chunks.size(), 0);
  std::vector<std::thread> workers;
  const std::size_t threads = std::min<std::size_t>(static_cast<std::size_t>(o.concurrency), chunks.size() * k_chunk_queries);
  for (std::size_t i = 0; i < threads; ++i) workers.emplace_back(worker, std::cref(o), std::cref(chunks), std::cref(queries), std::ref(shared));

  std::int64_t reported = 0;
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    ChunkAnswers answers;
    {
      std::unique_lock lock(shared.mutex);
      for (;;) {
        shared.changed.wait(lock, [&] {
          return shared.error || shared.done_in_chunk[c] == static_cast<int>(k_chunk_queries) ||
                 shared.jobs_done != reported;
        });
        if (shared.jobs_done != reported && o.progress) {
          reported = shared.jobs_done;
          lock.unlock();
          o.progress(2 + reported, total);
          lock.lock();
        }
        reported = shared.jobs_done;
        if (shared.error || shared.done_in_chunk[c] == static_cast<int>(k_chunk_queries)) break;
      }
      if (shared.error) break;
      answers = std::move(shared.answers[c]);
      shared.answers.erase(c);
    }
    for (const PromMatrix& m : answers) {
      note_warnings(m, stats);
      stats.series += static_cast<std::int64_t>(m.series.size());
      stats.non_finite_points += m.non_finite_points;
      for (const PromSeries& s : m.series) stats.points += static_cast<std::int64_t>(s.points.size());
    }
    stats.queries += o.usage_only ? k_usage_queries : static_cast<std::int64_t>(k_chunk_queries);
    fold.fold_chunk(answers, o.step_ms, sink);
    std::lock_guard lock(shared.mutex);
    shared.delivered_chunks = c + 1;
    shared.changed.notify_all();
  }
  {
    std::lock_guard lock(shared.mutex);
    if (!shared.error) shared.next_job = chunks.size() * k_chunk_queries;  // nothing left; wake idle workers
    shared.changed.notify_all();
  }
  for (std::thread& t : workers) t.join();
  if (shared.error) return tl::unexpected(*shared.error);
  stats.retries += shared.retries;
  stats.grouping = fold.grouping();
  if (fold.capped_oom_increases() > 0) {
    stats.warnings.push_back("an OOM counter rose by more than 1000 between two points; counted as 1000");
  }
  return stats;
}

}  // namespace stackfit
