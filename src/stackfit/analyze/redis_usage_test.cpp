// What a Redis holds, decided over whole Compose stacks loaded with the real
// loader: a Celery broker, a Sidekiq/RQ/Bull queue, a persistent store and a
// pure cache, and the eviction policy runtime_knobs proposes for each.
#include "stackfit/analyze/redis_usage.hpp"

#include <gtest/gtest.h>

#include "stackfit/analyze/runtime_hint_detector.hpp"
#include "stackfit/analyze/runtime_knobs.hpp"
#include "stackfit/load/compose/compose_loader.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

class RedisUsage : public ::testing::Test {
 protected:
  // Loads `yaml` as compose.yml, detects hints, returns the hints of `service`.
  RuntimeHints hints_of(const std::string& yaml, const std::string& service) {
    ComposeOptions o;
    o.files.push_back(m_dir.write("compose.yml", yaml));
    auto stack = load_compose(o);
    EXPECT_TRUE(stack) << stack.error().message;
    if (!stack) return {};
    detect_runtime_hints(*stack);
    for (const Service& s : stack->services) {
      if (s.name == service) return s.hints;
    }
    ADD_FAILURE() << "no service " << service;
    return {};
  }
  static RuntimeKnobValue knob_at(const RuntimeHints& h, std::int64_t limit_mib) {
    auto knobs = runtime_knobs(h, Bytes{limit_mib * k_mib});
    EXPECT_EQ(knobs.size(), 1u);
    return knobs.empty() ? RuntimeKnobValue{} : knobs[0];
  }
  testing::TempDir m_dir;
};

// The shape of examples/fastapi-celery: the broker URL comes in through a
// shared anchor, the worker and beat run `celery`.
constexpr const char* k_celery_stack = R"(x-app: &app
  image: ghcr.io/example/fastapi-celery:latest
  environment:
    DATABASE_URL: postgresql://app:pw@db:5432/app
    CELERY_BROKER_URL: redis://redis:6379/0
    CELERY_RESULT_BACKEND: redis://redis:6379/1
services:
  api:
    <<: *app
    command: uvicorn app.main:app --host 0.0.0.0 --port 8000
  worker:
    <<: *app
    command: celery -A app.worker worker --loglevel=info --concurrency=2
    depends_on: [redis]
  redis:
    image: redis:7-alpine
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
)";

TEST_F(RedisUsage, CeleryBrokerKeepsNoevictionWithForkHeadroom) {
  RuntimeHints h = hints_of(k_celery_stack, "redis");
  EXPECT_EQ(h.redis_broker_for, (std::vector<std::string>{"api (CELERY_BROKER_URL)", "worker (CELERY_BROKER_URL)"}));
  RedisUse use = redis_use(h);
  EXPECT_FALSE(use.evident_cache);
  EXPECT_TRUE(use.forks);  // Redis' default save rules are on
  RuntimeKnobValue k = knob_at(h, 1024);
  EXPECT_EQ(k.policy, "noeviction");
  EXPECT_EQ(k.value, Bytes{512 * k_mib});
  EXPECT_EQ(k.reason,
            "50% of the 1 GiB limit, room for a snapshot/AOF-rewrite fork's copy-on-write (up to 2x) and "
            "fragmentation; noeviction: it keeps data (queue broker for api (CELERY_BROKER_URL); queue broker for "
            "worker (CELERY_BROKER_URL)), so when full it refuses writes, never drops keys");
  // 300 MiB of data seen needs a 600 MiB limit for maxmemory to hold it.
  EXPECT_EQ(runtime_knob_limit_floor(h, Bytes{300 * k_mib}), Bytes{600 * k_mib});
}

TEST_F(RedisUsage, BrokerWithoutPersistenceIsStillNotACache) {
  std::string yaml = k_celery_stack;
  yaml += "    command: [\"redis-server\", \"--save\", \"\", \"--appendonly\", \"no\"]\n";
  RuntimeHints h = hints_of(yaml, "redis");
  EXPECT_EQ(h.redis_save, false);
  EXPECT_EQ(h.redis_appendonly, false);
  RedisUse use = redis_use(h);
  EXPECT_FALSE(use.evident_cache);
  EXPECT_FALSE(use.forks);
  RuntimeKnobValue k = knob_at(h, 512);
  EXPECT_EQ(k.policy, "noeviction");
  EXPECT_EQ(k.value, Bytes{384 * k_mib});  // no fork: 75%
  EXPECT_EQ(runtime_knob_limit_floor(h, Bytes{300 * k_mib}), Bytes{400 * k_mib});
}

TEST_F(RedisUsage, AppendonlyAndDataVolumeMeanData) {
  RuntimeHints h = hints_of(R"(services:
  store:
    image: redis:7.2
    command: redis-server --appendonly yes --appendfsync everysec
    volumes:
      - redis-data:/data
volumes:
  redis-data: {}
)",
                            "store");
  EXPECT_EQ(h.redis_appendonly, true);
  EXPECT_TRUE(h.redis_data_volume);
  RuntimeKnobValue k = knob_at(h, 1024);
  EXPECT_EQ(k.policy, "noeviction");
  EXPECT_NE(k.reason.find("it keeps data (appendonly yes; a volume on its data directory)"), std::string::npos)
      << k.reason;
}

TEST_F(RedisUsage, PureCacheGetsAllkeysLruWithTheRiskSaid) {
  RuntimeHints h = hints_of(R"(services:
  web:
    image: nginx:1.27
    environment:
      REDIS_URL: redis://cache:6379/0
  cache:
    image: redis:7-alpine
    command: ["redis-server", "--save", "", "--appendonly", "no"]
)",
                            "cache");
  EXPECT_TRUE(h.redis_broker_for.empty());  // a web app's REDIS_URL is no queue
  RedisUse use = redis_use(h);
  EXPECT_TRUE(use.evident_cache);
  RuntimeKnobValue k = knob_at(h, 512);
  EXPECT_EQ(k.policy, "allkeys-lru");
  EXPECT_EQ(k.value, Bytes{384 * k_mib});
  EXPECT_EQ(k.reason,
            "75% of the 512 MiB limit, room for fragmentation; allkeys-lru evicts keys when full: only safe for a "
            "cache (--save \"\" and no appendonly, named cache)");
  EXPECT_EQ(runtime_knob_limit_floor(h, Bytes{400 * k_mib}), Bytes{0});
}

TEST_F(RedisUsage, DefaultRedisWithoutEvidenceKeepsNoeviction) {
  RuntimeHints h = hints_of("services:\n  redis:\n    image: redis:7\n", "redis");
  RuntimeKnobValue k = knob_at(h, 512);
  EXPECT_EQ(k.policy, "noeviction");
  EXPECT_NE(k.reason.find("RDB snapshots on (Redis' default save rules)"), std::string::npos) << k.reason;
}

TEST_F(RedisUsage, LabelSaysCacheButExplicitSaveRulesMeanData) {
  RuntimeHints named = hints_of(R"(services:
  sessions:
    image: valkey/valkey:8
    labels:
      com.example.role: cache
)",
                                "sessions");
  EXPECT_TRUE(named.redis_named_cache);
  EXPECT_EQ(knob_at(named, 512).policy, "allkeys-lru");
  RuntimeHints saved = hints_of(R"(services:
  page-cache:
    image: redis:7
    command: redis-server --save 60 1000
)",
                                "page-cache");
  EXPECT_TRUE(saved.redis_named_cache);
  EXPECT_EQ(saved.redis_save, true);
  EXPECT_EQ(knob_at(saved, 512).policy, "noeviction");
}

TEST_F(RedisUsage, SidekiqRqAndBullWorkersAreBrokerClients) {
  RuntimeHints h = hints_of(R"(services:
  sidekiq:
    image: ghcr.io/example/rails:7
    command: bundle exec sidekiq -C config/sidekiq.yml
    environment:
      REDIS_URL: redis://:s3cret@redis:6379/1
  rq:
    image: python:3.12-slim
    command: rq worker high default
    environment: [REDIS_HOST=redis]
    depends_on:
      redis: {condition: service_started}
  jobs:
    image: node:20
    environment:
      BULL_REDIS: rediss://redis.default.svc.cluster.local:6380
  unrelated:
    image: python:3.12-slim
    command: celery -A other worker
    environment: [CELERY_BROKER_URL=redis://otherredis:6379/0]
  redis:
    image: redis:7
)",
                            "redis");
  EXPECT_EQ(h.redis_broker_for,
            (std::vector<std::string>{"sidekiq (REDIS_URL)", "rq (worker, depends_on)", "jobs (BULL_REDIS)"}));
  for (const std::string& e : h.evidence) EXPECT_EQ(e.find("s3cret"), std::string::npos) << e;
}

TEST_F(RedisUsage, DeclaredPolicyKeptAndEvictionOnDataSaid) {
  std::string yaml = k_celery_stack;
  yaml += "    command: redis-server --maxmemory-policy allkeys-lru\n";
  RuntimeHints h = hints_of(yaml, "redis");
  RuntimeKnobValue k = knob_at(h, 1024);
  EXPECT_EQ(k.policy, "allkeys-lru");
  EXPECT_NE(k.reason.find("declared policy allkeys-lru kept (it evicts keys when full, and this Redis keeps data: "),
            std::string::npos)
      << k.reason;
  // The user chose eviction: no floor forced on them.
  EXPECT_EQ(runtime_knob_limit_floor(h, Bytes{300 * k_mib}), Bytes{0});
}

TEST_F(RedisUsage, ConfigFileLeavesThePolicyToIt) {
  RuntimeHints h = hints_of(R"(services:
  redis:
    image: redis:7
    command: redis-server /usr/local/etc/redis/redis.conf
    volumes: ["./redis.conf:/usr/local/etc/redis/redis.conf:ro"]
)",
                            "redis");
  EXPECT_TRUE(h.redis_config_file);
  EXPECT_FALSE(h.redis_data_volume);
  RuntimeKnobValue k = knob_at(h, 512);
  EXPECT_EQ(k.policy, "");
  EXPECT_NE(k.reason.find("eviction policy left to the config file"), std::string::npos) << k.reason;
}

}  // namespace
}  // namespace stackfit
