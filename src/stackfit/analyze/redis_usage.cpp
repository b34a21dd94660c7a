#include "stackfit/analyze/redis_usage.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "stackfit/analyze/runtime_kind.hpp"
#include "stackfit/analyze/runtime_size_syntax.hpp"

namespace stackfit {
namespace {

constexpr std::array<std::string_view, 12> k_queue_words{"BROKER", "CELERY",  "RQ",       "SIDEKIQ",
                                                         "BULL",   "BULLMQ",  "QUEUE",    "QUEUES",
                                                         "RESQUE", "DRAMATIQ", "HUEY",    "ARQ"};
constexpr std::array<std::string_view, 10> k_worker_words{"celery", "rq",      "rqworker", "sidekiq", "bull",
                                                          "bullmq", "arq",     "dramatiq", "huey",    "resque"};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// `text` cut at any of `separators`, empty pieces dropped.
std::vector<std::string> pieces(std::string_view text, std::string_view separators) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && separators.find(text[i]) == std::string_view::npos) continue;
    if (i > start) out.emplace_back(text.substr(start, i - start));
    start = i + 1;
  }
  return out;
}

template <std::size_t N>
bool has_word(const std::vector<std::string>& words, const std::array<std::string_view, N>& wanted) {
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
    return std::find(wanted.begin(), wanted.end(), w) != wanted.end();
  });
}

bool is_queue_variable(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return has_word(pieces(upper, "_"), k_queue_words);
}

// True when `text` holds a redis:// or rediss:// URL whose host is `service`
// or a DNS name starting with `service.`.
bool points_at(std::string_view text, const std::string& service) {
  for (std::string_view scheme : {"redis://", "rediss://"}) {
    for (auto at = text.find(scheme); at != std::string_view::npos; at = text.find(scheme, at + 1)) {
      std::string_view rest = text.substr(at + scheme.size());
      rest = rest.substr(0, rest.find_first_of("/?# \t\"',;"));
      if (auto user = rest.rfind('@'); user != std::string_view::npos) rest = rest.substr(user + 1);
      std::string_view host = rest.substr(0, rest.find(':'));
      if (host == service || host.starts_with(service + ".")) return true;
    }
  }
  return false;
}

bool runs_worker(const Service& client) {
  for (const Container& c : client.containers) {
    std::vector<std::string> words;
    for (const std::string& element : c.command) {
      for (const std::string& w : split_words(element)) words.push_back(lower(w.substr(w.rfind('/') + 1)));
    }
    if (has_word(words, k_worker_words) || has_word(pieces(image_base_name(c.image), "-_"), k_worker_words)) {
      return true;
    }
  }
  return false;
}

bool depends_on(const Service& client, const std::string& service) {
  return std::any_of(client.depends_on.begin(), client.depends_on.end(),
                     [&](const Dependency& d) { return d.service == service; });
}

// "worker (CELERY_BROKER_URL)" when `client` uses `redis` as a broker, else "".
std::string broker_use(const Service& client, const std::string& redis) {
  bool worker = runs_worker(client);
  for (const Container& c : client.containers) {
    for (const auto& [name, value] : c.environment) {
      if (points_at(value, redis) && (worker || is_queue_variable(name))) return client.name + " (" + name + ")";
    }
    for (const std::string& element : c.command) {
      if (points_at(element, redis) && worker) return client.name + " (worker command)";
    }
  }
  if (worker && depends_on(client, redis)) return client.name + " (worker, depends_on)";
  return "";
}

bool says_cache(std::string_view text) {
  auto words = pieces(lower(text), "-_./: ");
  return std::find(words.begin(), words.end(), "cache") != words.end();
}

void mark_service(const Stack& stack, Service& redis) {
  std::vector<std::string> brokers;
  for (const Service& client : stack.services) {
    if (&client == &redis) continue;
    if (std::string use = broker_use(client, redis.name); !use.empty()) brokers.push_back(std::move(use));
  }
  bool named = says_cache(redis.name) || std::any_of(redis.labels.begin(), redis.labels.end(),
                                                       [](const auto& kv) { return says_cache(kv.second); });
  for (Container& c : redis.containers) {
    RuntimeHints& h = c.hints;
    if (h.kind != RuntimeKind::redis) continue;
    h.redis_broker_for = brokers;
    h.redis_named_cache = named;
    for (const std::string& b : brokers) h.evidence.push_back("stack: queue broker for " + b);
    if (named) h.evidence.push_back("stack: service name or label says cache");
  }
}

// Why the Redis keeps data, "" when nothing says so.
std::string data_reasons(const RuntimeHints& h) {
  std::string out;
  auto add = [&](const std::string& part) { out += (out.empty() ? "" : "; ") + part; };
  for (const std::string& b : h.redis_broker_for) add("queue broker for " + b);
  if (h.redis_appendonly == true) add("appendonly yes");
  if (h.redis_save == true) add("--save rules");
  if (h.redis_data_volume) add("a volume on its data directory");
  if (h.redis_config_file) add("a config file that may enable persistence");
  return out;
}

}  // namespace

void mark_redis_usage(Stack& stack) {
  for (Service& s : stack.services) {
    bool any = std::any_of(s.containers.begin(), s.containers.end(),
                           [](const Container& c) { return c.hints.kind == RuntimeKind::redis; });
    if (any) mark_service(stack, s);
  }
}

RedisUse redis_use(const RuntimeHints& h) {
  RedisUse use;
  use.forks = h.redis_appendonly == true || h.redis_save != false || h.redis_config_file;
  std::string data = data_reasons(h);
  if (!data.empty()) {
    use.why = data;
  } else if (h.redis_save == false) {
    use.evident_cache = true;
    use.why = "--save \"\" and no appendonly";
    if (h.redis_named_cache) use.why += ", named cache";
  } else if (h.redis_named_cache) {
    use.evident_cache = true;
    use.why = "named cache, no persistence configured";
  } else {
    use.why = "RDB snapshots on (Redis' default save rules)";
  }
  return use;
}

}  // namespace stackfit
