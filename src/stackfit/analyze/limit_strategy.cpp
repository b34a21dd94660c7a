#include "stackfit/analyze/limit_strategy.hpp"

namespace stackfit {

namespace {

// stackfit's own strategies: the Recommender, fed as `recommend` feeds it
// from a store (one instance; a kill restarts it, so the next readings are
// start-up), asked for its memory limit.
class RecommenderStrategy final : public LimitStrategy {
 public:
  RecommenderStrategy(const RecommendOptions& options, Strategy strategy) : m_recommender(options) {
    m_context.strategy = strategy;
  }
  void observe(std::int64_t t_ns, Bytes seen) override { m_recommender.memory(m_key, k_instance, t_ns, seen); }
  void oom_kill(std::int64_t t_ns, Bytes) override {
    m_recommender.oom_kill(m_key, k_instance, t_ns);
    m_recommender.start(m_key, k_instance, t_ns);
  }
  void limit_set(std::int64_t t_ns, std::optional<Bytes> limit) override {
    if (limit) m_recommender.memory_limit(m_key, k_instance, t_ns, *limit);
  }
  std::optional<Bytes> recommend(std::int64_t) override {
    return m_recommender.recommend(m_key, m_context).recommended.memory_limit;
  }

 private:
  static constexpr const char* k_instance = "replay";
  Recommender m_recommender;
  WorkloadKey m_key{"", "service", "replay", ""};
  WorkloadContext m_context;
};

}  // namespace

const std::vector<std::string>& backtest_strategy_names() {
  static const std::vector<std::string> k_names = {"declared", "krr-simple", "vpa", "adaptive", "peak", "percentile"};
  return k_names;
}

Expected<std::unique_ptr<LimitStrategy>> make_limit_strategy(std::string_view name, const RecommendOptions& options) {
  if (name == "krr-simple") return make_krr_simple_strategy();
  if (name == "vpa") return make_vpa_strategy();
  auto own = parse_strategy(name);
  if (own) return std::unique_ptr<LimitStrategy>(std::make_unique<RecommenderStrategy>(options, *own));
  std::string known;
  for (const std::string& n : backtest_strategy_names()) {
    if (n != "declared") known += (known.empty() ? "" : ", ") + n;
  }
  return make_error(ErrorCode::usage, "unknown strategy \"" + std::string(name) + "\" (expected " + known + ")");
}

}  // namespace stackfit
