#include "stackfit/observe/kube_pod_owner.hpp"

#include "stackfit/observe/prometheus_fold.hpp"

namespace stackfit {
namespace {

constexpr std::size_t k_generated_suffix_chars = 5;
constexpr std::size_t k_min_cronjob_minute_digits = 8;

bool is_generated_suffix(std::string_view text) {
  static constexpr std::string_view k_alphabet = "bcdfghjklmnpqrstvwxz2456789";
  if (text.size() != k_generated_suffix_chars) return false;
  for (char c : text) {
    if (k_alphabet.find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool is_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The text before and after the last '-', or nullopt without one (or with an empty side).
bool split_last_dash(std::string_view text, std::string_view& head, std::string_view& tail) {
  std::size_t dash = text.rfind('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == text.size()) return false;
  head = text.substr(0, dash);
  tail = text.substr(dash + 1);
  return true;
}

}  // namespace

GuessedPodOwner guess_pod_owner(std::string_view pod) {
  std::string_view head, tail;
  if (!split_last_dash(pod, head, tail)) return {"Pod", std::string(pod)};
  if (is_digits(tail) && (tail == "0" || tail[0] != '0')) return {"StatefulSet", std::string(head)};
  if (!is_generated_suffix(tail)) return {"Pod", std::string(pod)};
  if (std::string deployment = deployment_of_replicaset(head); !deployment.empty()) {
    return {"Deployment", std::move(deployment)};
  }
  std::string_view job, minute;
  if (split_last_dash(head, job, minute) && is_digits(minute) && minute.size() >= k_min_cronjob_minute_digits) {
    return {"CronJob", std::string(job)};
  }
  return {"controller", std::string(head)};
}

}  // namespace stackfit
