#include "stackfit/plan/optional_inference.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <numeric>

namespace stackfit {
namespace {

struct CatalogEntry {
  std::string_view repository;  // last path component, or "owner/name" when the name alone is ambiguous
  std::string_view name;
  std::string_view role;  // "monitoring", "admin" or "developer"
};

// The documented catalog (docs/plan.md, "Inferred candidates").
constexpr std::array<CatalogEntry, 27> k_ui_catalog{{
    {"flower", "Flower", "monitoring"},
    {"grafana", "Grafana", "monitoring"},
    {"grafana-oss", "Grafana", "monitoring"},
    {"grafana-enterprise", "Grafana", "monitoring"},
    {"prometheus", "Prometheus", "monitoring"},
    {"alertmanager", "Alertmanager", "monitoring"},
    {"node-exporter", "node-exporter", "monitoring"},
    {"cadvisor", "cAdvisor", "monitoring"},
    {"kibana", "Kibana", "monitoring"},
    {"jaegertracing/all-in-one", "Jaeger", "monitoring"},
    {"jaegertracing/jaeger", "Jaeger", "monitoring"},
    {"zipkin", "Zipkin", "monitoring"},
    {"dozzle", "Dozzle", "monitoring"},
    {"uptime-kuma", "Uptime Kuma", "monitoring"},
    {"pgadmin4", "pgAdmin", "admin"},
    {"adminer", "Adminer", "admin"},
    {"phpmyadmin", "phpMyAdmin", "admin"},
    {"redis-commander", "Redis Commander", "admin"},
    {"redisinsight", "RedisInsight", "admin"},
    {"mongo-express", "mongo-express", "admin"},
    {"portainer", "Portainer", "admin"},
    {"portainer-ce", "Portainer", "admin"},
    {"kafka-ui", "Kafka UI", "admin"},
    {"mailhog", "MailHog", "developer"},
    {"mailpit", "Mailpit", "developer"},
    {"swagger-ui", "Swagger UI", "developer"},
    {"smtp4dev", "smtp4dev", "developer"},
}};

struct DatastoreEntry {
  std::string_view repository;
  std::string_view name;
};

constexpr std::array<DatastoreEntry, 9> k_datastores{{
    {"redis", "Redis"},
    {"redis-stack-server", "Redis"},
    {"valkey", "Valkey"},
    {"postgres", "PostgreSQL"},
    {"postgresql", "PostgreSQL"},
    {"postgis", "PostgreSQL"},
    {"mysql", "MySQL"},
    {"mariadb", "MariaDB"},
    {"mongo", "MongoDB"},
}};

// "registry:5000/owner/name:tag@sha256:..." -> "owner/name".
std::string_view repository_of(std::string_view image) {
  if (auto at = image.find('@'); at != std::string_view::npos) image = image.substr(0, at);
  auto slash = image.rfind('/');
  auto colon = image.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    image = image.substr(0, colon);
  }
  return image;
}

// Whether `repo` ends with the path components of `pattern`.
bool repository_matches(std::string_view repo, std::string_view pattern) {
  if (!repo.ends_with(pattern)) return false;
  return repo.size() == pattern.size() || repo[repo.size() - pattern.size() - 1] == '/';
}

const CatalogEntry* catalog_entry(std::string_view image) {
  std::string_view repo = repository_of(image);
  for (const CatalogEntry& e : k_ui_catalog) {
    if (repository_matches(repo, e.repository)) return &e;
  }
  return nullptr;
}

bool eligible(const Service& s) {
  return !s.priority_declared && s.replica_mode == ReplicaMode::fixed && s.replicas > 0;
}

std::string join(const std::vector<std::string>& words, std::string_view sep) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : std::string(sep)) + w;
  return out;
}

// For every service, the services that depend on it.
std::vector<std::vector<std::size_t>> dependents_of(const Stack& stack) {
  std::map<std::string, std::size_t, std::less<>> index;
  for (std::size_t i = 0; i < stack.services.size(); ++i) index.emplace(stack.services[i].name, i);
  std::vector<std::vector<std::size_t>> out(stack.services.size());
  for (std::size_t i = 0; i < stack.services.size(); ++i) {
    for (const Dependency& d : stack.services[i].depends_on) {
      if (auto it = index.find(d.service); it != index.end()) out[it->second].push_back(i);
    }
  }
  return out;
}

// "Same settings": what a copy of a worker shares with the others.
std::string settings_key(const Service& s) {
  std::string key = s.image + '\n' + join(s.containers.empty() ? std::vector<std::string>{} : s.containers[0].command,
                                          "\x1f");
  if (!s.containers.empty()) {
    for (const auto& [k, v] : s.containers[0].environment) key += '\n' + k + '=' + v;
  }
  const Resources& r = s.resources;
  for (const auto& b : {r.memory_request, r.memory_limit}) key += '\n' + (b ? std::to_string(b->count) : "-");
  for (const auto& c : {r.cpu_request, r.cpu_limit}) key += '\n' + (c ? std::to_string(c->count) : "-");
  for (const Dependency& d : s.depends_on) key += "\nd:" + d.service;
  return key + '\n' + std::to_string(s.replicas);
}

std::vector<InferredIdenticalGroup> identical_groups(const Stack& stack,
                                                     const std::vector<std::vector<std::size_t>>& dependents) {
  std::map<std::string, std::vector<std::size_t>> by_key;
  for (std::size_t i = 0; i < stack.services.size(); ++i) {
    const Service& s = stack.services[i];
    if (!eligible(s) || s.image.empty() || !dependents[i].empty() || datastore_name(s.image)) continue;
    by_key[settings_key(s)].push_back(i);
  }
  std::vector<InferredIdenticalGroup> out;
  for (auto& [key, members] : by_key) {
    if (members.size() < 2) continue;
    std::vector<std::string> names;
    for (std::size_t i : members) names.push_back(stack.services[i].name);
    InferredIdenticalGroup g;
    g.evidence = std::to_string(members.size()) + " services from image " + stack.services[members[0]].image +
                 " with the same command, environment, limits and dependencies (" + join(names, ", ") + ")";
    // Profile-only copies go first, then the last declared.
    std::stable_sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
      bool pa = !stack.services[a].profiles.empty();
      bool pb = !stack.services[b].profiles.empty();
      return pa != pb ? pa : a > b;
    });
    g.services = members;
    out.push_back(std::move(g));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.services.back() < b.services.back(); });
  return out;
}

// Per service: the evidence that it may be switched off ("" = none) and its
// confidence, before the dependents are considered.
struct DropEvidence {
  std::vector<std::string> lines;
  double confidence = 0;
  InferenceKind kind = InferenceKind::profile;
};

DropEvidence drop_evidence(const Service& s) {
  DropEvidence e;
  if (!s.profiles.empty()) {
    e.lines.push_back(s.name + ": on only because profile " + join(s.profiles, " or ") +
                      " is active (a service with profiles is off by default)");
    e.confidence = k_confidence_profile;
  }
  if (const CatalogEntry* c = catalog_entry(s.image)) {
    e.lines.push_back(s.name + ": image " + s.image + " is " + std::string(c->name) + ", a " + std::string(c->role) +
                      " UI (docs/plan.md catalog)");
    if (e.confidence == 0) e.kind = InferenceKind::catalog_ui;
    e.confidence = std::max(e.confidence, k_confidence_catalog_ui);
  }
  return e;
}

// Candidates whose every dependent is a candidate too (a fixpoint: a
// service that stays keeps what it depends on), then grouped with the
// candidates they are linked to by depends_on.
std::vector<InferredDropGroup> drop_groups(const Stack& stack, const std::vector<std::vector<std::size_t>>& dependents,
                                           const std::vector<bool>& taken) {
  const std::size_t n = stack.services.size();
  std::vector<DropEvidence> evidence(n);
  std::vector<bool> candidate(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    if (!eligible(stack.services[i]) || taken[i]) continue;
    evidence[i] = drop_evidence(stack.services[i]);
    candidate[i] = evidence[i].confidence > 0;
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < n; ++i) {
      if (!candidate[i]) continue;
      bool kept_dependent = std::any_of(dependents[i].begin(), dependents[i].end(), [&](auto d) { return !candidate[d]; });
      if (kept_dependent) candidate[i] = false, changed = true;
    }
  }
  // Union-find over depends_on edges between candidates.
  std::vector<std::size_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  auto root = [&](std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t d : dependents[i]) {
      if (candidate[i] && candidate[d]) parent[root(d)] = root(i);
    }
  }
  std::map<std::size_t, InferredDropGroup> by_root;  // keyed by root: deterministic
  for (std::size_t i = 0; i < n; ++i) {
    if (!candidate[i]) continue;
    InferredDropGroup& g = by_root[root(i)];
    if (g.services.empty() || evidence[i].confidence < g.confidence) {
      g.confidence = evidence[i].confidence;
      g.kind = evidence[i].kind;
    }
    g.services.push_back(i);
    g.evidence.insert(g.evidence.end(), evidence[i].lines.begin(), evidence[i].lines.end());
    if (!dependents[i].empty()) {
      std::vector<std::string> names;
      for (std::size_t d : dependents[i]) names.push_back(stack.services[d].name);
      g.evidence.push_back(stack.services[i].name + ": only " + join(names, ", ") +
                           (names.size() == 1 ? " depends on it, and goes with it" : " depend on it, and go with it"));
    }
  }
  std::vector<InferredDropGroup> out;
  for (auto& [r, g] : by_root) out.push_back(std::move(g));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.services.front() < b.services.front(); });
  return out;
}

std::string merge_risk(const std::string& datastore, const Service& keep, const Service& fold) {
  std::string risk;
  if (datastore == "Redis" || datastore == "Valkey") {
    risk = "key collisions unless each client uses its own database index (redis://" + keep.name +
           ":6379/N); a Celery broker needs a database index of its own; the kept instance's persistence "
           "(--save/appendonly) and maxmemory-policy then apply to both data sets";
    const std::string& a = keep.hints.redis_maxmemory_policy;
    const std::string& b = fold.hints.redis_maxmemory_policy;
    if (a != b) {
      risk += " (" + keep.name + ": " + (a.empty() ? "default policy" : a) + ", " + fold.name + ": " +
              (b.empty() ? "default policy" : b) + "; an evicting policy would drop a broker's queued tasks)";
    }
  } else {
    risk = "one server for both: separate databases and users needed, names may collide, connection limits, "
           "configuration and version are shared, and the data of " + fold.name + " must be moved";
  }
  return risk + "; every client of " + fold.name + " must be pointed at " + keep.name +
         ", whose memory limit stays as declared: the merged data must fit in it";
}

// Per datastore image, the instance with the most memory is kept and each
// other undeclared one folds into it.
std::vector<InferredMerge> merges(const Stack& stack) {
  std::map<std::string, std::vector<std::size_t>> by_store;
  for (std::size_t i = 0; i < stack.services.size(); ++i) {
    const Service& s = stack.services[i];
    if (s.replica_mode != ReplicaMode::fixed || s.replicas <= 0 || s.priority == Priority::critical) continue;
    if (auto name = datastore_name(s.image)) by_store[std::string(*name)].push_back(i);
  }
  std::vector<InferredMerge> out;
  for (const auto& [store, members] : by_store) {
    if (members.size() < 2) continue;
    auto committed = [&](std::size_t i) {
      const Resources& r = stack.services[i].resources;
      return (r.memory_limit ? r.memory_limit : r.memory_request).value_or(Bytes{0}).count;
    };
    std::size_t keep = *std::max_element(members.begin(), members.end(),
                                         [&](auto a, auto b) { return committed(a) < committed(b); });
    for (std::size_t fold : members) {
      if (fold == keep || stack.services[fold].priority_declared) continue;
      InferredMerge m;
      m.keep = keep;
      m.fold = fold;
      m.datastore = store;
      m.evidence = stack.services[fold].name + " and " + stack.services[keep].name + " both run " + store + " (" +
                   stack.services[fold].image + ", " + stack.services[keep].image + ")";
      m.risk = merge_risk(store, stack.services[keep], stack.services[fold]);
      out.push_back(std::move(m));
    }
  }
  return out;
}

}  // namespace

OptionalInference infer_optional(const Stack& stack) {
  OptionalInference out;
  auto dependents = dependents_of(stack);
  out.identical = identical_groups(stack, dependents);
  std::vector<bool> taken(stack.services.size(), false);
  for (const auto& g : out.identical) {
    for (std::size_t i : g.services) taken[i] = true;
  }
  out.drops = drop_groups(stack, dependents, taken);
  out.merges = merges(stack);
  return out;
}

const char* to_string(InferenceKind k) {
  switch (k) {
    case InferenceKind::profile: return "profile";
    case InferenceKind::catalog_ui: return "catalog_ui";
    case InferenceKind::identical: return "identical";
  }
  return "profile";
}

std::optional<std::string_view> catalog_ui_name(std::string_view image) {
  const CatalogEntry* e = catalog_entry(image);
  return e ? std::optional<std::string_view>(e->name) : std::nullopt;
}

std::optional<std::string_view> catalog_ui_role(std::string_view image) {
  const CatalogEntry* e = catalog_entry(image);
  return e ? std::optional<std::string_view>(e->role) : std::nullopt;
}

std::optional<std::string_view> datastore_name(std::string_view image) {
  std::string_view repo = repository_of(image);
  for (const DatastoreEntry& e : k_datastores) {
    if (repository_matches(repo, e.repository)) return e.name;
  }
  return std::nullopt;
}

}  // namespace stackfit
