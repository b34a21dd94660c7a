// One pass over a history for two consumers: a UsageSink that forwards
// every point to two others, in order (`report` feeds the recommender and
// analyze/report_timeline at once).
#pragma once

#include "stackfit/model/usage_sink.hpp"

namespace stackfit {

class UsageTee final : public UsageSink {
 public:
  UsageTee(UsageSink& first, UsageSink& second) : m_first(first), m_second(second) {}
  void memory(const WorkloadKey& k, std::string_view i, std::int64_t t, Bytes v) override {
    m_first.memory(k, i, t, v), m_second.memory(k, i, t, v);
  }
  void cpu(const WorkloadKey& k, std::string_view i, std::int64_t t, Millicores v) override {
    m_first.cpu(k, i, t, v), m_second.cpu(k, i, t, v);
  }
  void oom_kill(const WorkloadKey& k, std::string_view i, std::int64_t t, std::int64_t kills = 1) override {
    m_first.oom_kill(k, i, t, kills), m_second.oom_kill(k, i, t, kills);
  }
  void start(const WorkloadKey& k, std::string_view i, std::int64_t t) override {
    m_first.start(k, i, t), m_second.start(k, i, t);
  }
  void memory_limit(const WorkloadKey& k, std::string_view i, std::int64_t t, Bytes v) override {
    m_first.memory_limit(k, i, t, v), m_second.memory_limit(k, i, t, v);
  }
  void cpu_throttling(const WorkloadKey& k, std::string_view i, std::int64_t t, const CpuThrottling& v) override {
    m_first.cpu_throttling(k, i, t, v), m_second.cpu_throttling(k, i, t, v);
  }
  void cpu_limit(const WorkloadKey& k, std::string_view i, std::int64_t t, Millicores v) override {
    m_first.cpu_limit(k, i, t, v), m_second.cpu_limit(k, i, t, v);
  }

 private:
  UsageSink& m_first;
  UsageSink& m_second;
};

}  // namespace stackfit
