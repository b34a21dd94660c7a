// Backtest of the recommendation strategies on real traces (docs/recommend.md,
// "Backtest"). Each series is split by time: the first part trains, the rest
// evaluates. Per strategy, the memory limit recommended from the training part
// is checked against every evaluation sample:
//   OOM        a sample above the limit (the series would have been killed);
//   waste      limit - usage, averaged over the evaluation samples (reserved
//              but unused memory).
// Strategies: stackfit peak and percentile (the Recommender itself, prod
// profile, defaults), KRR simple's formula (max x 1.15, exact), VPA's target
// formula (p90 of 24 h peaks in a decaying histogram, x 1.15; VPA sets the
// limit in proportion to the request, 1:1 here) and the limit that was
// declared (Bitbrains: provisioned memory; Alibaba: 1.0 of the pod's capacity).
//
//   backtest alibaba FILE [--train-hours 12] [--capacity-gib 8]
//   backtest bitbrains FILE [--train-hours 336]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "stackfit/analyze/recommendation.hpp"

namespace {

using namespace stackfit;

struct Point {
  std::int64_t t_s = 0;
  std::int64_t bytes = 0;
};

struct Series {
  std::vector<Point> points;
  std::int64_t declared_limit = 0;
};

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string cell;
  while (std::getline(ss, cell, ',')) out.push_back(cell);
  return out;
}

std::map<std::string, Series> read_alibaba(const std::string& path, double capacity_bytes) {
  std::map<std::string, Series> out;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    auto c = split(line);
    if (c.size() < 3 || c[2].empty()) continue;  // empty keys: dropped (README)
    double v = std::max(0.0, std::atof(c[0].c_str()));
    Series& s = out[c[2]];
    s.declared_limit = static_cast<std::int64_t>(capacity_bytes);
    s.points.push_back({static_cast<std::int64_t>(std::atof(c[1].c_str())), static_cast<std::int64_t>(v * capacity_bytes)});
  }
  return out;
}

std::map<std::string, Series> read_bitbrains(const std::string& path) {
  std::map<std::string, Series> out;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    auto c = split(line);
    if (c.size() < 7) continue;
    Series& s = out[c[0]];
    s.declared_limit = std::max<std::int64_t>(s.declared_limit, std::atoll(c[5].c_str()) * 1024);
    s.points.push_back({std::atoll(c[1].c_str()), std::atoll(c[6].c_str()) * 1024});
  }
  return out;
}

void normalise(Series& s) {
  std::stable_sort(s.points.begin(), s.points.end(), [](const Point& a, const Point& b) { return a.t_s < b.t_s; });
  // Duplicate timestamps: keep the first (README).
  s.points.erase(std::unique(s.points.begin(), s.points.end(),
                             [](const Point& a, const Point& b) { return a.t_s == b.t_s; }),
                 s.points.end());
}

std::optional<Bytes> stackfit_limit(const std::vector<Point>& train, Strategy strategy) {
  RecommendOptions o;
  o.strategy = strategy;
  Recommender r(o);
  WorkloadKey key{"", "service", "s", ""};
  for (const Point& p : train) r.memory(key, "i", p.t_s * 1'000'000'000, Bytes{p.bytes});
  return r.recommend(key, {}).recommended.memory_limit;
}

std::int64_t krr_simple_limit(const std::vector<Point>& train) {
  std::int64_t peak = 0;
  for (const Point& p : train) peak = std::max(peak, p.bytes);
  return static_cast<std::int64_t>(std::ceil(static_cast<double>(peak) * 1.15));
}

std::int64_t vpa_limit(const std::vector<Point>& train) {
  MemoryHistogram h(memory_histogram_shape());
  // One sample per 24 h interval: its peak (VPA's MemoryAggregationInterval).
  std::int64_t interval_start = train.front().t_s;
  std::int64_t peak = 0;
  std::int64_t peak_t = interval_start;
  for (const Point& p : train) {
    if (p.t_s - interval_start >= 86400) {
      h.add(static_cast<double>(peak), 1, peak_t * 1'000'000'000);
      interval_start = p.t_s;
      peak = 0;
    }
    if (p.bytes >= peak) {
      peak = p.bytes;
      peak_t = p.t_s;
    }
  }
  h.add(static_cast<double>(peak), 1, peak_t * 1'000'000'000);
  return static_cast<std::int64_t>(std::ceil(h.percentile(0.9) * 1.15));
}

struct Score {
  int series = 0;
  int series_oom = 0;
  std::int64_t samples_over = 0;
  std::int64_t samples = 0;
  double waste_bytes = 0;   // sum over series of mean (limit - usage) where positive
  double limit_bytes = 0;   // sum over series of the limit
  int no_answer = 0;
};

void score(Score& s, std::optional<std::int64_t> limit, const std::vector<Point>& eval) {
  if (!limit) {
    ++s.no_answer;
    return;
  }
  ++s.series;
  bool oom = false;
  double waste = 0;
  for (const Point& p : eval) {
    if (p.bytes > *limit) {
      oom = true;
      ++s.samples_over;
    } else {
      waste += static_cast<double>(*limit - p.bytes);
    }
    ++s.samples;
  }
  s.series_oom += oom;
  s.waste_bytes += waste / static_cast<double>(eval.size());
  s.limit_bytes += static_cast<double>(*limit);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: backtest alibaba|bitbrains FILE [--train-hours H] [--capacity-gib G]\n");
    return 2;
  }
  std::string kind = argv[1];
  double train_hours = kind == "alibaba" ? 12 : 336;
  double capacity_gib = 8;
  for (int i = 3; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--train-hours") train_hours = std::atof(argv[i + 1]);
    else if (k == "--capacity-gib") capacity_gib = std::atof(argv[i + 1]);
  }
  std::map<std::string, Series> all = kind == "alibaba" ? read_alibaba(argv[2], capacity_gib * k_gib)
                                                        : read_bitbrains(argv[2]);
  const char* names[] = {"stackfit peak", "stackfit percentile", "KRR simple (max x1.15)", "VPA target (p90 daily peak x1.15)",
                         "declared limit"};
  Score scores[5];
  int used = 0;
  int trends = 0;
  for (auto& [id, s] : all) {
    normalise(s);
    if (s.points.size() < 1000) continue;  // README: pods with >= 1,000 samples
    std::int64_t split_t = s.points.front().t_s + static_cast<std::int64_t>(train_hours * 3600);
    auto mid = std::find_if(s.points.begin(), s.points.end(), [&](const Point& p) { return p.t_s >= split_t; });
    std::vector<Point> train(s.points.begin(), mid);
    std::vector<Point> eval(mid, s.points.end());
    if (train.size() < 2 || eval.empty()) continue;
    ++used;
    auto opt = [](std::optional<Bytes> b) { return b ? std::optional<std::int64_t>(b->count) : std::nullopt; };
    score(scores[0], opt(stackfit_limit(train, Strategy::peak)), eval);
    score(scores[1], opt(stackfit_limit(train, Strategy::percentile)), eval);
    score(scores[2], krr_simple_limit(train), eval);
    score(scores[3], vpa_limit(train), eval);
    score(scores[4], s.declared_limit, eval);
    {
      Recommender r(RecommendOptions{});
      WorkloadKey key{"", "service", "s", ""};
      for (const Point& p : train) r.memory(key, "i", p.t_s * 1'000'000'000, Bytes{p.bytes});
      trends += r.recommend(key, {}).status == RecommendationStatus::trend;
    }
  }
  std::printf("%s: %d series, training %.0f h, the rest evaluates; %d flagged as a trend by stackfit\n\n",
              kind.c_str(), used, train_hours, trends);
  std::printf("| strategy | series OOM-killed | samples over limit | mean limit | reserved but unused (mean per series) | unused / limit |\n");
  std::printf("| --- | ---: | ---: | ---: | ---: | ---: |\n");
  for (int i = 0; i < 5; ++i) {
    const Score& s = scores[i];
    double gib = static_cast<double>(k_gib);
    std::printf("| %s | %d / %d | %.2f%% | %.3f GiB | %.3f GiB | %.0f%% |\n", names[i], s.series_oom, s.series,
                s.samples ? 100.0 * static_cast<double>(s.samples_over) / static_cast<double>(s.samples) : 0.0,
                s.series ? s.limit_bytes / s.series / gib : 0.0, s.series ? s.waste_bytes / s.series / gib : 0.0,
                s.limit_bytes > 0 ? 100.0 * s.waste_bytes / s.limit_bytes : 0.0);
  }
  return 0;
}
